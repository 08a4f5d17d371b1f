"""A nurse checks her fit in a real browser, on the real catalogue: the form, the list
filtered by fit, and a program's lines with their sources."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture
def site_data(live_server):
    call_command("load_demo", stdout=io.StringIO())


def test_a_nurse_fills_in_her_profile_and_sees_her_fit(page, live_server, artefacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Will I get in?").first.click()
    page.get_by_label("Your role or licence").select_option("rn")
    page.get_by_label("Your bachelor's degree is in").select_option("nursing")
    page.get_by_label("Your undergraduate GPA (4.0 scale)").fill("9")
    page.get_by_label("Years of healthcare work").fill("6")
    page.get_by_role("group", name="Programming").get_by_label("None").check()
    page.get_by_role("group", name="Have you passed a statistics course?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Would you take the GRE").get_by_label("No").check()
    page.get_by_label("Budget for the whole degree (US$)").fill("60000")
    page.get_by_label("Part-time, while working").check()
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Check my fit").click()

    # A GPA of 9 is refused on the form, with focus on the summary; the rest is kept.
    expect(page).to_have_title("Error: Will I get in? Check your fit · AI Degree Portal")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("GPA is on a 4.0 scale")
    expect(page.get_by_label("Years of healthcare work")).to_have_value("6")
    page.get_by_label("Your undergraduate GPA (4.0 scale)").fill("3.4")
    page.get_by_role("button", name="Check my fit").click()

    results = page.locator("#fit-results")
    expect(results).to_contain_text("Your fit with")
    expect(page).to_have_url(re.compile(r"/fit/\?.*gpa=3\.4.*formats=online#fit-results"))
    # The answer first: on a phone the first verdict is in the first screen after submitting,
    # and her answers are folded away under "Change my answers".
    first = page.locator(".fit-verdict").first
    expect(first).to_be_visible()
    assert 0 <= first.bounding_box()["y"] < 844 - first.bounding_box()["height"]
    expect(page.get_by_label("Years of healthcare work")).to_be_hidden()
    page.get_by_text("Change my answers").click()
    expect(page.get_by_label("Years of healthcare work")).to_have_value("6")
    page.screenshot(path=artefacts / "fit-390.png", full_page=True)

    # The list, filtered to the programs she does not meet: each says what would close the gap.
    page.locator("#fit-gap ~ p a").click()
    cards = page.locator(".program-card")
    expect(cards.first).to_be_visible()
    for index in range(cards.count()):
        expect(cards.nth(index).locator(".fit-verdict")).to_contain_text("Does not meet")
    expect(page.locator(".filter-toggle > summary")).to_contain_text("Filter (1 active)")

    # A program's page: one line per requirement, each checked one with its source note.
    cards.first.locator("h3 a").click()
    fit = page.locator("#fit")
    fit.get_by_text("Requirement by requirement").click()
    lines = fit.locator(".fit-line-list li")
    expect(lines).to_have_count(9)
    expect(fit).to_contain_text("Bachelor's field")
    expect(fit.locator(".fit-line-list li.gap .note-ref").first).to_be_visible()
    page.screenshot(path=artefacts / "program-fit-390.png", full_page=True)


def test_the_payback_result_prints_without_the_form(page, live_server, artefacts):
    page.goto(live_server.url + "/programs/")
    page.goto(
        live_server.url + "/programs/dartmouth-ms-health-data-science/payback/"
        "?salary=78000&pace=full_time&assistance=5250&career=healthcare-data-scientist"
    )
    expect(page.locator("#result")).to_contain_text("4.4 years after graduating")
    page.emulate_media(media="print")
    expect(page.locator("form.payback-form")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#result table").first).to_be_visible()
    # An amount keeps its digits on one line when printed.
    cell = page.locator("#result tr.total td.number").first
    expect(cell).to_have_text("$94,119")
    lines = "c => { const r = document.createRange(); r.selectNodeContents(c); "
    lines += "return r.getClientRects().length; }"
    assert cell.evaluate(lines) == 1
    page.screenshot(path=artefacts / "payback-print.png", full_page=True)
