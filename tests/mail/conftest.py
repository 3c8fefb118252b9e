from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

USRP_ARCHIVE = SHARED_DATA / "mail" / "usrp-users" / "usrp-users-2025-2026.tar.gz"
ENRON_ARCHIVE = SHARED_DATA / "mail" / "enron" / "enron-inbox-125users.tar.gz"
ENRON_CRLF = SHARED_DATA / "mail" / "enron-crlf-250" / "testdata" / "enron-eval-medium"
MAIL_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


@pytest.fixture(scope="session")
def usrp_messages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The 1,088 usrp-users messages, extracted once per test session."""
    if not USRP_ARCHIVE.exists():
        pytest.skip(f"shared data missing: {USRP_ARCHIVE}")
    target = tmp_path_factory.mktemp("usrp")
    with tarfile.open(USRP_ARCHIVE, "r:gz") as archive:
        archive.extractall(target, filter="data")
    return sorted((target / "eml_2025_2026").glob("*.eml"))
