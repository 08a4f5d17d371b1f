"""An editor's day in a real browser: publish and schedule from a list, check a figure again
from the catalogue report, import a spreadsheet and undo it as a whole."""

import csv
import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import cite, make_institution, make_program, make_source
from tests.programs.test_spreadsheet_import import row

EDITOR = {"username": "editor", "password": "checking-pages-2026"}


@pytest.fixture
def site_data(live_server, django_user_model):
    make_institution(name="Example University", slug="example-university")
    published = make_program(title="Already public", tuition_total=Decimal(40000))
    cite(
        published,
        "tuition_total",
        make_source(title="Old tuition page"),
        as_of=datetime.date(2022, 9, 1),
        checked_on=datetime.date(2023, 1, 10),
    )
    drafts = [
        make_program(title=title, slug=slug, status="draft", published_at=None)
        for title, slug in [("Draft to publish", "to-publish"), ("Draft to schedule", "later")]
    ]
    django_user_model.objects.create_superuser(**EDITOR, email="editor@example.org")
    return {"published": published, "drafts": drafts}


def select_and_act(admin, names, action):
    for name in names:
        admin.get_by_role("row", name=re.compile(name)).get_by_role("checkbox").check()
    admin.get_by_role("combobox", name=re.compile("Action")).select_option(label=action)
    admin.get_by_role("button", name="Go").click()


def test_an_editors_day(page, live_server, site_data, tmp_path):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill(EDITOR["username"])
    page.get_by_label("Password").fill(EDITOR["password"])
    page.get_by_role("button", name="Log in").click()

    # Publish one draft now, schedule the other for tomorrow.
    page.goto(live_server.url + "/admin/programs/program/")
    select_and_act(page, ["Draft to publish"], "Publish selected entries now")
    expect(page.locator("ul.messagelist")).to_contain_text("1 entry published now.")
    select_and_act(page, ["Draft to schedule"], "Schedule selected entries…")
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("#id_published_at_0").fill(tomorrow.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill("09:00:00")
    page.get_by_role("button", name="Schedule 1 entry").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 entry scheduled for")
    expect(page.get_by_role("row", name=re.compile("Draft to schedule"))).to_contain_text(
        "Scheduled for"
    )

    # The old figure, checked again from the report: the page still says so.
    page.goto(live_server.url + "/admin/catalogue-report/")
    old = page.get_by_role("row", name=re.compile("Already public.*Total tuition"))
    expect(old).to_contain_text("2022–23 figure; may have changed")
    old.get_by_role("button", name="Checked again today").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 fact of “Already public")

    # An import, then undone as a whole.
    upload = tmp_path / "programs.csv"
    with upload.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row()))
        writer.writeheader()
        writer.writerow(row())
    page.goto(live_server.url + "/admin/programs/program/import/")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator("ul.messagelist")).to_contain_text("To publish what it brought")
    page.locator("ul.messagelist").get_by_role("link", name="Imports").click()
    select_and_act(page, ["programs.csv"], "Undo the selected import")
    expect(page.locator("ul.messagelist")).to_contain_text("Undid “programs.csv")
    page.goto(live_server.url + "/admin/programs/program/?q=Clinical")
    expect(page.locator("#result_list")).to_have_count(0)
