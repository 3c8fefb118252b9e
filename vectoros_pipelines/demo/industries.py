"""What the seller company sells, by industry: products, price ranges and vocabulary.

Choosing another industry changes products, price scale, customer names and the
words people use, so corpora for training and testing can differ in more than
names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    name_de: str
    low: int  # price range of one deal, in the customer's currency
    high: int
    step: int  # amounts are rounded to this
    multi_year: bool = False  # may be quoted as a total over several years


@dataclass(frozen=True, slots=True)
class Industry:
    key: str
    seller_suffixes: tuple[str, ...]  # "Lumora" + " Analytics"
    seller_tld: str
    products: tuple[Product, ...]
    customer_nouns: tuple[str, ...]  # "Halvard" + " Foods"
    pains: tuple[str, ...]  # what a customer wants solved (en)
    pains_de: tuple[str, ...]
    units: tuple[str, ...]  # what quantities are counted in ("seats", "machines", "pallets per week")
    units_de: tuple[str, ...]
    demo_words: tuple[str, ...]  # what a "demo" is called
    demo_words_de: tuple[str, ...]


INDUSTRIES: dict[str, Industry] = {
    "saas": Industry(
        key="saas",
        seller_suffixes=(" Analytics", " Cloud", " Software", "", " Labs", " HQ"),
        seller_tld="io",
        products=(
            Product("Launch edition", "Launch-Edition", 4_000, 12_000, 500),
            Product("Scale edition", "Scale-Edition", 15_000, 48_000, 500),
            Product("Enterprise edition", "Enterprise-Edition", 60_000, 400_000, 1_000, multi_year=True),
            Product("Integration Hub add-on", "Integration-Hub-Modul", 8_000, 30_000, 500),
            Product("SSO & Audit pack", "SSO- und Audit-Paket", 10_000, 36_000, 1_000),
            Product("24/7 Priority Support", "24/7-Priority-Support", 9_000, 40_000, 1_000),
        ),
        customer_nouns=(
            " Health",
            " Retail",
            " Media",
            " Financial",
            " Labs",
            " Insurance",
            " Partners",
            " Hospitality",
            " Energy",
            " Learning",
            " Bank",
            " Group",
        ),
        pains=(
            "our reporting still lives in spreadsheets",
            "the team spends days reconciling numbers every month",
            "our current BI tool does not scale past a few dashboards",
            "we need row-level security for regional teams",
            "leadership wants one view of revenue across all business units",
        ),
        pains_de=(
            "unser Reporting läuft noch über Excel",
            "wir brauchen jeden Monat Tage für den Abgleich der Zahlen",
            "unser aktuelles BI-Tool skaliert nicht",
            "wir brauchen Berechtigungen pro Region",
        ),
        units=("seats", "users", "workspaces"),
        units_de=("Lizenzen", "Nutzer"),
        demo_words=("product demo", "platform walkthrough", "live demo"),
        demo_words_de=("Produktdemo", "Live-Demo"),
    ),
    "manufacturing": Industry(
        key="manufacturing",
        seller_suffixes=(" Machine Works", " Industrial", " Automation", " Precision", " Robotics"),
        seller_tld="com",
        products=(
            Product(
                "VX-500 5-axis machining center", "VX-500 5-Achs-Bearbeitungszentrum", 180_000, 650_000, 5_000
            ),
            Product("Robotic welding cell RW-2", "Roboterschweißzelle RW-2", 120_000, 420_000, 5_000),
            Product(
                "Predictive maintenance sensor kit",
                "Sensorpaket Predictive Maintenance",
                18_000,
                90_000,
                1_000,
            ),
            Product(
                "Annual service contract", "Jährlicher Wartungsvertrag", 12_000, 60_000, 500, multi_year=True
            ),
            Product(
                "Spare parts framework agreement",
                "Rahmenvertrag Ersatzteile",
                25_000,
                150_000,
                1_000,
                multi_year=True,
            ),
            Product("Operator training program", "Bedienerschulung", 6_000, 24_000, 500),
        ),
        customer_nouns=(
            " Metalworks",
            " Components",
            " Plastics",
            " Automotive",
            " Fabrication",
            " Tooling",
            " Aerospace",
            " Engineering",
            " Castings",
            " Packaging",
        ),
        pains=(
            "our cycle times on the housings are too long",
            "unplanned downtime on line 3 is hurting delivery dates",
            "we are replacing two machines that are twenty years old",
            "we need tighter tolerances for a new customer",
            "scrap rates went up after we added the second shift",
        ),
        pains_de=(
            "die Taktzeiten bei den Gehäusen sind zu lang",
            "ungeplante Stillstände an Linie 3 kosten uns Termine",
            "wir ersetzen zwei Maschinen, die zwanzig Jahre alt sind",
            "wir brauchen engere Toleranzen",
        ),
        units=("machines", "cells", "sensors", "spindles"),
        units_de=("Maschinen", "Zellen", "Sensoren"),
        demo_words=("factory visit", "machine demo", "test cut at our showroom"),
        demo_words_de=("Werksbesichtigung", "Maschinenvorführung", "Probebearbeitung"),
    ),
    "logistics": Industry(
        key="logistics",
        seller_suffixes=(" Logistics", " Freight", " Transport", " Supply Chain", " Shipping"),
        seller_tld="com",
        products=(
            Product(
                "Dedicated FTL lane contract",
                "Rahmenvertrag Komplettladungen",
                80_000,
                900_000,
                5_000,
                multi_year=True,
            ),
            Product(
                "Contract warehousing", "Kontraktlogistik Lager", 60_000, 480_000, 5_000, multi_year=True
            ),
            Product("Last-mile delivery service", "Letzte-Meile-Zustellung", 25_000, 160_000, 1_000),
            Product("Cold chain transport", "Kühltransporte", 40_000, 300_000, 1_000),
            Product("Customs brokerage", "Zollabwicklung", 8_000, 45_000, 500),
            Product("Ocean freight consolidation", "Seefracht-Sammelverkehr", 30_000, 220_000, 1_000),
        ),
        customer_nouns=(
            " Foods",
            " Retail",
            " Pharma",
            " Beverages",
            " Home Goods",
            " Electronics",
            " Apparel",
            " Outdoor",
            " Distribution",
            " Brands",
        ),
        pains=(
            "our current carrier missed a third of the delivery windows last quarter",
            "we are opening a second distribution center",
            "peak season volumes doubled this year",
            "we need temperature-controlled capacity for a new product line",
            "customs delays at the border are costing us customers",
        ),
        pains_de=(
            "unser aktueller Spediteur hat ein Drittel der Zeitfenster verpasst",
            "wir eröffnen ein zweites Verteilzentrum",
            "das Volumen in der Hochsaison hat sich verdoppelt",
            "wir brauchen Kühlkapazität für eine neue Produktlinie",
        ),
        units=("pallets per week", "loads per month", "shipments per day"),
        units_de=("Paletten pro Woche", "Ladungen pro Monat"),
        demo_words=("site visit", "warehouse tour", "operations review"),
        demo_words_de=("Standortbesichtigung", "Lagerbesichtigung"),
    ),
}


def industry(key: str) -> Industry:
    try:
        return INDUSTRIES[key]
    except KeyError:
        known = ", ".join(sorted(INDUSTRIES))
        raise ValueError(f"unknown industry {key!r}; choose one of: {known}") from None
