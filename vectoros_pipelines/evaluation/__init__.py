"""Scoring a pipeline run against a labelled scenario (`../shared/data/scenarios/README.md`)."""
