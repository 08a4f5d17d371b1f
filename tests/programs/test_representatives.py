"""Institutions update their own listings (programs.representatives): a signed link to an
address on the institution's own domain, a proposal of every fact pre-filled, each change with
a page on that domain, editors accepting all or part, and replies to reviews."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse

from core.models import Correction, OutgoingEmail
from programs.models import Representative
from programs.representatives import SALT, domain_of, email_on_domain, token_for, url_on_domain
from reviews.models import ReviewReply
from tests.factories import cite, make_institution, make_program, make_review, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    institution = make_institution(name="Harbor University", website="https://www.harbor.edu/")
    program = make_program(
        institution=institution, title="Applied AI", slug="applied-ai", tuition_total=Decimal(40000)
    )
    cite(program, "tuition_total", make_source(title="Tuition 2025–26"))
    return program


def request_url(program):
    return reverse("institutions:update_request", kwargs={"slug": program.institution.slug})


def link_in_mail(to):
    body = OutgoingEmail.objects.filter(to=to).latest("pk").body
    return re.search(r"http://testserver(/institutions/\S+)", body).group(1)


def test_domains():
    assert domain_of("https://www.med.harbor.edu/") == "harbor.edu"
    assert domain_of("https://www.ox.ac.uk") == "ox.ac.uk"
    assert email_on_domain("jane@med.harbor.edu", "https://www.harbor.edu")
    assert not email_on_domain("jane@harbor.edu.evil.com", "https://www.harbor.edu")
    assert not email_on_domain("jane@notharbor.edu", "https://www.harbor.edu")
    assert url_on_domain("https://catalog.harbor.edu/ai", "https://www.harbor.edu")
    assert not url_on_domain("javascript://harbor.edu", "https://www.harbor.edu")
    assert not url_on_domain("https://rankings.example.com/harbor", "https://www.harbor.edu")


def test_every_institution_page_says_how_to_update_the_listing(client, program):
    page = client.get(program.institution.get_absolute_url()).content.decode()
    assert "how to update your listing" in page
    assert request_url(program) in page


def test_an_address_on_another_domain_is_refused_with_a_clear_message(client, program):
    response = client.post(request_url(program), {"email": "jane@gmail.com", "website": ""})
    content = response.content.decode()
    assert "This address is not on harbor.edu" in content
    assert 'value="jane@gmail.com"' in content  # kept
    assert not OutgoingEmail.objects.exists()


def test_the_link_goes_only_to_an_address_on_the_domain(client, program):
    response = client.post(request_url(program), {"email": "jane@harbor.edu", "website": ""})
    assert "Check your mailbox" in response.content.decode()
    link = link_in_mail("jane@harbor.edu")
    assert "jane" not in link  # opaque: no address in it
    page = client.get(link).content.decode()
    assert "Signed in by link as <strong>jane@harbor.edu</strong>" in page
    assert "Applied AI" in page


def test_forged_altered_expired_or_other_institutions_links_are_refused(client, program, settings):
    client.post(request_url(program), {"email": "jane@harbor.edu", "website": ""})
    link = link_in_mail("jane@harbor.edu")
    slug = program.institution.slug
    forged = signing.TimestampSigner(salt="another-salt").sign("made-up-key")
    for bad in [
        link[:-4] + "xyz/",
        f"/institutions/{slug}/update/{forged}/",
        f"/institutions/{slug}/update/nonsense/",
    ]:
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert "This link does not work" in response.content.decode()
    other = make_program(institution=make_institution(website="https://other.edu"))
    representative = Representative.objects.get()
    stolen = f"/institutions/{other.institution.slug}/update/{token_for(representative)}/"
    assert client.get(stolen).status_code == 400
    settings.REPRESENTATIVE_LINK_MAX_AGE = -1  # every link has expired
    assert client.get(link).status_code == 400


def test_a_flood_of_link_requests_gets_a_429(client, program, settings):
    settings.REPRESENTATIVE_LINKS_PER_HOUR = 1
    client.post(request_url(program), {"email": "a@harbor.edu", "website": ""})
    response = client.post(request_url(program), {"email": "b@harbor.edu", "website": ""})
    assert response.status_code == 429
    assert 'value="b@harbor.edu"' in response.content.decode()
    assert OutgoingEmail.objects.count() == 1


@pytest.fixture
def proposal_url(client, program):
    client.post(request_url(program), {"email": "jane@harbor.edu", "website": ""})
    return link_in_mail("jane@harbor.edu") + "programs/applied-ai/"


def proposal(client, url, **changes):
    """The form as the page pre-fills it, with `changes` made."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name, "")
        if isinstance(value, list):
            data[name] = value
        else:
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return client.post(url, data)


def test_the_proposal_form_is_prefilled_with_every_current_fact(client, proposal_url):
    page = client.get(proposal_url).content.decode()
    assert 'value="40000.00"' in page
    assert "Page that says so (Total tuition)" in page


def test_a_change_needs_a_page_on_the_institutions_domain(client, proposal_url):
    no_page = proposal(client, proposal_url, tuition_total="48000")
    assert "Give the page that says so." in no_page.content.decode()
    elsewhere = proposal(
        client,
        proposal_url,
        tuition_total="48000",
        tuition_total__source="https://rankings.example.com/harbor",
    )
    assert "not on the university&#x27;s own website" in elsewhere.content.decode()
    assert 'value="48000"' in elsewhere.content.decode()  # kept
    nothing = proposal(client, proposal_url)
    assert "Nothing was changed" in nothing.content.decode()
    assert not Correction.objects.exists()


def test_editors_accept_part_of_a_proposal_and_the_page_says_who_confirmed_it(
    client, admin_client, program, proposal_url
):
    response = proposal(
        client,
        proposal_url,
        tuition_total="48000",
        tuition_total__source="https://www.harbor.edu/tuition",
        credits="36",
        credits__source="https://catalog.harbor.edu/applied-ai",
    )
    assert response.status_code == 302
    changes = list(Correction.objects.order_by("field"))
    assert [c.field for c in changes] == ["credits", "tuition_total"]
    assert len({c.batch for c in changes}) == 1
    assert all(c.confirmed_by == "jane@harbor.edu" for c in changes)

    tuition = Correction.objects.get(field="tuition_total")
    admin_client.post(
        reverse("admin:portal_correction_change", args=[tuition.pk]),
        {
            "decision": "accept",
            "new_value": "48000",
            "source_title": "Tuition and fees",
            "source_publisher": "Harbor University",
            "checked_on": "2026-12-07",
        },
    )
    credits = Correction.objects.get(field="credits")
    admin_client.post(
        reverse("admin:portal_correction_change", args=[credits.pk]),
        {"decision": "reject", "rejection_reason": "source"},
    )

    page = client.get(program.get_absolute_url()).content.decode()
    today = datetime.date.today()
    assert "$48,000" in page
    assert f"Confirmed by the institution on {today:%-d %b %Y}; checked by the portal" in page
    program.refresh_from_db()
    assert program.credits is None
    assert OutgoingEmail.objects.filter(to="jane@harbor.edu").count() == 3  # link, two outcomes


def test_a_representative_replies_to_a_review_shown_after_moderation(
    client, admin_client, program, proposal_url
):
    review = make_review(program, title="Good for nurses")
    replies = proposal_url.removesuffix("programs/applied-ai/") + "reviews/"
    page = client.get(replies).content.decode()
    assert "Good for nurses" in page

    too_short = client.post(replies, {"review": review.pk, "body": "Thanks"})
    assert "Ensure this value has at least 20 characters" in too_short.content.decode()
    assert "Thanks</textarea>" in too_short.content.decode()
    client.post(
        replies, {"review": review.pk, "body": "Thank you: the night cohort starts in March."}
    )
    reply = ReviewReply.objects.get()
    assert (reply.sent_by, reply.status) == ("jane@harbor.edu", "pending")
    assert "night cohort" not in client.get(program.get_absolute_url()).content.decode()

    admin_client.post(
        reverse("admin:reviews_reviewreply_changelist"),
        {"action": "approve_selected", "_selected_action": [reply.pk]},
    )

    page = client.get(program.get_absolute_url()).content.decode()
    assert "Reply from the program," in page
    assert "night cohort starts in March" in page
    again = client.post(replies, {"review": review.pk, "body": "A second reply to the same."})
    assert "already has a reply" in again.content.decode()


def test_staff_enter_a_reply_that_still_waits_for_moderation(admin_client, client, program):
    review = make_review(program)
    admin_client.post(
        reverse("admin:reviews_reviewreply_add"),
        {"review": review.pk, "body": "We have since added evening office hours."},
    )
    reply = ReviewReply.objects.get()
    assert reply.entered_by.username == "admin" and reply.status == "pending"
    assert "evening office hours" not in client.get(program.get_absolute_url()).content.decode()


def test_the_signing_salt_is_the_representatives_own():
    assert SALT == "programs.representative-link"


def test_editors_accept_a_whole_proposal_at_once(client, admin_client, program, proposal_url):
    proposal(
        client,
        proposal_url,
        tuition_total="48000",
        tuition_total__source="https://www.harbor.edu/tuition",
        credits="36",
        credits__source="https://www.harbor.edu/tuition",
    )
    changes = list(Correction.objects.all())
    changelist = reverse("admin:portal_correction_changelist")
    side_by_side = admin_client.get(f"{changelist}?batch={changes[0].batch}").content.decode()
    assert "$40,000" in side_by_side and "48000" in side_by_side
    selected = {"action": "accept_selected", "_selected_action": [c.pk for c in changes]}

    asked = admin_client.post(changelist, selected)
    assert "https://www.harbor.edu/tuition" in asked.content.decode()
    missing = admin_client.post(
        changelist, {**selected, "apply": "yes", "checked_on": "2026-12-07"}
    )
    assert "This field is required." in missing.content.decode()

    done = admin_client.post(
        changelist,
        {
            **selected,
            "apply": "yes",
            "checked_on": "2026-12-07",
            "title_0": "Tuition and fees",
            "publisher_0": "Harbor University",
        },
        follow=True,
    )

    assert "2 accepted." in [str(m) for m in done.context["messages"]]
    program.refresh_from_db()
    assert (program.tuition_total, program.credits) == (Decimal(48000), 36)
    assert program.fact("credits").citation.confirmed_on is not None
