"""The comparison tray: kept in the session, shown on list and item pages, POST with CSRF."""

import pytest
from django.test import Client

from tests.factories import make_career, make_certification, make_program

pytestmark = pytest.mark.django_db


def post(client, **data):
    return client.post("/compare/tray/", data)


def test_add_to_comparison_keeps_programs_across_pages(client):
    first, second = make_program(title="First MS"), make_program(title="Second MS")
    page = client.get(first.get_absolute_url()).content.decode()
    assert '<button type="submit" name="action" value="add">Add to comparison</button>' in page
    response = post(
        client, kind="programs", slug=first.slug, action="add", next=first.get_absolute_url()
    )
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Added “<bdi>First MS" in page
    assert "In your comparison." in page
    assert "Your comparison: 1 of 4 programs" in page
    assert "Add at least one more program to compare." in page
    post(client, kind="programs", slug=second.slug, action="add")
    listing = client.get("/programs/").content.decode()
    assert "Your comparison: 2 of 4 programs" in listing
    assert (
        f'href="/programs/compare/?p={first.slug}&amp;p={second.slug}">Compare these 2</a>'
        in listing
    )


def test_remove_and_clear(client):
    first, second = make_program(title="First MS"), make_program(title="Second MS")
    for program in (first, second):
        post(client, kind="programs", slug=program.slug, action="add")
    post(client, kind="programs", slug=first.slug, action="remove")
    page = client.get("/programs/").content.decode()
    assert "Your comparison: 1 of 4 programs" in page
    assert "<span><bdi>Second MS" in page and "<span><bdi>First MS" not in page
    post(client, kind="programs", action="clear")
    assert "Your comparison" not in client.get("/programs/").content.decode()


def test_the_tray_holds_four_at_most(client):
    programs = [make_program(title=f"Program {n}") for n in range(5)]
    for program in programs:
        response = post(client, kind="programs", slug=program.slug, action="add")
    page = client.get(response["Location"]).content.decode()
    assert "The comparison holds 4 programs at most: remove one before adding" in page
    assert "Your comparison: 4 of 4 programs" in page


def test_trays_are_separate_for_programs_careers_and_certifications(client):
    program, career, certification = make_program(), make_career(), make_certification()
    post(client, kind="programs", slug=program.slug, action="add")
    post(client, kind="careers", slug=career.slug, action="add")
    post(client, kind="certifications", slug=certification.slug, action="add")
    assert "1 of 4 careers" in client.get("/careers/").content.decode()
    assert "1 of 4 certifications" in client.get(certification.get_absolute_url()).content.decode()
    assert "1 of 4 programs" in client.get("/programs/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "programs", "slug": "missing", "action": "add"},
        {"kind": "programs", "slug": "x\x00", "action": "add"},
        {"kind": "nothing", "slug": "x", "action": "add"},
        {"kind": "programs", "action": "add"},
    ],
)
def test_unknown_items_are_a_404(client, data):
    assert post(client, **data).status_code == 404


def test_a_draft_cannot_be_added(client):
    draft = make_program(status="draft", published_at=None)
    assert post(client, kind="programs", slug=draft.slug, action="add").status_code == 404


def test_unknown_action_is_a_bad_request(client):
    program = make_program()
    assert post(client, kind="programs", slug=program.slug, action="explode").status_code == 400


def test_the_tray_only_accepts_posts_with_a_csrf_token():
    program = make_program()
    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/compare/tray/").status_code == 405
    assert (
        strict.post(
            "/compare/tray/", {"kind": "programs", "slug": program.slug, "action": "add"}
        ).status_code
        == 403
    )


def test_next_may_not_leave_the_site(client):
    program = make_program()
    response = post(
        client, kind="programs", slug=program.slug, action="add", next="https://evil.example/"
    )
    assert response["Location"] == "/programs/"


def test_list_cards_carry_compare_checkboxes_for_the_comparison_form(client):
    program = make_program(title="MS in Clinical AI")
    content = client.get("/programs/").content.decode()
    assert (
        '<form id="compare-form" class="compare-form" method="get" action="/programs/compare/">'
        in content
    )
    assert (
        f'<input type="checkbox" form="compare-form" name="p" value="{program.slug}" '
        f'id="compare-{program.slug}">' in content
    )
    assert '<span class="visually-hidden"> <bdi>MS in Clinical AI</bdi></span>' in content
    career = make_career()
    assert f'name="c" value="{career.slug}"' in client.get("/careers/").content.decode()
    certification = make_certification()
    assert (
        f'name="c" value="{certification.slug}"' in client.get("/certifications/").content.decode()
    )


def test_pages_without_a_tray_do_not_touch_the_session(client, django_assert_num_queries):
    program = make_program()
    post(client, kind="programs", slug=program.slug, action="add")
    # The about page shows no tray, so even a visitor with a session costs no session query.
    with django_assert_num_queries(1):  # the sources listed on the page
        client.get("/about/")


def test_an_entry_unpublished_after_it_was_added_leaves_the_tray_and_can_be_removed(client):
    kept, gone = make_program(title="Kept MS"), make_program(title="Withdrawn MS")
    for program in (kept, gone):
        post(client, kind="programs", slug=program.slug, action="add")
    gone.status = "draft"
    gone.save()
    client.get("/programs/")  # shows the message "Added …"
    page = client.get("/programs/").content.decode()
    assert "Your comparison: 1 of 4 programs" in page
    assert "Withdrawn MS" not in page and gone.slug not in page
    assert "<span><bdi>Kept MS" in page
    response = post(client, kind="programs", slug=gone.slug, action="remove")
    assert response.status_code == 302
    page = client.get("/programs/").content.decode()
    assert "Removed an entry that is no longer published from the comparison." in page
    assert "Withdrawn MS" not in page


def test_a_renamed_entry_shows_under_its_new_title(client):
    program = make_program(title="Old title MS")
    post(client, kind="programs", slug=program.slug, action="add")
    client.get("/programs/")  # shows the message "Added …"
    program.title = "New title MS"
    program.save()
    page = client.get("/programs/").content.decode()
    assert "<span><bdi>New title MS" in page and "Old title MS" not in page


def test_unpublished_entries_do_not_keep_the_tray_full(client):
    programs = [make_program(title=f"Program {n}") for n in range(5)]
    for program in programs[:4]:
        post(client, kind="programs", slug=program.slug, action="add")
    programs[0].status = "draft"
    programs[0].save()
    response = post(client, kind="programs", slug=programs[4].slug, action="add")
    page = client.get(response["Location"]).content.decode()
    assert "Added “<bdi>Program 4" in page
    assert "Your comparison: 4 of 4 programs" in page
