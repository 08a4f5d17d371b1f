"""Alumni reviews as visitors meet them: the form, abuse protection, confirmation, display."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from reviews.confirmation import confirmation_token
from reviews.models import Review, ReviewReport
from tests.factories import make_program, make_review

pytestmark = pytest.mark.django_db

BODY = "I studied this program part-time while working twelve-hour shifts on a cardiac ward. " * 2


def form_data(**overrides):
    return {
        "rating": "4",
        "rating_workload": "2",
        "title": "Hard going but worth it",
        "body": BODY,
        "pros": "Clinical examples",
        "cons": "Heavy workload",
        "graduation_year": "2024",
        "would_recommend": "yes",
        "display_name": "Ana R.",
        "email": "ana@example.org",
        "relationship": "none",
        "website": "",
        **overrides,
    }


def review_url(program):
    return f"/programs/{program.slug}/reviews/new/"


@pytest.fixture
def program():
    return make_program(title="MS in Clinical AI")


def test_the_program_page_links_to_the_review_form(client, program):
    content = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{review_url(program)}"' in content
    assert "No reviews yet." in content
    form = client.get(review_url(program)).content.decode()
    assert "<h1>Review the <bdi>MS in Clinical AI</bdi></h1>" in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert form.count("<h1") == 1


def test_no_reviews_for_drafts_or_unknown_programs(client):
    draft = make_program(status="draft", published_at=None)
    assert client.get(review_url(draft)).status_code == 404
    assert client.post(review_url(draft), form_data()).status_code == 404
    assert client.get("/programs/nothing/reviews/new/").status_code == 404


def test_a_sent_review_is_received_and_awaits_moderation(client, program):
    response = client.post(review_url(program), form_data(), follow=True)
    content = response.content.decode()
    assert "Thank you: your review was received." in content
    assert "A moderator reads every review before it is published." in content
    review = Review.objects.get()
    assert review.status == Review.Status.PENDING
    assert review.would_recommend is True and review.rating_workload == 2
    # Nothing of it is public yet.
    assert "Hard going but worth it" not in content
    assert "No reviews yet." in content
    program.refresh_from_db()
    assert program.review_count == 0


def test_the_reviewer_gets_a_signed_confirmation_link(client, program):
    client.post(review_url(program), form_data())
    review = Review.objects.get()
    assert mail.outbox == []  # queued, never sent inside the request
    call_command("send_queued_email")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert message.subject == "Confirm your review of MS in Clinical AI"
    link = re.search(r"http://testserver(/reviews/confirm/\S+/)", message.body).group(1)
    page = client.get(link).content.decode()
    assert "Confirm my e-mail address" in page
    review.refresh_from_db()
    assert review.email_confirmed_at is None  # a GET (a mail scanner) confirms nothing
    confirmed = client.post(link).content.decode()
    assert "Your e-mail address is confirmed" in confirmed
    review.refresh_from_db()
    assert review.email_confirmed_at is not None


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("garbage", "This link does not work"),
        ("x" * 300, "This link does not work"),
        ("%00", "This address cannot be read"),
    ],
)
def test_a_bad_confirmation_link_says_so(client, token, message):
    response = client.get(f"/reviews/confirm/{token}/")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_tampered_confirmation_link_is_refused(client, program):
    review = make_review(program, status="pending")
    token = confirmation_token(review)
    forged = token.replace(token[-3:], "abc" if token[-3:] != "abc" else "xyz")
    assert client.post(f"/reviews/confirm/{forged}/").status_code == 400
    review.email = "changed@example.org"
    review.save()
    assert client.post(f"/reviews/confirm/{token}/").status_code == 400
    review.refresh_from_db()
    assert review.email_confirmed_at is None


def test_a_confirmed_review_carries_the_mark_once_published(client, program):
    review = make_review(program, status="pending")
    client.post(f"/reviews/confirm/{confirmation_token(review)}/")
    review.refresh_from_db()
    review.moderate("approved", None)
    content = client.get(program.get_absolute_url()).content.decode()
    assert "Confirmed e-mail" in content


def test_errors_are_listed_at_the_top_and_at_each_field_and_entries_kept(client, program):
    response = client.post(
        review_url(program),
        form_data(rating="", body="Too short.", email="not-an-email", title="Kept title"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please correct 3 things below" in content
    assert (
        '<a href="#id_rating">Overall, how would you rate the program?</a>: This field is required.'
        in content
    )
    assert '<ul class="errorlist" id="id_body_error">' in content
    assert '<ul class="errorlist" id="id_email_error">' in content
    assert 'value="Kept title"' in content
    assert "Too short.</textarea>" in content
    assert 'value="not-an-email"' in content
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": "x" * 79}, "Ensure this value has at least 80 characters"),
        ({"body": "x" * 4001}, "Ensure this value has at most 4000 characters"),
        ({"rating": "6"}, "Ensure this value is less than or equal to 5"),
        ({"rating_faculty": "0"}, "Ensure this value is greater than or equal to 1"),
        ({"graduation_year": ""}, "Give your graduation year, or tick “current student”."),
        (
            {"graduation_year": "2024", "is_current_student": "on"},
            "Leave the year empty if you are still studying.",
        ),
        ({"relationship": "incentive"}, "Say briefly what the incentive or relationship is."),
        ({"would_recommend": "maybe"}, "Select a valid choice"),
        ({"title": "t" * 121}, "Ensure this value has at most 120 characters"),
    ],
)
def test_invalid_reviews_are_refused_with_a_message(client, program, overrides, message):
    content = client.post(review_url(program), form_data(**overrides)).content.decode()
    assert message in content.replace("&#x27;", "'")
    assert not Review.objects.exists()


def test_a_current_student_needs_no_graduation_year(client, program):
    client.post(review_url(program), form_data(graduation_year="", is_current_student="on"))
    assert Review.objects.get().is_current_student


def test_the_honeypot_catches_bots_without_telling_them(client, program):
    response = client.post(
        review_url(program), form_data(website="http://spam.example"), follow=True
    )
    assert "Thank you: your review was received." in response.content.decode()
    assert not Review.objects.exists()
    assert mail.outbox == []


def test_the_same_text_twice_for_a_program_is_refused(client, program):
    client.post(review_url(program), form_data())
    again = client.post(review_url(program), form_data(body=BODY.upper() + "  "))
    assert "This review has already been sent for this program." in again.content.decode()
    assert Review.objects.count() == 1
    # The same words about another program are another review.
    other = make_program()
    client.post(review_url(other), form_data())
    assert Review.objects.count() == 2


def test_too_many_reviews_from_one_address_get_a_429_and_keep_the_text(client, program, settings):
    settings.REVIEW_SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        client.post(review_url(program), form_data(body=f"{n} {BODY}"))
    response = client.post(review_url(program), form_data(body=f"third {BODY}", title="Third"))
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many reviews from your connection" in content
    assert 'value="Third"' in content
    assert Review.objects.count() == 2
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert other.post(review_url(program), form_data(body=f"fourth {BODY}")).status_code == 302


def test_a_forged_post_without_csrf_token_is_refused(program):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(review_url(program), form_data()).status_code == 403
    assert not Review.objects.exists()


def test_script_and_html_appear_as_text_and_links_are_not_clickable(client, program):
    make_review(
        program,
        title="<script>alert('x')</script>",
        body="<b>bold</b> <img src=x onerror=alert(1)> see http://spam.example/buy now " * 2,
        pros="<a href='http://evil'>click</a>",
        display_name="<i>Eve</i>",
    )
    content = client.get(program.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "<img src=x" not in content and "&lt;img src=x onerror=alert(1)&gt;" in content
    assert 'href="http://spam.example' not in content and 'href="http://evil' not in content
    assert "&lt;i&gt;Eve&lt;/i&gt;" in content


def test_unapproved_reviews_appear_nowhere_public(client, program):
    make_review(program, status="pending", title="Pending words", rating=1)
    make_review(program, status="rejected", title="Rejected words", rating=1)
    for _ in range(3):
        make_review(program, rating=5)
    program.refresh_from_db()
    assert program.review_count == 3
    assert program.review_average == 5
    other = make_program()
    pages = [
        program.get_absolute_url(),
        "/programs/",
        f"/programs/compare/?p={program.slug}&p={other.slug}",
        f"/programs/compare.csv?p={program.slug}&p={other.slug}",
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Pending words" not in content and "Rejected words" not in content, url
        assert "5.0 out of 5" in content, url


def test_the_average_is_shown_only_from_three_reviews(client, program, settings):
    make_review(program, rating=5)
    make_review(program, rating=2)
    detail = client.get(program.get_absolute_url()).content.decode()
    assert "2 approved reviews; an average is shown from 3 reviews." in detail
    assert "out of 5</strong> from" not in detail
    assert "out of 5</strong> from" not in client.get("/programs/").content.decode()
    make_review(program, rating=5)
    detail = client.get(program.get_absolute_url()).content.decode()
    assert "<strong>4.0 out of 5</strong> from 3 approved reviews" in detail
    card = client.get("/programs/").content.decode()
    assert "<strong>4.0 out of 5</strong> from 3 alumni reviews" in card
    settings.REVIEW_MIN_FOR_AVERAGE = 4
    cache.clear()  # a changed setting applies to pages rendered after it (a restart, in production)
    assert (
        "an average is shown from 4 reviews"
        in client.get(program.get_absolute_url()).content.decode()
    )


def test_counts_follow_approval_rejection_and_requeue(program):
    reviews = [make_review(program, status="pending", rating=rating) for rating in (5, 3, 1)]
    program.refresh_from_db()
    assert (program.review_count, program.review_average) == (0, None)
    for review in reviews:
        review.moderate("approved", None)
    program.refresh_from_db()
    assert (program.review_count, program.review_average) == (3, 3)
    reviews[0].moderate("rejected", None, "abusive")
    program.refresh_from_db()
    assert (program.review_count, program.review_average) == (2, 2)
    for n in range(3):
        reviews[1].report("spam", reporter=f"reader {n}")
    program.refresh_from_db()
    assert (program.review_count, program.review_average) == (1, 1)


def test_approved_reviews_newest_first_ten_per_page(client, program):
    reviews = [make_review(program, title=f"Numbered {n:02d}") for n in range(12)]
    first = client.get(program.get_absolute_url()).content.decode()
    assert first.index("Numbered 11") < first.index("Numbered 02")
    assert "Numbered 01" not in first
    assert 'href="?reviews=2#reviews"' in first
    second = client.get(program.get_absolute_url(), {"reviews": "2"}).content.decode()
    assert "Numbered 01" in second and "Numbered 00" in second and "Numbered 05" not in second
    assert client.get(program.get_absolute_url(), {"reviews": "3"}).status_code == 404
    assert client.get(program.get_absolute_url(), {"reviews": "x"}).status_code == 404
    assert len(reviews) == 12


def test_sort_by_rating_puts_programs_with_too_few_reviews_last(client):
    high, low, few = (
        make_program(title="High"),
        make_program(title="Low"),
        make_program(title="Few"),
    )
    for rating in (5, 5, 4):
        make_review(high, rating=rating)
    for rating in (2, 3, 2):
        make_review(low, rating=rating)
    make_review(few, rating=5)
    titles = [p.title for p in client.get("/programs/", {"sort": "rating"}).context["page_obj"]]
    assert titles == ["High", "Low", "Few"]


def report(client, review, follow=False, **data):
    return client.post(f"/reviews/{review.pk}/report/", {"reason": "spam", **data}, follow=follow)


def test_readers_can_report_an_approved_review(client, program):
    review = make_review(program)
    response = report(client, review, details="Sells a course", follow=True)
    assert "Thank you: your report is stored, and the moderators will see it." in (
        response.content.decode()
    )
    saved = ReviewReport.objects.get()
    assert (saved.review, saved.reason, saved.details) == (review, "spam", "Sells a course")


def test_enough_reports_from_different_readers_send_a_review_back_to_the_queue(program, settings):
    settings.REVIEW_REPORTS_TO_REQUEUE = 3
    review = make_review(program)
    for n in range(2):
        report(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), review)
    review.refresh_from_db()
    assert review.status == "approved"
    # The same reader reporting again is not a new voice.
    report(Client(REMOTE_ADDR="192.0.2.1"), review)
    review.refresh_from_db()
    assert review.status == "approved"
    report(Client(REMOTE_ADDR="192.0.2.3"), review)
    review.refresh_from_db()
    assert review.status == "pending"
    assert review.events.first().moderator is None
    assert review.title not in Client().get(program.get_absolute_url()).content.decode()


def test_reports_are_rate_limited_per_address(client, program, settings):
    settings.REVIEW_REPORTS_PER_HOUR = 2
    reviews = [make_review(program) for _ in range(3)]
    assert report(client, reviews[0]).status_code == 302
    assert report(client, reviews[1]).status_code == 302
    response = report(client, reviews[2])
    assert response.status_code == 429
    assert "Too many reports from your connection" in response.content.decode()


def test_a_report_needs_a_reason_and_a_public_review(client, program):
    review = make_review(program)
    response = client.post(f"/reviews/{review.pk}/report/", {"reason": "", "details": "kept"})
    assert "This field is required." in response.content.decode()
    assert "kept</textarea>" in response.content.decode()
    pending = make_review(program, status="pending")
    assert report(client, pending).status_code == 404
    assert client.get(f"/reviews/{review.pk}/report/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert report(strict, review).status_code == 403
    assert not ReviewReport.objects.exists()


def test_policy_page_states_the_criteria_and_counts_rejections(client, program):
    make_review(program, status="rejected")  # off-topic
    second = make_review(program, status="pending")
    second.moderate("rejected", None, "advertising")
    make_review(program)
    content = client.get("/reviews/policy/").content.decode()
    assert content.count("<h1") == 1
    assert "negative" in content
    assert '<th scope="row">Off-topic: not about this program</th><td>1</td>' in content
    assert '<th scope="row">Advertising or spam</th><td>1</td>' in content
    assert '<th scope="row">Abusive, hateful or threatening</th><td>0</td>' in content
    assert "(1 review published)" in content


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: shows what follows backwards


def test_bidirectional_overrides_are_removed_from_what_reviewers_write(
    client, program, admin_client
):
    client.post(
        review_url(program),
        form_data(
            display_name=f"{RLO}evil",
            title=f"Great {RLO}gnp.exe",
            body=f"{RLO}{BODY}",
            cons=f"{RLO}gnp.exe",
        ),
    )
    review = Review.objects.get()
    assert (review.display_name, review.title, review.cons) == ("evil", "Great gnp.exe", "gnp.exe")
    assert RLO not in review.body
    review.moderate("approved", None)
    page = client.get(program.get_absolute_url()).content.decode()
    assert RLO not in page
    assert "<bdi>evil</bdi>" in page and "<bdi>Great gnp.exe</bdi>" in page
    admin = admin_client.get("/admin/reviews/review/?status__exact=all").content.decode()
    assert RLO not in admin and "Great gnp.exe" in admin


def test_right_to_left_writing_is_kept_and_isolated(client, program):
    make_review(program, display_name="\u200fשרה", title="תוכנית מצוינת")
    page = client.get(program.get_absolute_url()).content.decode()
    assert "<bdi>\u200fשרה</bdi>" in page and "<bdi>תוכנית מצוינת</bdi>" in page


def test_a_report_with_an_override_is_stored_without_it(client, program):
    review = make_review(program)
    client.post(f"/reviews/{review.pk}/report/", {"reason": "spam", "details": f"{RLO}txet"})
    assert ReviewReport.objects.get().details == "txet"
