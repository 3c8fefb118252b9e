import pytest

from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.companies import (
    best_name_for_domain,
    company_candidates,
    company_key,
    display_name_company,
    looks_like_company,
    name_fits_domain,
    name_shares_domain,
    signature_company,
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


# Signature blocks and display names (invented names): the company as the customer signs, with or without
# a legal form, in the shapes people write in English and German.
@pytest.mark.parametrize(("text", "person", "company"), [
    ("Sounds good.\n\nThanks,\nLena Ortiz | Head of Data | Pike & Harrow", "Lena Ortiz", "Pike & Harrow"),
    ("Sure.\n\nBest,\nOwen Blake\nVP Operations, Tidewater Analytics", "Owen Blake", "Tidewater Analytics"),
    ("Works for us.\n— Owen, Procurement @ Larkspur", "Owen Blake", "Larkspur"),
    ("Best regards,\nOwen Blake\nDirector of IT at Kestrel Freight", "Owen Blake", "Kestrel Freight"),
    ("Kind regards,\nMaria Lopez\nCFO | Harbor Point Foods\n+1 555 123 4567", "", "Harbor Point Foods"),
    ("Cheers,\nPriya\n\nPriya Nair\nHead of Finance\nCobalt Ridge Systems\nM: +1 555 0100", "Priya Nair",
     "Cobalt Ridge Systems"),
    ("Thanks,\nTom Reyes\n\n--\nProcurement Manager\nBasalt Works Co.\nT: +1 555 0101", "", "Basalt Works Co."),
    ("Anbei die Unterlagen.\n\nMit freundlichen Grüßen\nJan Vogt\nEinkauf\nFalkenau Logistik GmbH\nTel. +49 30 1234567",
     "", "Falkenau Logistik GmbH"),
    ("Passt gut.\n\nViele Grüße\nSabine\n\n___\nSabine Roth\nLeiterin Beschaffung | Moorbach Spedition\nTel. +49 40 55555",
     "Sabine Roth", "Moorbach Spedition"),
    ("Beste Grüße\nKlaus Berger\n\n--\nBereichsleiter Logistik\nHolmfeld Transporte", "Klaus Berger", "Holmfeld Transporte"),
])
def test_company_from_signature_block(text: str, person: str, company: str) -> None:
    assert signature_company(text, person) == company


@pytest.mark.parametrize(("text", "person"), [
    ("Cheers,\nJane", "Jane Doe"),
    ("Let me know.\nThanks\nJane Doe\nHead of Data", "Jane Doe"),
    ("Best,\nTom\n\nSent from my iPhone", "Tom Hill"),
    ("We met at the conference in Berlin, see you there.\nBest,\nTom", "Tom Hill"),
    ("Thanks,\nCamille\n\nCamille Roux\nHead of Finance", "Camille Roux"),
    ("Mit freundlichen Grüßen\nJan Vogt\nEinkauf", ""),
])
def test_signatures_without_a_company_give_none(text: str, person: str) -> None:
    assert signature_company(text, person) is None


@pytest.mark.parametrize(("display", "company"), [
    ("Jane Doe (Larkspur Corp)", "Larkspur Corp"),
    ("Larkspur Corp Billing", "Larkspur Corp"),
    ("Jane Doe | Larkspur", "Larkspur"),
    ("Falkenau Logistik Einkauf", "Falkenau Logistik"),
    ("Jane Doe", None),
    ("Jane Doe (Sales)", None),
])
def test_company_from_display_name(display: str, company: str | None) -> None:
    assert display_name_company(display) == company


@pytest.mark.parametrize(("name", "domain", "fits"), [
    ("Pike & Harrow", "pikeharrow.com", True),
    ("Tidewater Analytics", "tidewater.io", True),
    ("Falkenau Logistik GmbH", "falkenau-log.de", True),
    ("Grün Spedition", "gruen-spedition.de", True),
    ("Head of Data", "acme.com", False),
    ("Harbor Point Foods", "quarrylane.com", False),
])
def test_signed_names_that_share_the_domain(name: str, domain: str, fits: bool) -> None:
    assert name_shares_domain(name, domain) is fits


@pytest.mark.parametrize("text", ["YPO COUPLE RETREAT REGISTRATION FORM", "ConEd\t\tEnron", "Acme  Corp"])
def test_headings_and_table_columns_are_not_company_names(text: str) -> None:
    assert not looks_like_company(text)


@pytest.mark.parametrize("text", ["IBM", "ACME GMBH", "Macy's", "Rowan & Finch LLP", "BASF SE"])
def test_short_capitals_and_real_names_still_are(text: str) -> None:
    assert looks_like_company(text)


def test_a_kg_footer_names_its_general_partner_which_is_not_the_customer() -> None:
    from vectoros_pipelines.extraction.companies import signature_companies

    text = ("Grüße\nFranz Roth\nEinkauf\nMüller Backwaren GmbH & Co. KG\n"
            "Sitz Ulm, persönlich haftende Gesellschafterin: Müller Backwaren Verwaltungs-GmbH")
    assert signature_companies(text, "Franz Roth")[0] == "Müller Backwaren GmbH & Co. KG"
    assert best_name_for_domain([text], "mueller-backwaren.de")[0] == "Müller Backwaren GmbH & Co. KG"


@pytest.mark.parametrize(("name", "key"), [
    ("Lipa Medical d.o.o.", "lipa medical"), ("Moravia Precision s.r.o.", "moravia precision"),
    ("Alpenhof Hotels GmbH & Co KG", "alpenhof hotels"), ("Bauer Holzbau GesmbH", "bauer holzbau"),
])
def test_central_european_legal_forms_are_not_part_of_the_name(name: str, key: str) -> None:
    assert company_key(name) == key



def test_a_department_tail_or_a_lone_generic_word_is_no_company_name() -> None:
    from vectoros_pipelines.extraction.companies import company_key, tidy_company

    assert tidy_company("Ardent Biotech Procurement") == "Ardent Biotech"
    assert tidy_company("Hotel") is None and tidy_company("Global Group") is None
    assert tidy_company("Hotel Schwarzwaldblick") == "Hotel Schwarzwaldblick"
    assert company_key("Markgräfler Weinkellerei eG") == company_key("Markgräfler Weinkellerei")
