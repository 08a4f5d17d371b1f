"""The visitor's address behind a trusted proxy: every per-address rule counts visitors, not
the proxy, and a forwarded header from anyone else is ignored."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, RequestFactory

from core.clients import client_address, parse_networks
from tests.factories import make_program, make_review
from tests.reviews.test_reviews import BODY, form_data, review_url

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = parse_networks([PROXY, "10.1.0.0/16"])


def through_proxy(client_ip):
    """A browser at `client_ip` reaching the portal through the trusted proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def address(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # The proxy's own client, as the proxy appended it.
        (PROXY, "198.51.100.7", "198.51.100.7"),
        # The visitor sent a forged header; the proxy appended the real address after it.
        (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two trusted proxies in a row: the right-most address that is not one of them.
        (PROXY, "1.2.3.4, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        # Garbage the proxy passed on from the visitor is not an address.
        (PROXY, "not-an-address", PROXY),
        (PROXY, "", PROXY),
        (PROXY, None, PROXY),
        (PROXY, "2001:db8::1", "2001:db8::1"),
        # Straight to the server, not from a proxy: the header is the visitor's own words.
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),
    ],
)
def test_the_client_address_is_the_right_most_one_no_trusted_proxy_wrote(
    behind_proxy, remote, forwarded, expected
):
    assert address(remote, forwarded) == expected


@pytest.mark.parametrize(
    "header",
    [
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_REAL_IP",
        "HTTP_FORWARDED",
        "HTTP_CLIENT_IP",
        "HTTP_TRUE_CLIENT_IP",
        "HTTP_CF_CONNECTING_IP",
    ],
)
def test_without_trusted_proxies_forwarded_headers_are_ignored(settings, header):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", **{header: "1.2.3.4"})
    assert client_address(request) == "203.0.113.9"


def test_a_setting_that_is_not_an_address_stops_the_start_up():
    with pytest.raises(ImproperlyConfigured, match=r"“10\.0\.0\.300” is not an address"):
        parse_networks(["10.0.0.300"])


def test_behind_the_proxy_each_visitor_has_their_own_review_limit(behind_proxy, settings):
    settings.REVIEW_SUBMISSIONS_PER_HOUR = 1
    program = make_program()
    for n in range(3):
        visitor = through_proxy(f"198.51.100.{n + 1}")
        response = visitor.post(review_url(program), form_data(body=f"{n} {BODY}"))
        assert response.status_code == 302, n
    again = through_proxy("198.51.100.1").post(review_url(program), form_data(body=f"x {BODY}"))
    assert again.status_code == 429


def test_a_forged_forwarded_header_sent_straight_to_the_server_changes_nothing(
    behind_proxy, settings
):
    settings.REVIEW_SUBMISSIONS_PER_HOUR = 1
    program = make_program()
    first = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert first.post(review_url(program), form_data()).status_code == 302
    forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert forged.post(review_url(program), form_data(body=f"2 {BODY}")).status_code == 429


def test_behind_the_proxy_reports_are_limited_and_counted_per_visitor(behind_proxy, settings):
    settings.REVIEW_REPORTS_PER_HOUR = 1
    settings.REVIEW_REPORTS_TO_REQUEUE = 3
    review = make_review(make_program())
    for n in range(3):
        response = through_proxy(f"198.51.100.{n + 1}").post(
            f"/reviews/{review.pk}/report/", {"reason": "spam"}
        )
        assert response.status_code == 302, n
    review.refresh_from_db()
    assert review.status == "pending"  # three different readers, not one proxy


def test_behind_the_proxy_the_admin_lock_out_counts_each_address(
    behind_proxy, settings, django_user_model
):
    settings.AXES_FAILURE_LIMIT = 5
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)
    for n in range(5):
        through_proxy(f"198.51.100.{n + 1}").post(
            "/admin/login/", {"username": "editor", "password": "wrong"}
        )
    real = through_proxy("198.51.100.60").post(
        "/admin/login/", {"username": "editor", "password": "right-password"}
    )
    assert real.status_code == 302  # signed in, not locked out
    # The same address failing five times is locked out.
    attacker = through_proxy("198.51.100.99")
    for _ in range(5):
        attacker.post("/admin/login/", {"username": "editor", "password": "wrong"})
    locked = attacker.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert locked.status_code == 429


@pytest.mark.parametrize(
    ("bind", "warned"),
    [
        ("0.0.0.0:8000", True),
        ("192.0.2.10:8000", True),
        ("[::]:8000", True),
        (":8000", True),
        ("127.0.0.1:8000", False),
        ("127.0.0.2:9000", False),
        ("[::1]:8000", False),
        ("localhost:8000", False),
        ("unix:/run/portal.sock", False),
    ],
)
def test_serving_beyond_loopback_with_trusted_proxies_is_warned_of(settings, bind, warned):
    settings.TRUSTED_PROXIES = parse_networks(["10.0.0.5"])
    err = io.StringIO()
    call_command("check_bind", bind, stderr=err)
    assert ("Only the proxy may reach this port" in err.getvalue()) is warned
    settings.TRUSTED_PROXIES = []
    err = io.StringIO()
    call_command("check_bind", bind, stderr=err)
    assert err.getvalue() == ""  # without trusted proxies, no forwarded header is believed


def test_make_serve_checks_its_bind():
    import subprocess

    plan = subprocess.run(
        ["make", "-n", "serve", "BIND=0.0.0.0:8000"], capture_output=True, text=True, check=True
    ).stdout
    assert 'manage.py check_bind "0.0.0.0:8000"' in plan
    assert plan.index("check_bind") < plan.index("gunicorn")
