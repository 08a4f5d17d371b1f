"""A review's whole journey in a real browser: written, held for moderation, approved, shown."""

import importlib
import re
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import make_institution, make_program

MODERATOR = {"username": "moderator", "password": "night-shift-moderation-2026"}
# A headline that would run a script if any page printed it unescaped.
PAYLOAD = "<script>window.pwned=1</script>"
HEADLINE = f"Worth it on night shifts {PAYLOAD}"
REVIEW_TEXT = (
    "Lectures were recorded, so I could study after my night shifts on the ward. The projects "
    "used real, de-identified hospital data, and the faculty answered questions within a day."
)
# Not asserted: a picture of the review form on a phone, for a person to look at after a run.


@pytest.fixture
def site_data(live_server, django_user_model):
    """A published program without reviews, and a staff user in the "Moderators" group.

    A live server's test empties the database afterwards, groups from migrations included: the
    group is made again here, if needed, with the permissions its migration gives it (on the
    review models, which have moved to the reviews app since).
    """
    roles = importlib.import_module("programs.migrations.0003_roles")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(
        Permission.objects.filter(
            content_type__app_label="reviews",
            codename__in=roles.MODERATOR_PERMISSIONS["programs"],
        )
    )
    moderator = django_user_model.objects.create_user(**MODERATOR, is_staff=True)
    moderator.groups.add(moderators)
    program = make_program(
        institution=make_institution(name="Harbor University"),
        title="Applied AI for Clinicians",
        slug="applied-ai",
    )
    return {"program": program}


def new_page(browser):
    """A page in a new context: its own cookies, so logged out."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def reviews_section(page):
    return page.get_by_role("region", name="Alumni reviews")


def review_text(page):
    # Not get_by_label("Your review"): "Name shown with your review" would match it too.
    return page.get_by_role("textbox", name=re.compile(r"^Your review"))


def fill_review(page, body):
    """Fill in the form as a person does: by the labels on the screen."""
    page.get_by_role("group", name=re.compile(r"^Overall, how would you rate")).get_by_label(
        "4", exact=True
    ).check()
    page.get_by_label("Headline").fill(HEADLINE)
    review_text(page).fill(body)
    page.get_by_role("group", name=re.compile(r"^Would you recommend")).get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("Year you graduated").fill("2024")
    page.get_by_label("Name shown with your review").fill("Amara K.")
    page.get_by_label("Your email address").fill("amara@example.org")
    page.get_by_label("None: nobody asked or paid me to write this").check()


def assert_no_script_ran(page):
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_review_is_written_moderated_and_published(
    page, live_server, site_data, mailoutbox, tmp_path
):
    program_url = live_server.url + site_data["program"].get_absolute_url()

    # 1. A visitor writes a review, first with too short a text.
    page.goto(program_url)
    expect(reviews_section(page)).to_contain_text("No reviews yet.")
    reviews_section(page).get_by_role("link", name="Write a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Review the Applied AI for Clinicians"
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=tmp_path / "review-form-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})

    fill_review(page, "Great program, recommended.")
    page.get_by_role("button", name="Send my review").click()

    errors = page.get_by_role("alert")
    expect(errors.get_by_role("heading")).to_have_text("Please correct 1 thing below")
    expect(errors).to_contain_text("Everything you wrote is kept.")
    expect(errors.get_by_role("link", name="Your review")).to_be_visible()
    expect(errors).to_contain_text("at least 80 characters")
    body = review_text(page)
    expect(body).to_have_value("Great program, recommended.")
    expect(page.get_by_label("Headline")).to_have_value(HEADLINE)
    expect(page.get_by_label("Year you graduated")).to_have_value("2024")
    expect(page.get_by_label("Name shown with your review")).to_have_value("Amara K.")
    expect(page.get_by_label("Your email address")).to_have_value("amara@example.org")
    rating = page.get_by_role("group", name=re.compile(r"^Overall, how would you rate"))
    expect(rating.get_by_label("4", exact=True)).to_be_checked()
    recommend = page.get_by_role("group", name=re.compile(r"^Would you recommend"))
    expect(recommend.get_by_label("Yes", exact=True)).to_be_checked()
    expect(page.get_by_label("None: nobody asked or paid me to write this")).to_be_checked()
    assert_no_script_ran(page)

    body.fill(REVIEW_TEXT)
    page.get_by_role("button", name="Send my review").click()

    # Back on the program page, at the top where the thank-you message is.
    expect(page).to_have_url(program_url)
    expect(page.get_by_role("status")).to_contain_text(
        "Thank you: your review was received. A moderator reads every review before it is "
        "published."
    )
    expect(reviews_section(page)).to_contain_text("No reviews yet.")
    expect(page.get_by_text("Worth it on night shifts")).to_have_count(0)
    assert_no_script_ran(page)
    assert mailoutbox == []  # queued: the request never waits on a mail server
    # The queue's sender, as cron runs it (in a thread: Playwright's loop runs in this one).
    sender = threading.Thread(target=call_command, args=["send_queued_email"])
    sender.start()
    sender.join()
    assert [message.to for message in mailoutbox] == [["amara@example.org"]]

    # 2. A moderator approves it in the admin, in a browser of their own.
    admin = new_page(page.context.browser)
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill(MODERATOR["username"])
    admin.get_by_label("Password").fill(MODERATOR["password"])
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Reviews", exact=True).click()

    expect(admin.get_by_role("heading", level=1)).to_have_text("Select review to change")
    rows = admin.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(HEADLINE)
    expect(rows).to_contain_text("Waiting for moderation")
    assert_no_script_ran(admin)
    rows.get_by_role("link", name=HEADLINE).click()

    expect(admin.get_by_role("heading", level=1)).to_have_text("Change review")
    expect(admin.locator("main")).to_contain_text(REVIEW_TEXT)
    assert_no_script_ran(admin)
    decision = admin.get_by_role("group", name="Decision", exact=True)
    decision.get_by_label("Approve", exact=True).check()
    admin.get_by_role("button", name="Save", exact=True).click()

    expect(admin.locator("ul.messagelist")).to_contain_text(
        f"The review “{HEADLINE}” was changed successfully."
    )
    # The default list is the queue of pending reviews, now empty.
    expect(admin.locator("#result_list")).to_have_count(0)
    expect(admin.get_by_text("0 reviews")).to_be_visible()
    assert_no_script_ran(admin)
    admin.context.close()

    # 3. The visitor, in a new browser context and logged out, now sees the review.
    visitor = new_page(page.context.browser)
    visitor.goto(program_url)
    review = reviews_section(visitor).get_by_role("article")
    expect(review).to_have_count(1)
    expect(review.get_by_role("heading")).to_have_text(HEADLINE)
    expect(review).to_contain_text(REVIEW_TEXT)
    expect(review).to_contain_text("4 out of 5")
    expect(review).to_contain_text("Amara K., graduated 2024")
    expect(review).to_contain_text("Recommends the program")
    expect(review).not_to_contain_text("amara@example.org")
    expect(reviews_section(visitor)).to_contain_text("1 approved review")
    assert_no_script_ran(visitor)
    visitor.context.close()
