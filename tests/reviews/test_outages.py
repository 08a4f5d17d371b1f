"""Reviews and reports when a part of the system fails: Redis, the mail server, the database."""

import contextlib
import datetime
import logging
import re
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from core.models import OutgoingEmail
from programs.models import Program
from reviews.confirmation import confirmation_token, send_confirmation
from reviews.models import Review, ReviewReport
from tests.factories import make_program, make_review
from tests.portal.test_production import REDIS_DOWN
from tests.reviews.test_reviews import BODY, form_data, review_url

pytestmark = pytest.mark.django_db

SMTP_DOWN = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,  # nothing listens on port 1
    "EMAIL_TIMEOUT": 1,
}


@pytest.fixture
def program():
    return make_program(title="MS in Clinical AI")


@pytest.fixture
def redis_down(settings):
    settings.CACHES = REDIS_DOWN


@pytest.fixture
def smtp_down(settings):
    for name, value in SMTP_DOWN.items():
        setattr(settings, name, value)


@contextlib.contextmanager
def database_down():
    """Every query fails as it does when the database server cannot be reached."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


def test_with_redis_down_the_review_limit_still_holds(redis_down, client, program, settings):
    settings.REVIEW_SUBMISSIONS_PER_HOUR = 5
    answers = [
        client.post(review_url(program), form_data(body=f"{n} {BODY}")).status_code
        for n in range(8)
    ]
    assert answers == [302] * 5 + [429] * 3
    assert Review.objects.count() == 5


def test_with_redis_down_a_report_is_stored_and_counted(redis_down, program, settings):
    settings.REVIEW_REPORTS_TO_REQUEUE = 2
    review = make_review(program)
    for n in range(2):
        response = Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(
            f"/reviews/{review.pk}/report/",
            {"reason": "spam", "details": f"reader {n}"},
            follow=True,
        )
        assert "Thank you: your report is stored" in response.content.decode()
    assert sorted(ReviewReport.objects.values_list("details", flat=True)) == [
        "reader 0",
        "reader 1",
    ]
    review.refresh_from_db()
    assert review.status == "pending"


def test_with_redis_down_the_report_limit_still_holds(redis_down, client, program, settings):
    settings.REVIEW_REPORTS_PER_HOUR = 2
    reviews = [make_review(program) for _ in range(3)]
    answers = [
        client.post(f"/reviews/{review.pk}/report/", {"reason": "spam"}).status_code
        for review in reviews
    ]
    assert answers == [302, 302, 429]
    assert ReviewReport.objects.count() == 2


@pytest.mark.parametrize("failure", ["locked while storing", "unreachable"])
def test_a_report_the_database_cannot_take_says_so_and_keeps_the_text(
    client, program, monkeypatch, failure
):
    review = make_review(program)

    def fail(*args, **kwargs):
        raise OperationalError("database is locked")

    if failure == "locked while storing":
        monkeypatch.setattr(Review, "report", fail)
    with database_down() if failure == "unreachable" else contextlib.nullcontext():
        response = client.post(
            f"/reviews/{review.pk}/report/", {"reason": "spam", "details": "Sells a bootcamp"}
        )
    assert response.status_code == 503
    content = response.content.decode()
    assert "Not sent: we could not store it just now" in content
    assert "Sells a bootcamp</textarea>" in content
    assert 'value="spam" id="id_reason_2" required checked' in content
    assert f'action="/reviews/{review.pk}/report/"' in content


def test_a_review_the_database_cannot_store_says_so_and_keeps_the_text(
    client, program, monkeypatch
):
    def fail(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("reviews.forms.ReviewForm.save", fail)
    response = client.post(review_url(program), form_data(title="Kept headline"))
    assert response.status_code == 503
    content = response.content.decode()
    assert "Not sent: we could not store it just now" in content
    assert 'value="Kept headline"' in content
    assert not Review.objects.exists()


def test_with_the_mail_server_down_a_review_is_received_and_its_email_waits(
    smtp_down, client, program, caplog
):
    response = client.post(review_url(program), form_data(), follow=True)
    assert response.status_code == 200
    assert "Thank you: your review was received." in response.content.decode()
    review = Review.objects.get()
    waiting = OutgoingEmail.objects.get()
    assert (waiting.to, waiting.sent_at, waiting.attempts) == (review.email, None, 0)
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        call_command("send_queued_email")
    waiting.refresh_from_db()
    assert (waiting.sent_at, waiting.attempts) == (None, 1)
    assert "ConnectionRefusedError" in waiting.last_error
    assert "not sent (attempt 1 of 12)" in caplog.text
    assert review.email not in caplog.text  # addresses stay out of the logs
    # Trying again is not refused as a duplicate: the first one is simply there.
    assert Review.objects.count() == 1


def test_a_waiting_email_is_sent_by_the_queue_command_once_the_server_is_back(
    smtp_down, client, program, settings
):
    client.post(review_url(program), form_data())
    call_command("send_queued_email")
    waiting = OutgoingEmail.objects.get()
    assert waiting.attempts == 1
    # The next try is not due yet: the command leaves it.
    call_command("send_queued_email")
    assert OutgoingEmail.objects.get().attempts == 1
    OutgoingEmail.objects.update(next_attempt_at=waiting.created_at)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_email")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "/reviews/confirm/" in mail.outbox[0].body
    sent = OutgoingEmail.objects.get()
    assert sent.sent_at is not None and sent.attempts == 2
    # Sent once only.
    call_command("send_queued_email")
    assert len(mail.outbox) == 1


def test_the_queue_gives_up_after_twelve_failed_attempts(smtp_down, caplog):
    from core.mail import MAX_ATTEMPTS, send_due

    email = OutgoingEmail.objects.create(
        to="x@example.org", subject="s", body="b", next_attempt_at="2026-01-01T00:00Z"
    )
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        for _ in range(MAX_ATTEMPTS):
            OutgoingEmail.objects.update(next_attempt_at="2026-01-01T00:00Z")
            send_due()
    email.refresh_from_db()
    assert email.failed and email.attempts == MAX_ATTEMPTS
    OutgoingEmail.objects.update(next_attempt_at="2026-01-01T00:00Z")
    assert send_due() == (0, 0)
    assert "ERROR" in [record.levelname for record in caplog.records]


def test_a_reviewer_can_ask_for_the_email_again(client, program):
    review = make_review(program, status="pending", email="ana@example.org")
    make_review(program, status="pending", email="someone@example.org")
    page = client.get("/reviews/resend/").content.decode()
    assert "The e-mail address you gave with your review" in page
    response = client.post("/reviews/resend/", {"email": "ANA@example.org"})
    assert "a new confirmation link is on its way" in response.content.decode()
    assert mail.outbox == []  # worked out and sent after the answer, by the queue
    call_command("send_queued_email")
    assert [message.to for message in mail.outbox] == [["ANA@example.org"]]
    assert mail.outbox[0].subject == "Confirm your review of MS in Clinical AI"
    link = re.search(r"http://testserver(/reviews/confirm/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    review.refresh_from_db()
    assert review.email_confirmed_at is not None


def test_asking_again_for_an_unknown_address_answers_the_same_and_sends_nothing(client):
    response = client.post("/reviews/resend/", {"email": "nobody@example.org"})
    assert "a new confirmation link is on its way" in response.content.decode()
    call_command("send_queued_email")
    assert mail.outbox == []
    # Nothing of the address is kept once the queue has found it wrote no review.
    assert not OutgoingEmail.objects.exists()
    bad = client.post("/reviews/resend/", {"email": "not an address"})
    assert "Enter a valid email address." in bad.content.decode()
    assert 'value="not an address"' in bad.content.decode()


def statements(client, email):
    """The SQL a resend for `email` runs, its values blanked: what the request's time is."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/reviews/resend/", {"email": email})
    assert response.status_code == 200
    return [LITERALS.sub("?", query["sql"]) for query in queries.captured_queries]


# Quoted values, numbers, and the savepoints' generated names.
LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|\"s\d+_x\d+\"")


def test_asking_again_does_the_same_work_for_a_known_and_an_unknown_address(program):
    make_review(program, status="pending", email="ana@example.org")
    # Each address from a visitor of its own, so the limits count alike.
    known = statements(Client(REMOTE_ADDR="192.0.2.1"), "ana@example.org")
    unknown = statements(Client(REMOTE_ADDR="192.0.2.2"), "nobody@example.org")
    assert known == unknown
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 2


def test_no_request_talks_to_the_mail_server(
    settings, client, program, django_capture_on_commit_callbacks
):
    """A mail server that accepts connections and never answers would hold each request for
    the whole e-mail timeout: no request connects to it at all."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_TIMEOUT = 30
    review = make_review(program, status="approved")
    make_review(program, status="pending", email="ana@example.org")
    try:
        # What runs once a request's transaction commits is run too.
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(review_url(program), form_data()).status_code == 302
            resend = client.post("/reviews/resend/", {"email": "ana@example.org"})
            assert resend.status_code == 200
            report = client.post(f"/reviews/{review.pk}/report/", {"reason": "spam"})
            assert report.status_code == 302
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected
    finally:
        server.close()
    assert OutgoingEmail.objects.filter(sent_at=None).count() == 2


def test_asking_again_is_limited_per_address(client, settings):
    settings.REVIEW_RESENDS_PER_HOUR = 2
    answers = [
        client.post("/reviews/resend/", {"email": "a@example.org"}).status_code for _ in range(3)
    ]
    assert answers == [200, 200, 429]


def test_the_confirmation_link_reveals_neither_the_address_nor_the_review(program):
    import base64

    review = make_review(program, status="pending", email="private.person@example.org")
    token = confirmation_token(review)
    readable = token
    for part in token.split(":"):
        with contextlib.suppress(ValueError):
            readable += base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("latin-1")
    assert "private" not in readable and "example.org" not in readable
    assert f'"review":{review.pk}' not in readable and "review" not in readable


def test_the_queue_waits_longer_after_each_failure_and_tries_for_about_six_hours():
    from core.mail import MAX_ATTEMPTS, retry_pause

    pauses = [retry_pause(n) for n in range(1, MAX_ATTEMPTS)]
    assert [pause.total_seconds() // 60 for pause in pauses[:8]] == [1, 2, 4, 8, 16, 32, 60, 60]
    # docs/operations.md, "E-mail": "giving up after 12 tries (about 6 hours)".
    assert (
        datetime.timedelta(hours=6)
        <= sum(pauses, datetime.timedelta())
        < datetime.timedelta(hours=6, minutes=10)
    )


def test_a_subject_never_carries_a_line_break(program, settings):
    """A title stored with CR/LF would make every e-mail about it fail for good."""
    from core.mail import send_due

    Program.objects.filter(pk=program.pk).update(title="MS in AI\r\nBcc: victim@example.org")
    program.refresh_from_db()
    review = make_review(program, status="pending", email="ana@example.org")
    send_confirmation(RequestFactory().get("/"), review)
    assert send_due() == (1, 0)
    assert mail.outbox[0].subject == "Confirm your review of MS in AI Bcc: victim@example.org"
    assert mail.outbox[0].bcc == []


def test_with_the_database_down_the_review_form_comes_back_with_what_was_typed(client, program):
    url = review_url(program)
    typed = form_data(
        title="Kept headline", pros="Evening classes", graduation_year="", is_current_student="on"
    )
    with database_down():
        response = client.post(url, typed)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "Not sent: we could not store it just now" in content
    assert content.count("<h1") == 1
    assert f'<form method="post" action="{url}"' in content
    assert 'value="Kept headline"' in content
    assert f"{BODY}</textarea>" in content
    assert "Evening classes</textarea>" in content
    assert 'value="ana@example.org"' in content
    assert re.search(r'value="4"[^>]*checked', content)
    assert re.search(r'name="is_current_student"[^>]*checked', content)
    assert not Review.objects.exists()
    # Sent again once the database is back, it is received.
    assert client.post(url, typed).status_code == 302
    assert Review.objects.get().title == "Kept headline"
