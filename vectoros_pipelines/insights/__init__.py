"""Autonomous insights: pure rules over deals, health, forecasts and feedback."""
