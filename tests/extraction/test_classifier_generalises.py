"""Train on one generated company, score others (another industry, partly German): the model must not
just memorise one scenario's names and phrasing. Figures are printed (`pytest -s`)."""

from datetime import date
from pathlib import Path

import pytest

from vectoros_pipelines.demo.scenario import generate_scenario
from vectoros_pipelines.extraction import classifier as clf
from vectoros_pipelines.extraction.message_view import email_view
from vectoros_pipelines.extraction.training.corpus import (
    LabelledMessage,
    hand_examples,
    scenario_messages,
    usrp_messages,
)
from vectoros_pipelines.extraction.training.evaluate import prf

F1_BAR = 0.85


def _scenario(tmp: Path, industry: str, languages: tuple[str, ...], seed: int) -> list[LabelledMessage]:
    folder = tmp / f"{industry}-{seed}"
    generate_scenario(folder, seed=seed, n_deals=15, months=5, end=date(2026, 5, 31), industry=industry, languages=languages)
    return scenario_messages(folder)


@pytest.fixture(scope="module")
def model_on_one_company(tmp_path_factory: pytest.TempPathFactory) -> clf.DealClassifier:
    train = _scenario(tmp_path_factory.mktemp("a"), "saas", ("en",), 11) + hand_examples() + usrp_messages("train")[::2]
    return clf.fit([email_view(i.email, i.context) for i in train], [i.label for i in train])


@pytest.mark.parametrize(("industry", "languages", "seed"), [
    ("saas", ("en",), 12), ("logistics", ("en",), 13), ("manufacturing", ("en", "de"), 14), ("logistics", ("en", "de"), 15),
])
def test_other_seed_industry_and_language(model_on_one_company, tmp_path, industry, languages, seed) -> None:
    test = _scenario(tmp_path, industry, languages, seed)
    probabilities = model_on_one_company.probabilities([email_view(i.email, i.context) for i in test])
    tp = sum(p >= 0.5 and i.label for p, i in zip(probabilities, test, strict=True))
    fp = sum(p >= 0.5 and not i.label for p, i in zip(probabilities, test, strict=True))
    fn = sum(p < 0.5 and i.label for p, i in zip(probabilities, test, strict=True))
    precision, recall, f1 = prf(tp, fp, fn)
    print(f"\ntrained on saas/en seed 11 → {industry}/{'+'.join(languages)} seed {seed}: "
          f"P={precision:.3f} R={recall:.3f} F1={f1:.3f} ({len(test)} messages)")
    assert f1 >= F1_BAR
