"""Maven Analytics' sample CRM: four CSVs joined into one opportunity list.

sales_pipeline.csv holds the opportunities; accounts, products and sales_teams
add the sector, the list price and the agent's team. Open deals have no close
value, so their amount at stake is the product's list price; lost deals record
close_value 0, so theirs is the list price too (what was at stake, not what was paid).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vectoros_pipelines.crm.parse import CrmFileError, _expand, _validate, read_csv
from vectoros_pipelines.crm.rows import CrmDeal, ParsedExport, RowError

FILES = ("sales_pipeline.csv", "accounts.csv", "products.csv", "sales_teams.csv")
STAGES = {"Won": "Won", "Lost": "Lost", "Engaging": "Engaging", "Prospecting": "Prospecting"}


def _product_key(name: str) -> str:
    # The pipeline says "GTXPro" where products.csv says "GTX Pro".
    return name.replace(" ", "").lower()


def parse_maven(paths: Sequence[Path]) -> ParsedExport:
    files = {p.name: p for p in _expand(paths)}
    missing = [name for name in FILES if name not in files]
    if missing:
        raise CrmFileError(f"Maven mapping needs {', '.join(FILES)}; missing {', '.join(missing)}")
    pipeline = read_csv(files["sales_pipeline.csv"])
    accounts = read_csv(files["accounts.csv"]).set_index("account").to_dict("index")
    products = {_product_key(r["product"]): r for r in read_csv(files["products.csv"]).to_dict("records")}
    teams = read_csv(files["sales_teams.csv"]).set_index("sales_agent").to_dict("index")

    deals: list[CrmDeal] = []
    errors: list[RowError] = []
    for offset, row in enumerate(pipeline.to_dict("records")):
        line = offset + 2
        product = products.get(_product_key(row.get("product", "")))
        if product is None:
            errors.append(RowError("sales_pipeline.csv", line, f"product {row.get('product')!r} not in products.csv"))
            continue
        stage = row.get("deal_stage", "")
        if stage not in STAGES:
            errors.append(RowError("sales_pipeline.csv", line, f"unknown deal_stage {stage!r}"))
            continue
        amount = row.get("close_value", "")
        if stage != "Won" or not amount:
            amount = product["sales_price"]
        account = accounts.get(row.get("account", ""), {})
        team = teams.get(row.get("sales_agent", ""), {})
        cell = {
            "id": row.get("opportunity_id", ""), "name": f"{row.get('account') or 'Unknown account'} — {product['product']}",
            "account": row.get("account", ""), "amount": amount, "currency": "USD", "stage": stage,
            "created": row.get("engage_date", ""), "close_date": row.get("close_date", ""),
            "owner": row.get("sales_agent", ""), "product": product["product"],
        }
        extra = {
            "list_price": float(product["sales_price"]), "series": product["series"],
            "close_value": row.get("close_value") or None, "sector": account.get("sector"),
            "manager": team.get("manager"), "regional_office": team.get("regional_office"),
        }
        result = _validate(cell, f"sales_pipeline.csv:{line}", extra)
        if isinstance(result, str):
            errors.append(RowError("sales_pipeline.csv", line, result))
        else:
            deals.append(result)
    return ParsedExport(deals, errors, "maven")
