"""An institution's representative in a real browser: a link asked for with the wrong address,
then the right one; a change proposed with a page on another site, then on the university's;
a reply to a review; and the editor who restores an earlier version from the history."""

import re
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import cite, make_institution, make_program, make_review, make_source

EDITOR = {"username": "editor", "password": "checking-pages-2026"}


@pytest.fixture
def site_data(live_server, django_user_model):
    institution = make_institution(name="Harbor University", website="https://www.harbor.edu/")
    program = make_program(
        institution=institution,
        title="Applied AI for Clinicians",
        slug="applied-ai",
        tuition_total=Decimal("40000"),
    )
    cite(program, "tuition_total", make_source(title="Tuition 2025–26"))
    make_review(program, title="Good on night shifts")
    django_user_model.objects.create_superuser(**EDITOR, email="editor@example.org")
    return {"program": program, "institution": institution}


def send_mail_queue():
    # The ORM is refused in the browser's thread: the queue is sent from another one.
    sender = threading.Thread(target=call_command, args=["send_queued_email"])
    sender.start()
    sender.join()


def test_a_representative_updates_the_listing(page, browser, live_server, site_data, mailoutbox):
    page.goto(live_server.url + site_data["institution"].get_absolute_url())
    page.get_by_role("link", name="how to update your listing").click()
    page.get_by_label("Your e-mail address at the university").fill("jane@gmail.com")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("alert")).to_contain_text("This address is not on harbor.edu")
    expect(page.get_by_label("Your e-mail address at the university")).to_have_value(
        "jane@gmail.com"
    )
    page.get_by_label("Your e-mail address at the university").fill("jane@harbor.edu")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.locator("body")).to_contain_text("Check your mailbox")

    send_mail_queue()
    (message,) = mailoutbox
    link = re.search(r"https?://\S+/update/\S+/", message.body).group()
    page.goto(link)
    expect(page.locator("body")).to_contain_text("Signed in by link as jane@harbor.edu")
    page.get_by_role("link", name="Applied AI for Clinicians").click()
    expect(page.get_by_label("Total tuition", exact=True)).to_have_value("40000.00")
    page.get_by_label("Total tuition", exact=True).fill("48000")
    page.get_by_label("Page that says so (Total tuition)").fill("https://rankings.example.com/x")
    page.get_by_role("button", name="Send the changes to the editors").click()
    expect(page.get_by_role("alert")).to_contain_text("not on the university's own website")
    expect(page.get_by_label("Total tuition", exact=True)).to_have_value("48000")
    page.get_by_label("Page that says so (Total tuition)").fill("https://www.harbor.edu/tuition")
    page.get_by_role("button", name="Send the changes to the editors").click()
    expect(page.locator("body")).to_contain_text("1 change to Applied AI for Clinicians went")

    page.get_by_role("link", name="Reply to reviews of these programs").click()
    page.get_by_label("Your reply, as the program").fill(
        "Thank you: the night cohort now starts in March and September."
    )
    page.get_by_role("button", name="Send the reply for moderation").click()
    expect(page.locator("body")).to_contain_text("A moderator reads it before it is shown")

    # The editor accepts the change and approves the reply; the page shows both.
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    admin = context.new_page()
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill(EDITOR["username"])
    admin.get_by_label("Password").fill(EDITOR["password"])
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Corrections", exact=True).click()
    admin.get_by_role("link", name="the whole proposal").first.click()
    admin.locator("#action-toggle").check()
    admin.get_by_role("combobox", name=re.compile("Action")).select_option(
        label="Accept selected corrections…"
    )
    admin.get_by_role("button", name="Go").click()
    admin.get_by_label("Title").fill("Tuition and fees")
    admin.get_by_label("Publisher").fill("Harbor University")
    admin.get_by_role("button", name="Accept 1").click()
    expect(admin.locator("ul.messagelist")).to_contain_text("1 accepted.")
    admin.goto(live_server.url + "/admin/reviews/reviewreply/")
    admin.locator("#action-toggle").check()
    admin.get_by_role("combobox", name=re.compile("Action")).select_option(
        label="Approve selected replies (show them)"
    )
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator("ul.messagelist")).to_contain_text("1 replies approved.")

    page.goto(live_server.url + site_data["program"].get_absolute_url())
    expect(page.locator("body")).to_contain_text("$48,000")
    expect(page.locator("body")).to_contain_text("Confirmed by the institution on")
    expect(page.locator("body")).to_contain_text("Reply from the program,")

    # The editor restores the version before the change, from the program's history.
    admin.goto(live_server.url + f"/admin/programs/program/{site_data['program'].pk}/history/")
    expect(admin.locator("#change-history")).to_contain_text("Total tuition: 40,000 → 48,000")
    admin.get_by_role("button", name="Restore this version").first.click()
    expect(admin.locator("ul.messagelist")).to_contain_text("Restored")
    page.goto(live_server.url + site_data["program"].get_absolute_url())
    expect(page.locator("body")).to_contain_text("$40,000")
    expect(page.locator("body")).not_to_contain_text("Confirmed by the institution on")
    context.close()
