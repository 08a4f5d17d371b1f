"""Deadline reminders without an account: asked for on a program, confirmed by a signed link
(double opt-in), sent 30 and 7 days before the deadline through the mail queue, each with a
one-click stop; the address kept only while a reminder is pending, and abuse refused."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.mail import send_due as send_queued
from core.models import OutgoingEmail
from programs import reminders
from programs.models import DeadlineReminder, Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 1)


@pytest.fixture
def program():
    return make_program(
        title="MS in Clinical AI",
        slug="clinical-ai",
        application_deadline=TODAY + datetime.timedelta(days=40),
    )


def ask(client, program, email="nurse@example.org", **extra):
    return client.post(
        reverse("programs:reminder_request", kwargs={"slug": program.slug}),
        {"email": email, "website": "", **extra},
    )


def link_in(message, name):
    path = reverse(name, kwargs={"token": "TOKEN"}).replace("TOKEN/", "")
    return re.search(rf"http://testserver({re.escape(path)}\S+/)", message).group(1)


def confirmed(client, program, email="nurse@example.org"):
    ask(client, program, email)
    body = OutgoingEmail.objects.filter(to=email).latest("pk").body
    client.post(link_in(body, "programs:reminder_confirm"))
    return DeadlineReminder.objects.get(program=program, email=email)


def run(day):
    return reminders.send_due(today=day)


def test_asking_sends_a_confirmation_and_nothing_else(client, program):
    page = client.get(program.get_absolute_url()).content.decode()
    assert reverse("programs:reminder_request", kwargs={"slug": program.slug}) in page
    response = ask(client, program)
    assert "Check your mailbox" in response.content.decode()
    reminder = DeadlineReminder.objects.get()
    assert reminder.confirmed_at is None
    [message] = OutgoingEmail.objects.all()
    assert message.subject == "Confirm your deadline reminder for MS in Clinical AI"
    assert "Nothing is sent until you confirm" in message.body
    # Unconfirmed, nothing is ever reminded, and the address goes after two days.
    assert run(TODAY + datetime.timedelta(days=10)) == {"sent": 0, "deleted": 0}
    DeadlineReminder.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert run(TODAY + datetime.timedelta(days=10)) == {"sent": 0, "deleted": 1}
    assert not DeadlineReminder.objects.exists()


def test_opening_the_link_confirms_only_with_the_button(client, program):
    ask(client, program)
    path = link_in(OutgoingEmail.objects.get().body, "programs:reminder_confirm")
    page = client.get(path)
    assert "Confirm my reminder" in page.content.decode()
    assert DeadlineReminder.objects.get().confirmed_at is None  # a mail scanner confirms nothing
    client.post(path)
    assert DeadlineReminder.objects.get().confirmed_at is not None
    assert client.get(path.replace("confirm/", "confirm/x")).status_code == 404


def test_reminders_go_30_and_7_days_before_and_the_address_then_goes(client, program):
    confirmed(client, program)
    OutgoingEmail.objects.all().delete()
    deadline = program.application_deadline
    assert run(deadline - datetime.timedelta(days=31))["sent"] == 0
    assert run(deadline - datetime.timedelta(days=30))["sent"] == 1
    assert run(deadline - datetime.timedelta(days=29))["sent"] == 0  # once only
    [first] = OutgoingEmail.objects.all()
    assert first.subject == "30 days to apply: MS in Clinical AI"
    assert "Stop these reminders: http://testserver/programs/reminders/stop/" in first.body
    assert first.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert run(deadline - datetime.timedelta(days=7))["sent"] == 1
    last = OutgoingEmail.objects.latest("pk")
    assert last.subject == "7 days to apply: MS in Clinical AI"
    assert "your address is now deleted" in last.body
    assert not DeadlineReminder.objects.exists()
    # The queue sends them with the one-click stop headers.
    send_queued()
    assert mail.outbox[-1].extra_headers["List-Unsubscribe"].startswith("<http://testserver/")


def test_a_reminder_asked_late_starts_from_the_next_day_ahead(client, program):
    # Asked 10 days before the deadline: no "30 days" message now, the 7-day one in 3 days.
    today = timezone.localdate()
    Program.objects.filter(pk=program.pk).update(
        application_deadline=today + datetime.timedelta(days=10)
    )
    program.refresh_from_db()
    confirmed(client, program)
    assert run(today)["sent"] == 0
    assert run(today + datetime.timedelta(days=3))["sent"] == 1
    assert OutgoingEmail.objects.latest("pk").subject == "7 days to apply: MS in Clinical AI"
    assert not DeadlineReminder.objects.exists()
    # Within the last reminder's days, none is offered at all.
    Program.objects.filter(pk=program.pk).update(
        application_deadline=today + datetime.timedelta(days=6)
    )
    assert ask(client, program).status_code == 404


def test_a_missed_run_is_made_up_with_the_days_truly_left(client, program):
    confirmed(client, program)
    run(program.application_deadline - datetime.timedelta(days=28))  # the cron missed day 30
    assert OutgoingEmail.objects.latest("pk").subject == "28 days to apply: MS in Clinical AI"


def test_one_click_stop_deletes_the_address(client, program):
    confirmed(client, program)
    run(program.application_deadline - datetime.timedelta(days=30))
    stop = link_in(OutgoingEmail.objects.latest("pk").body, "programs:reminder_stop")
    assert "Stop and delete my address" in client.get(stop).content.decode()
    # A mail program's one-click button posts without a page or a CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not DeadlineReminder.objects.exists()
    assert Client(enforce_csrf_checks=True).post(stop).status_code == 200  # again: still fine
    assert client.get(stop).status_code == 404


def test_a_passed_or_unpublished_deadline_forgets_the_address(client, program):
    confirmed(client, program)
    Program.objects.filter(pk=program.pk).update(status=Program.Status.DRAFT)
    assert run(TODAY)["deleted"] == 1
    program.refresh_from_db()
    Program.objects.filter(pk=program.pk).update(status=Program.Status.PUBLISHED)
    confirmed(client, program, "other@example.org")
    assert run(program.application_deadline + datetime.timedelta(days=1))["deleted"] == 1


def test_no_page_says_whether_an_address_already_subscribed(client, program):
    confirmed(client, program)
    OutgoingEmail.objects.all().delete()
    again = ask(client, program, "NURSE@example.org").content.decode()
    fresh = ask(client, program, "someone@example.org").content.decode()
    assert "Check your mailbox" in again and "Check your mailbox" in fresh
    # The confirmed address gets no second confirmation; one row per address and program.
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["someone@example.org"]
    assert DeadlineReminder.objects.filter(program=program).count() == 2


def test_bad_input_and_abuse_are_refused_with_what_was_typed_kept(client, program, settings):
    bad = ask(client, program, "not an address")
    assert bad.status_code == 200
    assert (
        "<title>Error:" in bad.content.decode() and 'value="not an address"' in bad.content.decode()
    )
    assert not DeadlineReminder.objects.exists()
    ask(client, program, "bot@example.org", website="http://spam.example")
    assert not DeadlineReminder.objects.exists()  # the field people never see
    settings.REMINDER_REQUESTS_PER_HOUR = 2
    ask(client, program, "a@example.org")
    refused = ask(client, program, "b@example.org")
    assert refused.status_code == 429
    assert 'value="b@example.org"' in refused.content.decode()
    assert not DeadlineReminder.objects.filter(email="b@example.org").exists()


def test_a_program_without_a_deadline_ahead_offers_no_reminder(client):
    program = make_program(slug="no-deadline")
    url = reverse("programs:reminder_request", kwargs={"slug": program.slug})
    assert client.get(url).status_code == 404
    assert url not in client.get(program.get_absolute_url()).content.decode()


def test_the_daily_command_says_what_it_did(client, program):
    confirmed(client, program)
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert re.fullmatch(
        r"Deadline reminders: \d+ queued, \d+ addresses deleted\.\n", out.getvalue()
    )
