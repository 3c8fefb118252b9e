import pytest

from vectoros_pipelines.mail.subjects import normalize_subject


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: [USRP-users] Re: RE: Fwd:  B210   clock ", "b210 clock"),
        ("AW: WG: Angebot Q3", "angebot q3"),
        ("SV: VS: Tarjous", "tarjous"),
        ("TR: RV: Antw: Ynt: Offre", "offre"),
        ("回复：转发: 合同", "合同"),
        ("Re[2]: pricing", "pricing"),
        ("RE (3): pricing", "pricing"),
        ("Fwd: contract (fwd)", "contract"),
        ("[EXTERNAL] Re: Renewal", "renewal"),
        ("", ""),
        (None, ""),
    ],
)
def test_reply_and_forward_prefixes_and_list_tags_are_removed(subject: str | None, expected: str) -> None:
    assert normalize_subject(subject) == expected


@pytest.mark.parametrize("subject", ["PR: launch date", "Ref: order 1234", "Reply needed by Friday", "I: agenda"])
def test_business_subjects_that_look_like_prefixes_are_kept(subject: str) -> None:
    assert normalize_subject(subject) == subject.lower()


def test_a_reply_and_its_original_share_a_subject_key() -> None:
    assert normalize_subject("Re: [USRP-users] X310 FPGA image") == normalize_subject("[USRP-users] X310 FPGA image")
