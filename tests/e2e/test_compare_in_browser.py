"""Comparing programs in a real browser: ticking cards, highlighting, the CSV, the tray."""

import csv
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import cite, make_institution, make_program, make_source

# Not asserted: a picture of the comparison on a phone, for a person to look at after a run.


@pytest.fixture
def site_data(live_server):
    """Four published programs; three cite their tuition and format, the fourth's are unsourced."""
    source = make_source(title="Graduate tuition survey 2026")

    def program(title, slug, tuition, delivery_format, cited=True):
        created = make_program(
            institution=make_institution(name=f"{title.split()[0]} University"),
            title=title,
            slug=slug,
            tuition_total=tuition,
            delivery_format=delivery_format,
        )
        if cited:
            cite(created, "tuition_total", source)
            cite(created, "delivery_format", source)
        return created

    return {
        "applied": program("Applied AI for Clinicians", "applied-ai", 40000, "online"),
        "biomedical": program("Biomedical AI", "biomedical-ai", 45000, "hybrid"),
        "clinical": program("Clinical Machine Learning", "clinical-ml", 60000, "campus"),
        "digital": program("Digital Health AI", "digital-health-ai", 52000, "online", cited=False),
    }


def comparison_table(page):
    return page.get_by_role("table", name=re.compile(r"^Programs side by side"))


def row(table, label):
    """The table row headed `label` (the header may also say "Differs")."""
    header = table.page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(label)}\b"))
    return table.get_by_role("row").filter(has=header)


def test_visitor_ticks_programs_compares_highlights_and_downloads_csv(
    page, live_server, site_data, tmp_path
):
    page.goto(live_server.url + "/programs/")
    # A form sends its boxes in page order, whatever the order of clicks: tick as listed.
    for title in ["Applied AI for Clinicians", "Clinical Machine Learning", "Digital Health AI"]:
        page.get_by_label(f"Compare {title}", exact=True).check()
    # The button after the list (the same as the one above it).
    page.get_by_role("button", name="Compare ticked programs").last.click()

    expect(page).to_have_url(re.compile(r"/programs/compare/\?"))
    query = urlsplit(page.url)
    assert query.path == "/programs/compare/"
    assert parse_qs(query.query) == {"p": ["applied-ai", "clinical-ml", "digital-health-ai"]}
    table = comparison_table(page)
    headers = table.locator("thead").get_by_role("columnheader")
    expect(headers).to_have_count(3)
    expect(headers).to_contain_text(
        ["Applied AI for Clinicians", "Clinical Machine Learning", "Digital Health AI"]
    )
    expect(table).not_to_contain_text("Biomedical AI")
    tuition = row(table, "Total tuition").get_by_role("cell")
    expect(tuition.nth(0)).to_contain_text("$40,000")
    expect(tuition.nth(0)).to_contain_text("[1]")
    expect(tuition.nth(1)).to_contain_text("$60,000")
    expect(tuition.nth(2)).to_have_text("Not reported")
    sources = page.get_by_role("region", name="Sources", exact=True)
    expect(sources).to_contain_text("Graduate tuition survey 2026")

    page.get_by_role("link", name="Highlight differences").click()

    expect(page).to_have_url(re.compile(r"[?&]highlight=1(&|$)"))
    table = comparison_table(page)
    expect(table).to_have_accessible_name(re.compile("differences highlighted"))
    expect(row(table, "Total tuition").get_by_role("rowheader")).to_contain_text("Differs")
    expect(row(table, "Format").get_by_role("rowheader")).to_contain_text("Differs")
    # Nothing is known about credits, and "not reported" is never a difference.
    credits = row(table, "Credits")
    expect(credits.get_by_role("cell")).to_have_text(["Not reported"] * 3)
    expect(credits.get_by_role("rowheader")).not_to_contain_text("Differs")
    tuition = row(table, "Total tuition").get_by_role("cell")
    expect(tuition.nth(0)).to_contain_text("Lowest")
    expect(tuition.nth(1)).not_to_contain_text("Lowest")

    # On a phone the table scrolls sideways inside its region; the page itself does not.
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=tmp_path / "compare-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.get_by_role("region", name=re.compile("side by side"))
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")

    # Printed, the page is the table and its sources, without the site's controls.
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Download as CSV (for a spreadsheet)")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(comparison_table(page)).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV (for a spreadsheet)").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == [
        "Group",
        "Row",
        "Applied AI for Clinicians (Applied University)",
        "Clinical Machine Learning (Clinical University)",
        "Digital Health AI (Digital University)",
    ]
    by_label = {line[1]: line[2:] for line in rows if len(line) > 2}
    assert by_label["Total tuition"] == ["$40,000 [1]", "$60,000 [1]", "Not reported"]
    notes = rows[[line[:1] for line in rows].index(["Note"]) + 1 :]
    assert notes[0][:2] == ["[1]", "Graduate tuition survey 2026"]


def test_visitor_collects_programs_in_the_tray_and_compares_them(page, live_server, site_data):
    applied, clinical = site_data["applied"], site_data["clinical"]
    tray = page.get_by_role("complementary", name=re.compile(r"^Your comparison"))

    def add_from_program_page(program):
        page.goto(live_server.url + program.get_absolute_url())
        page.get_by_role("button", name="Add to comparison").click()
        expect(page).to_have_url(live_server.url + program.get_absolute_url())
        expect(page.get_by_role("status")).to_contain_text(f"Added “{program}”")

    add_from_program_page(applied)
    add_from_program_page(clinical)

    expect(tray.get_by_role("heading")).to_have_text("Your comparison: 2 of 4 programs")
    expect(tray.get_by_role("listitem")).to_contain_text([applied.title, clinical.title])

    tray.get_by_role("button", name=f"Remove {applied.title}").click()

    expect(tray.get_by_role("heading")).to_have_text("Your comparison: 1 of 4 programs")
    expect(tray).not_to_contain_text(applied.title)
    expect(tray).to_contain_text("Add at least one more program to compare.")

    add_from_program_page(applied)
    expect(tray.get_by_role("heading")).to_have_text("Your comparison: 2 of 4 programs")
    tray.get_by_role("link", name="Compare these 2").click()

    expect(page).to_have_url(re.compile(r"/programs/compare/\?"))
    headers = comparison_table(page).locator("thead").get_by_role("columnheader")
    expect(headers).to_have_count(2)
    expect(headers).to_contain_text([clinical.title, applied.title])


def test_the_printed_comparison_keeps_the_source_addresses_and_says_not_reported_plainly(
    page, live_server, site_data
):
    slugs = "&".join(f"p={site_data[k].slug}" for k in ("applied", "digital"))
    page.goto(f"{live_server.url}/programs/compare/?{slugs}")
    page.emulate_media(media="print")
    link = page.locator(".notes a[href^='http']").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in after
    missing = page.locator(".comparison td.not-reported").first
    reported = page.locator(".comparison td:not(.not-reported)").first
    size = "c => getComputedStyle(c).fontSize"
    assert missing.evaluate(size) == reported.evaluate(size)
