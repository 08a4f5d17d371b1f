"""Moderators judge reviews in the admin: every decision recorded, the text never changed."""

import itertools
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import ModerationEvent, Review
from tests.factories import make_program

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_review_changelist")
BODY = (
    "The program fitted around my night shifts: lectures were recorded, the projects used "
    "real hospital data, and the faculty answered questions within a day."
)
_numbers = itertools.count(1)


def make_review(program=None, **fields):
    """A valid review, pending moderation unless `status` says otherwise."""
    n = next(_numbers)
    defaults = {
        "rating": 4,
        "title": f"Review {n}",
        "body": f"{BODY} ({n})",
        "graduation_year": 2024,
        "would_recommend": True,
        "display_name": f"Nurse {n}",
        "email": f"reviewer{n}@example.org",
        "relationship": Review.Relationship.NONE,
    }
    return Review.objects.create(program=program or make_program(), **{**defaults, **fields})


def staff_in(django_user_model, group, username):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def moderator(django_user_model):
    user = staff_in(django_user_model, "Moderators", "moderator")
    user.first_name, user.last_name = "Ada", "Okafor"
    user.save()
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(staff_in(django_user_model, "Editors", "editor"))
    return client


def change_url(review):
    return reverse("admin:reviews_review_change", args=[review.pk])


def decide(client, review, **data):
    """POST the review's change form as a moderator's browser does."""
    form = {
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "rejection_reason": "",
        **data,
    }
    return client.post(change_url(review), form)


def run_action(client, action, reviews, url=CHANGELIST, **data):
    """Select `reviews` on the changelist at `url` and run `action` on them."""
    return client.post(
        url, {"action": action, "_selected_action": [r.pk for r in reviews], "index": "0", **data}
    )


def logged_changes(review):
    return list(
        LogEntry.objects.filter(object_id=str(review.pk), action_flag=CHANGE).values_list(
            "change_message", flat=True
        )
    )


def test_pending_reviews_are_the_moderators_default_view(moderator_client):
    make_review(title="Waiting one")
    make_review(title="Approved one", status=Review.Status.APPROVED)
    make_review(
        title="Rejected one",
        status=Review.Status.REJECTED,
        rejection_reason=Review.RejectionReason.ADVERTISING,
    )

    content = moderator_client.get(CHANGELIST).content.decode()
    assert "Waiting one" in content
    assert "Approved one" not in content
    assert "Rejected one" not in content

    approved = moderator_client.get(CHANGELIST, {"status__exact": "approved"}).content.decode()
    assert "Approved one" in approved
    assert "Waiting one" not in approved

    rejected = moderator_client.get(CHANGELIST, {"status__exact": "rejected"}).content.decode()
    assert "Rejected one" in rejected
    assert "Advertising or spam" in rejected
    assert "Waiting one" not in rejected

    everything = moderator_client.get(CHANGELIST, {"status__exact": "all"}).content.decode()
    assert all(title in everything for title in ["Waiting one", "Approved one", "Rejected one"])


def test_status_filter_with_counts_loads(moderator_client):
    make_review()
    response = moderator_client.get(CHANGELIST, {"_facets": "1"})
    assert response.status_code == 200
    assert "Waiting for moderation (1)" in response.content.decode()


def test_reviews_with_open_reports_are_counted_and_filtered(moderator_client):
    reported = make_review(title="Reported one", status=Review.Status.APPROVED)
    reported.report("spam", reporter="reader 1")
    reported.report("false", reporter="reader 2")
    make_review(title="Quiet one", status=Review.Status.APPROVED)

    response = moderator_client.get(CHANGELIST, {"status__exact": "all", "reported": "yes"})
    content = response.content.decode()
    assert "Reported one" in content
    assert "Quiet one" not in content
    assert '<td class="field-open_report_count">2</td>' in content


def test_moderator_approves_a_review_from_its_change_page(moderator_client, moderator):
    review = make_review(title="Worth it for ICU nurses")
    program = review.program
    assert (
        "Worth it for ICU nurses"
        not in moderator_client.get(program.get_absolute_url()).content.decode()
    )

    response = decide(moderator_client, review, status="approved")

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.moderated_by == moderator
    assert review.moderated_at is not None
    event = ModerationEvent.objects.get(review=review)
    assert (event.status, event.moderator) == (Review.Status.APPROVED, moderator)
    assert logged_changes(review) == ["Approved"]
    assert (
        "Worth it for ICU nurses"
        in moderator_client.get(program.get_absolute_url()).content.decode()
    )


def test_rejecting_without_a_reason_is_refused(moderator_client):
    review = make_review()

    response = decide(moderator_client, review, status="rejected")

    assert response.status_code == 200
    assert "Choose a reason to reject a review." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
    assert not review.events.exists()
    assert logged_changes(review) == []


def test_rejecting_with_a_reason_records_it(moderator_client, moderator):
    review = make_review()

    decide(moderator_client, review, status="rejected", rejection_reason="personal_information")

    review.refresh_from_db()
    assert review.status == Review.Status.REJECTED
    assert review.rejection_reason == Review.RejectionReason.PERSONAL_INFORMATION
    assert review.moderated_by == moderator
    event = review.events.get()
    assert (event.status, event.reason) == ("rejected", "personal_information")
    assert logged_changes(review) == ["Rejected: Contains personal information"]
    assert not Review.objects.approved().exists()


def test_approving_a_reported_review_again_answers_the_reports(moderator_client, settings):
    settings.REVIEW_REPORTS_TO_REQUEUE = 3
    review = make_review(status=Review.Status.APPROVED)
    review.report("false", reporter="reader 1")

    decide(moderator_client, review, status="approved")

    assert not review.reports.filter(resolved=False).exists()
    assert [e.status for e in review.events.all()] == ["approved"]
    assert logged_changes(review) == ["Approved"]


def test_saving_without_choosing_approve_or_reject_decides_nothing(moderator_client):
    review = make_review()

    response = decide(moderator_client, review)

    assert "Choose to approve or to reject the review." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
    assert not review.events.exists()


def test_change_page_shows_the_review_and_the_email_read_only(moderator_client):
    review = make_review(email="private@example.org")
    review.report("spam", reporter="reader 1", details="Links to a bootcamp")

    content = moderator_client.get(change_url(review)).content.decode()

    assert "private@example.org" in content
    assert review.body in content
    assert 'name="title"' not in content
    assert 'name="body"' not in content
    assert 'name="email"' not in content
    assert "Links to a bootcamp" in content
    # Links go where a moderator may go: the public program page, not the editors' admin.
    assert f'href="{review.program.get_absolute_url()}"' in content
    assert "/admin/programs/program/" not in content
    assert "private@example.org" not in moderator_client.get(CHANGELIST).content.decode()


def test_moderator_cannot_change_what_the_reviewer_wrote(moderator_client):
    review = make_review(title="Original title")

    decide(
        moderator_client,
        review,
        status="approved",
        title="Edited by a moderator",
        body="Edited. " * 20,
        email="moderator@example.org",
    )

    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.title == "Original title"
    assert review.body.startswith(BODY)
    assert review.email.startswith("reviewer")


def test_bulk_approve_records_each_decision_and_recounts_the_program(moderator_client, moderator):
    program = make_program()
    reviews = [make_review(program, rating=rating) for rating in (5, 4, 2)]

    response = run_action(moderator_client, "approve_selected", reviews)

    assert response.status_code == 302
    messages = [str(m) for m in moderator_client.get(response.url).context["messages"]]
    assert "3 reviews approved." in messages
    for review in reviews:
        review.refresh_from_db()
        assert review.status == Review.Status.APPROVED
        assert review.moderated_by == moderator
        assert review.events.get().status == Review.Status.APPROVED
        assert logged_changes(review) == ["Approved"]
    program.refresh_from_db()
    assert program.review_count == 3
    assert program.review_average == Decimal("3.67")


def test_bulk_reject_asks_for_one_reason_then_rejects_each(moderator_client, moderator):
    program = make_program()
    kept = make_review(program, rating=5)
    spam = [make_review(program, rating=1), make_review(program, rating=2)]
    run_action(moderator_client, "approve_selected", [kept, *spam])
    program.refresh_from_db()
    assert (program.review_count, program.review_average) == (3, Decimal("2.67"))

    # Approved reviews are selected with "All" shown; the reason page posts back to that list.
    everything = CHANGELIST + "?status__exact=all"
    page = run_action(moderator_client, "reject_selected", spam, url=everything)

    content = page.content.decode()
    assert page.status_code == 200
    assert "These 2 reviews will be rejected" in content
    assert "Advertising or spam" in content
    assert all(r.status == Review.Status.APPROVED for r in Review.objects.all())

    response = moderator_client.post(
        everything,
        {
            "action": "reject_selected",
            "_selected_action": [r.pk for r in spam],
            "apply": "yes",
            "reason": "advertising",
        },
    )

    assert response.status_code == 302
    messages = [str(m) for m in moderator_client.get(response.url).context["messages"]]
    assert "2 reviews rejected: Advertising or spam." in messages
    for review in spam:
        review.refresh_from_db()
        assert (review.status, review.rejection_reason) == ("rejected", "advertising")
        assert [e.status for e in review.events.all()] == ["rejected", "approved"]
        assert logged_changes(review)[0] == "Rejected: Advertising or spam"
        assert len(logged_changes(review)) == 2
    program.refresh_from_db()
    assert (program.review_count, program.review_average) == (1, Decimal("5.00"))


def test_bulk_reject_without_a_reason_rejects_nothing(moderator_client):
    reviews = [make_review(), make_review()]

    response = moderator_client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": [r.pk for r in reviews], "apply": "yes"},
    )

    assert response.status_code == 200
    assert "Choose a reason to reject a review." in response.content.decode()
    assert Review.objects.filter(status=Review.Status.PENDING).count() == 2
    assert not ModerationEvent.objects.exists()


def test_moderator_cannot_see_programs_or_add_reviews(moderator_client):
    assert moderator_client.get(reverse("admin:programs_program_changelist")).status_code == 403
    assert moderator_client.get(reverse("admin:programs_program_add")).status_code == 403
    assert moderator_client.get(reverse("admin:reviews_review_add")).status_code == 403


def test_moderator_cannot_delete_reviews(moderator_client):
    review = make_review()
    delete = reverse("admin:reviews_review_delete", args=[review.pk])
    assert moderator_client.post(delete, {"post": "yes"}).status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()


def test_editor_cannot_see_or_moderate_reviews(editor_client):
    review = make_review()

    assert editor_client.get(CHANGELIST).status_code == 403
    assert editor_client.get(change_url(review)).status_code == 403
    assert run_action(editor_client, "approve_selected", [review]).status_code == 403
    assert decide(editor_client, review, status="approved").status_code == 403
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


def test_review_changelist_runs_no_query_per_row(moderator_client):
    def add_reviews(count):
        for _ in range(count):
            make_review(email_confirmed_at="2026-01-01T00:00Z").report("spam", reporter="reader 1")

    add_reviews(1)
    # Session, user, the user's and the groups' permissions, the count of the pending reviews
    # and of all reviews, then one query for the page of reviews with their programs,
    # institutions and open reports: the same whether one review is listed or six.
    with CaptureQueriesContext(connection) as one:
        moderator_client.get(CHANGELIST)
    add_reviews(5)
    with CaptureQueriesContext(connection) as six:
        response = moderator_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 6
    assert len(six) == len(one)


def queued_to(address):
    from core.models import OutgoingEmail

    return list(OutgoingEmail.objects.filter(to=address).order_by("pk"))


def test_the_reviewer_is_told_an_approval_with_the_link(moderator_client):
    review = make_review(title="Worth it for ICU nurses", email="nurse@example.org")
    before = len(queued_to("nurse@example.org"))

    decide(moderator_client, review, status="approved")

    message = queued_to("nurse@example.org")[before:]
    assert len(message) == 1
    assert message[0].subject == f"Your review of {review.program.title} is published"
    link = f"http://testserver{review.program.get_absolute_url()}#review-{review.pk}"
    assert link in message[0].body
    # Saving again without a new decision tells nobody anything.
    decide(moderator_client, review, status="approved")
    assert len(queued_to("nurse@example.org")) == before + 1


def test_the_reviewer_is_told_a_rejection_with_its_reason(moderator_client):
    review = make_review(email="nurse@example.org")
    before = len(queued_to("nurse@example.org"))

    decide(moderator_client, review, status="rejected", rejection_reason="personal_information")

    (message,) = queued_to("nurse@example.org")[before:]
    assert message.subject == f"Your review of {review.program.title} was not published"
    assert "Contains personal information" in message.body
    assert "http://testserver/reviews/policy/" in message.body
    assert review.program.get_absolute_url() not in message.body


def test_a_refused_rejection_tells_nobody(moderator_client):
    review = make_review(email="nurse@example.org")
    before = len(queued_to("nurse@example.org"))
    decide(moderator_client, review, status="rejected")
    assert len(queued_to("nurse@example.org")) == before


def test_bulk_decisions_tell_each_reviewer(moderator_client):
    reviews = [make_review(email=f"r{n}@example.org") for n in range(3)]
    run_action(moderator_client, "approve_selected", reviews)
    for review in reviews:
        (message,) = queued_to(review.email)[-1:]
        assert "is published" in message.subject
    moderator_client.post(
        CHANGELIST + "?status__exact=all",
        {
            "action": "reject_selected",
            "_selected_action": [reviews[0].pk],
            "apply": "yes",
            "reason": "advertising",
        },
    )
    assert "Advertising or spam" in queued_to(reviews[0].email)[-1].body
