import pytest

from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.companies import (
    best_name_for_domain,
    company_candidates,
    company_key,
    name_fits_domain,
)
from vectoros_pipelines.extraction.domains import is_free_mail, registrable_domain
from vectoros_pipelines.extraction.parties import find_parties
from vectoros_pipelines.mail.message import Participant

US = WorkspaceContext("Brightline", ("brightline.io",))


def test_legal_forms_normalised_in_the_key_only() -> None:
    assert company_key("ACME Corp.") == company_key("Acme") == "acme"
    assert company_key("Müller Logistik GmbH & Co. KG") == "muller logistik"
    assert company_key("Initech S.A.") == company_key("Initech B.V.") == company_key("Initech, Inc.") == "initech"


def test_names_that_own_a_domain() -> None:
    assert name_fits_domain("Meridian Health Partners", "meridianhp.com")
    assert name_fits_domain("Summit Ridge Credit Union", "summitridgecu.org")
    assert name_fits_domain("Rowan & Finch LLP", "rowanfinch.com")
    assert not name_fits_domain("Best Regards", "acme.com")


def test_company_from_signature_keeps_display_form() -> None:
    text = "Beste Grüße\nJonas Weber\nEinkauf | Brandt Maschinenbau GmbH\nTel. +49 711 000"
    found = best_name_for_domain([text], "brandt-maschinenbau.de")
    assert found is not None and found[0] == "Brandt Maschinenbau GmbH"


def test_free_mail_is_never_the_company_domain() -> None:
    assert is_free_mail("bob@gmail.com") and is_free_mail("web.de")
    parties = find_parties(Participant("bob@gmail.com", "Bob", "from"), [Participant("maria@brightline.io", None, "to")], US)
    assert parties.direction == "inbound" and parties.contact is not None and parties.company_domain is None


def test_company_domain_is_the_external_party_never_ours() -> None:
    parties = find_parties(
        Participant("maria@brightline.io", "Maria", "from"),
        [Participant("dana@mail.acme.co.uk", "Dana", "to"), Participant("jake@brightline.io", None, "cc")],
        US,
    )
    assert parties.direction == "outbound"
    assert parties.company_domain == "acme.co.uk" == registrable_domain("mail.acme.co.uk")
    assert parties.contact is not None and parties.contact.email == "dana@mail.acme.co.uk"


def test_signature_services_are_not_the_customer() -> None:
    parties = find_parties(Participant("dse@docusign.net", "Dana via DocuSign", "from"), [], US)
    assert parties.company_domain is None and parties.contact is None


@pytest.mark.parametrize(("name", "domain"), [
    ("Steinbrück Components SE", "steinbrueck.de"),
    ("Müller Logistik GmbH", "mueller-logistik.de"),
    ("Weiß Maschinenbau AG", "weiss-maschinenbau.de"),
])
def test_umlaut_names_fit_transliterated_domains(name: str, domain: str) -> None:
    assert name_fits_domain(name, domain)


@pytest.mark.parametrize(("text", "name"), [
    ("Élodie Bakker\nOstrander Retail S.A.R.L.", "Ostrander Retail S.A.R.L."),
    ("Ana Ruiz\nSolano Hospitality S.L.", "Solano Hospitality S.L."),
])
def test_legal_forms_are_kept_whole(text: str, name: str) -> None:
    assert name in [n for n, _s, _e in company_candidates(text)]
    assert company_key(name) == company_key(name.rsplit(" ", 1)[0])
