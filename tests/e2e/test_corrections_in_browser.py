"""A correction's whole journey in a real browser: a reader on a phone sends it (a missing
address first, answered with a message and nothing lost), an editor accepts it, the page shows
the new figure with the page it comes from."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import cite, make_institution, make_program, make_source

EDITOR = {"username": "editor", "password": "checking-pages-2026"}
PAGE = "https://www.harbor.example.edu/applied-ai/tuition"


@pytest.fixture
def site_data(live_server, django_user_model):
    program = make_program(
        institution=make_institution(name="Harbor University"),
        title="Applied AI for Clinicians",
        slug="applied-ai",
        tuition_total=Decimal("40000"),
    )
    cite(program, "tuition_total", make_source(title="Tuition 2025–26"))
    django_user_model.objects.create_superuser(**EDITOR, email="editor@example.org")
    return {"program": program}


def test_a_reader_suggests_and_an_editor_accepts(page, browser, live_server, site_data, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + site_data["program"].get_absolute_url())
    page.get_by_role("link", name=re.compile("^Something wrong or missing here")).first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Suggest a correction")
    page.get_by_label("Which fact is wrong or missing?").select_option(label="Total tuition")
    page.get_by_label("What it should say").fill("$48,000 for the whole degree")
    page.get_by_role("button", name="Send the correction").click()

    # No address: a clear message, and what was typed is still there.
    expect(page.get_by_role("alert")).to_contain_text("Give the address of the page")
    expect(page.get_by_label("What it should say")).to_have_value("$48,000 for the whole degree")
    page.get_by_label("The page where it says so").fill(PAGE)
    page.screenshot(path=str(tmp_path / "correction-on-a-phone.png"), full_page=True)
    page.get_by_role("button", name="Send the correction").click()

    expect(page.locator("body")).to_contain_text("your correction was received")
    expect(page.locator("body")).not_to_contain_text("48,000")  # never public before a decision

    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    admin = context.new_page()
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill(EDITOR["username"])
    admin.get_by_label("Password").fill(EDITOR["password"])
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Corrections", exact=True).click()
    expect(admin.locator("#result_list")).to_contain_text("$48,000 for the whole degree")
    admin.locator("#result_list tbody tr th a").first.click()
    expect(admin.locator("main")).to_contain_text("$40,000")  # what the page says now
    admin.get_by_label("Accept: write the value below and cite the page").check()
    expect(admin.get_by_label("Value to write")).to_have_value("48000")
    admin.locator("#id_source_title").fill("Tuition and fees 2026–27")
    admin.locator("#id_source_publisher").fill("Harbor University")
    admin.locator("#id_as_of").fill("2026-09-01")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator("ul.messagelist")).to_be_visible()

    page.goto(live_server.url + site_data["program"].get_absolute_url())
    expect(page.locator("body")).to_contain_text("$48,000")
    expect(page.locator("body")).to_contain_text("Tuition and fees 2026–27")
    context.close()
