"""Every dashboard page renders for a signed-in person and shows only their workspace's data."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import APP, TIMEOUT_S, texts
from tests.dashboard.seed import PASSWORD, Seeded


def test_signed_out_visitor_sees_only_the_sign_in_form(seeded: Seeded) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert "Sign in" in [b.label for b in at.button]
    assert "Command center" not in texts(at)


def test_sign_in_with_password_opens_the_command_center(seeded: Seeded) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.text_input(key="sign_in_email").input("Dana@Acme.com")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert "Command center" in [t.value for t in at.title]
    assert "dana@acme.com" in texts(at)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(seeded: Seeded) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.text_input(key="sign_in_email").input("dana@acme.com")
    at.text_input(key="sign_in_password").input("wrong password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["That e-mail and password do not match an account."]
    at.text_input(key="sign_in_email").input("nobody@acme.com")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["That e-mail and password do not match an account."]


def test_command_center_shows_pipeline_wins_insights_and_freshness(app_as, seeded: Seeded) -> None:
    at = app_as("dana@acme.com")
    page = texts(at)
    assert "Command center" in page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open pipeline"] == "57,000"  # 48,000 + 9,000; the merged duplicate does not count
    assert metrics["Won this month"] == "120,000"
    assert metrics["New insights today"] == "1"  # Globex's insight of today is not Acme's
    assert metrics["Last capture"] != "never"
    assert "/srv/mail/sales.mbox" in page
    assert "Globex" not in page and "999999" not in page


def test_forecast_shows_band_backtest_and_driving_deals(app_as, seeded: Seeded) -> None:
    at = app_as("vic@acme.com", "app_pages/forecast.py")
    page = texts(at)
    assert "Next 30 days — likely" in page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Error of likely (MAPE)"] == "5%"
    assert metrics["Actual inside the band"] == "100%"
    assert "Initech GmbH" in page  # driver JSON and the deals-closing table
    assert len(at.get("vega_lite_chart")) == 1  # the band chart


def test_insights_page_lists_open_insights_and_filters_by_priority_and_owner(app_as, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/insights.py")
    page = texts(at)
    assert "Hooli pilot is at risk (health 31)" in page
    assert "Initech talks to one person only" in page
    assert "Globex secret upsell" not in page
    assert "nan" not in page.split()  # an insight without a description shows none, not NaN
    at.multiselect(key="insight_priority").select("high").run()
    page = texts(at)
    assert "Hooli pilot is at risk" in page and "Initech talks" not in page
    at.multiselect(key="insight_priority").unselect("high").run()
    at.multiselect(key="insight_owner").select("dana@acme.com").run()
    page = texts(at)
    assert "Initech talks" in page and "Hooli pilot" not in page
    assert "globex" not in " ".join(at.multiselect(key="insight_owner").options).lower()


def test_deals_page_searches_sorts_and_pages_in_the_database(app_as, seeded: Seeded) -> None:
    at = app_as("vic@acme.com", "app_pages/deals.py")
    table = at.dataframe[0].value
    assert list(table["company"]) == ["Initech GmbH", "Hooli"]  # open, by value desc; merged duplicate hidden
    assert table.loc[table["company"] == "Initech GmbH", "health"].iloc[0] == 70.0  # the latest score
    at.selectbox(key="deal_sort").select("company")
    at.toggle(key="deal_desc").set_value(False).run()
    assert list(at.dataframe[0].value["company"]) == ["Hooli", "Initech GmbH"]
    at.text_input(key="deal_search").input("hool").run()
    assert list(at.dataframe[0].value["company"]) == ["Hooli"]
    at.text_input(key="deal_search").input("Globex").run()
    assert at.dataframe[0].value.empty


def test_deal_page_shows_health_timeline_with_source_spans_and_audit_trail(app_as, seeded: Seeded) -> None:
    at = app_as("vic@acme.com", "app_pages/deal.py", deal=str(seeded.big_deal))
    page = texts(at)
    assert "Initech GmbH" in [t.value for t in at.title]
    assert "70 / 100" in page
    assert "Analytics Suite — next steps" in page and "Initech demo" in page
    # the extracted amount is shown inside the sentence it was read from
    assert "`amount` = **48000.0** — from body:" in page
    assert "for :blue-background[**48,000 EUR**] per year" in page
    assert "email “Analytics Suite — next steps”" in page  # the change to value traced to its email
    assert "Lena Fischer <lena@initech.de>" in page


def test_integrations_page_shows_sources_syncs_and_quarantine(app_as, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    page = texts(at)
    assert "/srv/mail/sales.mbox" in page
    assert "unknown charset 'x-unknown'" in page


def test_people_page_lists_this_workspace_only(app_as, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/people.py")
    emails = list(at.dataframe[0].value["email"])
    assert emails == ["admin@acme.com", "dana@acme.com", "vic@acme.com"]


def test_app_file_exists() -> None:
    assert Path(APP).is_file()


def test_text_from_mail_is_shown_literally_never_as_markdown(app_as, engine, seeded: Seeded) -> None:
    from vectoros_pipelines.storage.schema import captured_emails

    with engine.begin() as conn:
        conn.execute(captured_emails.update().where(captured_emails.c.message_key == "msg-1@initech.de")
                     .values(subject="![pixel](https://tracker.example/p.gif) **urgent**"))
    at = app_as("dana@acme.com", "app_pages/deal.py", deal=str(seeded.big_deal))
    markdown = "\n".join(m.value for m in at.markdown)
    assert "\\!\\[pixel\\]\\(https\\:" in markdown and "![pixel](" not in markdown
