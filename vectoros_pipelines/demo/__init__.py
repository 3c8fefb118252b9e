"""A seeded generator of realistic company mailboxes and calendars with labels (`vectoros demo`, training data)."""

from vectoros_pipelines.demo.model import ScenarioSummary
from vectoros_pipelines.demo.scenario import (
    LabelledMessage,
    build_scenario,
    generate_scenario,
    iter_labelled_messages,
)

__all__ = [
    "LabelledMessage",
    "ScenarioSummary",
    "build_scenario",
    "generate_scenario",
    "iter_labelled_messages",
]
