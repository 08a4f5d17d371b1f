"""The layout on the real catalogue, in Chromium: phone first, no sideways scroll, the
comparison's two columns on a phone, focus after forms and the tray.

Screenshots of the main pages at 390 px and 1280 px are left in var/test-artefacts (or
$PORTAL_TEST_ARTEFACTS) for a person to look at; the assertions are the layout facts.
"""

import datetime
import importlib
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site_data(live_server):
    """The demo content and the real catalogue, loaded as `make run` loads them."""
    from careers.models import Career
    from programs.models import Program

    call_command("load_demo", stdout=io.StringIO())
    # A live server's database is emptied between tests, the rows migrations wrote too: the
    # seeded words for filters are written again (before the browser starts).
    from search.models import FilterWord

    seed = importlib.import_module("search.migrations.0004_seed_filter_words")
    for listing, words in seed.FILTER_WORDS.items():
        for phrase, parameter, value in words:
            FilterWord.objects.get_or_create(
                listing=listing, phrase=phrase, defaults={"parameter": parameter, "value": value}
            )
    compared = list(
        Program.objects.published()
        .exclude(tuition_total=None)
        .order_by("slug")
        .values_list("slug", flat=True)[:4]
    )
    program = Program.objects.published().get(slug=compared[0])
    career = Career.objects.published().exclude(salary_low=None).first()
    ahead = (
        Program.objects.published()
        .filter(application_deadline__gt=timezone.localdate() + datetime.timedelta(days=10))
        .order_by("slug")
        .first()
    )
    return {
        "home": "/",
        "list": "/programs/",
        "program": program.get_absolute_url(),
        "comparison": "/programs/compare/?" + "&".join(f"p={slug}" for slug in compared),
        "career": career.get_absolute_url(),
        "institution": program.institution.get_absolute_url(),
        "careers": "/careers/",
        "certifications": "/certifications/",
        "search": "/search/?q=health+informatics",
        "policy": "/reviews/policy/",
        # The fit first: the pages after it show the reader's fit.
        "fit": "/fit/?" + NURSE,
        "program-with-fit": program.get_absolute_url(),
        "list-by-fit": "/programs/?sort=fit",
        "payback": program.get_absolute_url()
        + f"payback/?salary=78000&pace=full_time&assistance=5250&career={career.slug}",
        "compare-payback": "/programs/compare/payback/?"
        + "&".join(f"p={slug}" for slug in compared)
        + f"&salary=78000&pace=full_time&career={career.slug}",
        "fit-explained": "/about/fit-and-payback/",
        # Step 17: words read as filters, a deadline reminder.
        "list-from-words": "/programs/?q=no+GRE+online+informatics+under+%2450%2C000",
        "reminder": f"/programs/{ahead.slug}/remind/",
    }


NURSE = (
    "role=rn&bachelor_field=nursing&gpa=3.4&experience=6&programming=none&statistics=yes"
    "&gre=no&budget=60000&pace=part_time&formats=online&formats=hybrid"
)


def sideways(page):
    """How far the page scrolls sideways, in CSS pixels (0: it does not)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def open_page(browser, viewport, bigger_text=False, scheme="light"):
    context = browser.new_context(viewport=viewport, bypass_csp=bigger_text, color_scheme=scheme)
    page = context.new_page()
    return context, page


def test_the_pages_fit_a_phone_and_a_desktop_and_are_photographed(
    browser, live_server, site_data, artefacts
):
    pages = site_data
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context, page = open_page(browser, viewport)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.screenshot(path=artefacts / f"{name}-{viewport['width']}.png", full_page=True)
            assert sideways(page) <= 0, (label, name)
        context.close()

    # At 320 px, and at 200% text on a 412 px phone, no page scrolls sideways.
    for viewport, bigger in (
        ({"width": 320, "height": 640}, False),
        ({"width": 412, "height": 915}, True),
    ):
        context, page = open_page(browser, viewport, bigger_text=bigger)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            if bigger:
                page.add_style_tag(content="html { font-size: 200% !important; }")
            assert sideways(page) <= 0, (viewport["width"], bigger, name, sideways(page))
        context.close()


def test_on_a_phone_the_count_and_first_result_come_first_and_filters_open_on_demand(
    browser, live_server, site_data
):
    context, page = open_page(browser, PHONE)
    page.goto(live_server.url + "/programs/?format=online")
    count = page.locator(".result-count")
    first = page.locator(".program-card").first
    assert count.bounding_box()["y"] < PHONE["height"]
    assert first.bounding_box()["y"] < PHONE["height"], "the first result is above the fold"
    summary = page.locator(".filter-toggle > summary")
    expect(summary).to_have_text(re.compile(r"Filter \(1 active\)"))
    expect(page.get_by_role("heading", name="Filter programs")).to_be_hidden()
    summary.click()
    expect(page.get_by_role("heading", name="Filter programs")).to_be_visible()
    context.close()

    context, page = open_page(browser, DESKTOP)
    page.goto(live_server.url + "/programs/")
    expect(page.get_by_role("heading", name="Filter programs")).to_be_visible()
    expect(page.locator(".filter-toggle > summary")).to_be_hidden()
    context.close()


def test_the_comparison_shows_two_programs_on_a_phone_and_no_inner_scroll_box_on_a_desktop(
    browser, live_server, site_data
):
    context, page = open_page(browser, PHONE)
    page.goto(live_server.url + site_data["comparison"])
    headers = page.locator(".comparison thead th")
    expect(headers).to_have_count(4)
    width = PHONE["width"]
    boxes = [headers.nth(n).bounding_box() for n in range(4)]
    labels = page.locator('.comparison th[scope="row"]').first.bounding_box()
    # Row labels, then two whole columns in view; the third starts past the edge.
    assert boxes[0]["x"] >= labels["x"] + labels["width"] - 1
    assert boxes[1]["x"] + boxes[1]["width"] <= width + 1
    assert boxes[2]["x"] >= width - 20
    # A line says more programs lie to the right.
    expect(page.locator(".swipe-cue")).to_be_visible()
    expect(page.locator(".swipe-cue")).to_contain_text("swipe the table sideways")
    # Every row label fits its column, and words wrap only at their syllables.
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('.comparison th[scope=row]')]"
        ".filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.textContent.trim())"
    )
    assert overflowing == []
    cell = page.locator(".comparison td").first
    assert cell.evaluate("c => getComputedStyle(c).overflowWrap") == "normal"
    assert "\u00ad" in page.locator(".comparison").inner_text() or "\u00ad" in page.content()
    # Down the table, the programs' names stay in view.
    box = page.locator(".table-scroll")
    top = box.bounding_box()["y"]
    box.evaluate("box => box.scrollBy({top: 900})")
    page.wait_for_timeout(300)
    assert abs(headers.first.bounding_box()["y"] - top) < 3
    box.evaluate("box => box.scrollTo({top: 0})")
    # A swipe sideways keeps the row labels in place.
    page.locator(".table-scroll").evaluate("box => box.scrollBy({left: 400})")
    page.wait_for_timeout(400)
    moved = page.locator('.comparison th[scope="row"]').first.bounding_box()
    assert abs(moved["x"] - labels["x"]) < 2
    context.close()

    context, page = open_page(browser, DESKTOP)
    page.goto(live_server.url + site_data["comparison"])
    inner = page.locator(".table-scroll").evaluate("box => box.scrollHeight - box.clientHeight")
    assert inner <= 1, "the table does not sit in a box that scrolls down"
    context.close()


def test_sources_are_numbered_notes_that_the_keyboard_reaches(browser, live_server, site_data):
    context, page = open_page(browser, DESKTOP)
    page.goto(live_server.url + site_data["program"])
    note = page.locator(".key-figures .note-ref").first
    number = note.inner_text().strip("[] ").split()[-1].strip("[]")
    note.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#source-{number}$"))
    target = page.locator(f"#source-{number}")
    expect(target).to_contain_text("as of")
    context.close()


def test_after_a_failed_form_focus_is_on_the_errors_and_the_title_says_error(
    browser, live_server, site_data
):
    context, page = open_page(browser, DESKTOP)
    page.goto(live_server.url + site_data["program"] + "reviews/new/")
    page.get_by_role("button", name=re.compile("Send|Submit")).click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    focused = page.evaluate("document.activeElement.id")
    assert focused == "errors"
    context.close()


def test_after_adding_to_the_comparison_focus_is_on_what_happened(browser, live_server, site_data):
    context, page = open_page(browser, DESKTOP)
    page.goto(live_server.url + site_data["program"])
    page.get_by_role("button", name="Add to comparison").click()
    expect(page.locator(".messages")).to_contain_text("Added")
    assert page.evaluate("document.activeElement.className") == "messages"
    context.close()


def test_axe_finds_no_accessibility_violation_on_the_main_pages(browser, live_server, site_data):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    # Both themes: the dark one follows the system's preference (prefers-color-scheme).
    for viewport, scheme in (
        (PHONE, "light"),
        (DESKTOP, "light"),
        (PHONE, "dark"),
        (DESKTOP, "dark"),
    ):
        context, page = open_page(browser, viewport, scheme=scheme)
        for name, path in site_data.items():
            page.goto(live_server.url + path)
            results = axe.run(page)
            if results.violations_count:
                found[(name, viewport["width"], scheme)] = results.generate_report()
        context.close()
    assert not found, "\n\n".join(f"{where}:\n{report}" for where, report in found.items())


def test_past_the_search_limit_the_pages_say_more_than_and_stay_accessible(
    browser, live_server, site_data, settings
):
    from axe_playwright_python.sync_playwright import Axe
    from django.core.cache import cache

    settings.SEARCH_CANDIDATES = 3  # the real catalogue is far below the usual 100
    cache.clear()  # pages cached under the usual limit
    axe = Axe()
    found = {}
    for viewport in (PHONE, DESKTOP):
        context, page = open_page(browser, viewport)
        for path, says in (
            ("/search/?q=health", "Programs (more than 3)"),
            ("/programs/?q=health", "More than 3 programs match"),
        ):
            page.goto(live_server.url + path)
            expect(page.get_by_text(says).first).to_be_visible()
            assert not sideways(page), f"{path} scrolls sideways at {viewport['width']} px"
            results = axe.run(page)
            if results.violations_count:
                found[(path, viewport["width"])] = results.generate_report()
        context.close()
    assert not found, "\n\n".join(f"{where}:\n{report}" for where, report in found.items())


def test_the_dark_theme_follows_the_system_and_paper_stays_light(browser, live_server, site_data):
    background = "() => getComputedStyle(document.body).backgroundColor"
    context, page = open_page(browser, DESKTOP, scheme="dark")
    page.goto(live_server.url + "/programs/")
    assert page.evaluate(background) == "rgb(20, 24, 29)"
    page.emulate_media(media="print")
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    context.close()
    context, page = open_page(browser, DESKTOP, scheme="light")
    page.goto(live_server.url + "/programs/")
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    context.close()


def test_chart_labels_are_the_pages_text_at_every_width(browser, live_server, site_data):
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    for viewport in (PHONE, DESKTOP):
        context, page = open_page(browser, viewport)
        for name in ("program", "career"):
            page.goto(live_server.url + site_data[name])
            label = page.locator(".chart-table th").first
            expect(label).to_be_visible()
            body = page.locator("body").evaluate(size)
            assert label.evaluate(size) >= body, (name, viewport["width"])
            assert page.locator("figure.chart svg text").count() == 0
        context.close()


def test_words_read_as_filters_show_as_chips_at_every_width(browser, live_server, site_data):
    for viewport in (PHONE, DESKTOP):
        context, page = open_page(browser, viewport)
        page.goto(live_server.url + site_data["list-from-words"])
        chips = page.locator(".active-filters")
        expect(chips).to_contain_text("“no GRE”: GRE: Not required")
        expect(chips).to_contain_text("“online”: Format: Online")
        expect(chips).to_contain_text("“under $50,000”")
        assert sideways(page) <= 0
        context.close()
