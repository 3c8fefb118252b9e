"""The deal-relatedness classifier: TF-IDF over words plus hand features, into a calibrated
logistic regression. `fit` is used by the training script and by tests that train on one scenario and
score another; `load_shipped` reads the model file that ships in the package."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from vectoros_pipelines.extraction.features import FEATURE_NAMES, hand_features
from vectoros_pipelines.extraction.message_view import MessageView

MODEL_VERSION = "deal-clf-v1"
MODEL_PATH = Path(__file__).parent / "models" / f"{MODEL_VERSION}.joblib"
# Character n-grams would catch German compounds better, but cost ~1.3 ms a message (the extractor's
# whole budget); word n-grams plus the en/de hand features (stage words, money) carry the language.
# Hand features are few and strong; scaled up so the L2 penalty does not drown them among ~50k n-grams.
HAND_WEIGHT = 3.0


@dataclass
class DealClassifier:
    word: TfidfVectorizer
    model: CalibratedClassifierCV
    version: str = MODEL_VERSION
    summary: dict[str, Any] = field(default_factory=dict)

    def _matrix(self, views: Sequence[MessageView]) -> sparse.csr_matrix:
        texts = [v.classifier_text for v in views]
        hand = np.vstack([hand_features(v) for v in views]) * HAND_WEIGHT
        return sparse.hstack(
            [self.word.transform(texts), sparse.csr_matrix(hand)],
            format="csr",
        )

    def probabilities(self, views: Sequence[MessageView]) -> np.ndarray:
        """P(deal-related) for each view, in order."""
        if not views:
            return np.zeros(0)
        return self.model.predict_proba(self._matrix(views))[:, 1]


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        lowercase=True, ngram_range=(1, 2), min_df=2, max_features=40000, sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b", dtype=np.float32,
    )


def fit(views: Sequence[MessageView], labels: Sequence[int], *, summary: dict[str, Any] | None = None) -> DealClassifier:
    """Train deterministically: same views and labels → same model."""
    word = _vectorizer()
    word.fit([v.classifier_text for v in views])
    # the pruned-terms set is large, unused at predict time, and pickles in hash order (not reproducible)
    word.stop_words_ = set()
    base = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced", solver="liblinear")
    # Sigmoid calibration on cross-validated predictions: the matcher creates deals at confidence 0.8,
    # so the probability has to mean what it says, not just rank well.
    model = CalibratedClassifierCV(base, method="sigmoid", cv=5, ensemble=False)
    classifier = DealClassifier(word, model, summary=dict(summary or {}))
    model.fit(classifier._matrix(views), np.asarray(labels))
    return classifier


def fingerprint(classifier: DealClassifier) -> str:
    """Hash of what the model computes (vocabulary, weights, calibration), not of the pickle bytes:
    pickle output can differ between two runs that trained the very same model (string memoisation)."""
    digest = hashlib.sha256()
    for term, index in sorted(classifier.word.vocabulary_.items()):
        digest.update(f"{term}\t{index}\n".encode())
    digest.update(np.asarray(classifier.word.idf_, dtype=np.float64).tobytes())
    for calibrated in classifier.model.calibrated_classifiers_:
        estimator = calibrated.estimator
        digest.update(np.asarray(estimator.coef_, dtype=np.float64).round(10).tobytes())
        digest.update(np.asarray(estimator.intercept_, dtype=np.float64).round(10).tobytes())
        for calibrator in calibrated.calibrators:
            digest.update(np.asarray([calibrator.a_, calibrator.b_], dtype=np.float64).round(10).tobytes())
    return digest.hexdigest()[:12]


def save(classifier: DealClassifier, path: Path = MODEL_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(
        {"version": classifier.version, "word": classifier.word, "model": classifier.model,
         "summary": classifier.summary, "features": FEATURE_NAMES, "fingerprint": fingerprint(classifier)},
        path, compress=3,
    )


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH) -> DealClassifier:
    data = joblib.load(path)
    if tuple(data["features"]) != FEATURE_NAMES:
        raise ValueError(f"model {path.name} was trained with other hand features; retrain with "
                         "`python -m vectoros_pipelines.extraction.training.train`")
    classifier = DealClassifier(data["word"], data["model"], data["version"], data["summary"])
    classifier.summary["fingerprint"] = data["fingerprint"]
    return classifier
