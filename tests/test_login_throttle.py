"""Login throttling (django-axes): a few failures per account or per address, then a pause."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

PASSWORD = "Een-lang-wachtwoord-42"

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(django_user_model):
    return [
        django_user_model.objects.create_user(name, password=PASSWORD, is_staff=True)
        for name in ("redacteur", "eindredacteur", "chef")
    ]


def log_in(username, password, ip="192.0.2.1", **headers):
    """Post the admin login form from `ip`; return the response."""
    client = Client(REMOTE_ADDR=ip)
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        headers=headers,
    )


def logged_in(response):
    return response.status_code == 302 and response.headers["Location"] == reverse("admin:index")


def fail(times, username="redacteur", ip="192.0.2.1", **headers):
    for _ in range(times):
        response = log_in(username, "fout", ip, **headers)
        assert response.status_code in (200, 429)


def test_the_limit_is_five_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_four_failures_still_let_the_right_password_in(editors):
    fail(4)
    assert logged_in(log_in("redacteur", PASSWORD))


def test_after_five_failures_an_account_is_locked_with_a_dutch_message(editors):
    fail(4)
    response = log_in("redacteur", "fout")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Te veel inlogpogingen" in html
    assert "Probeer het over 15 minuten opnieuw." in html
    assert '<meta name="robots" content="noindex">' in html
    # Even the right password is refused now, from anywhere.
    for ip in ("192.0.2.1", "198.51.100.7"):
        response = log_in("redacteur", PASSWORD, ip)
        assert response.status_code == 429 and not logged_in(response)
    # Other accounts from other addresses are not affected.
    assert logged_in(log_in("chef", PASSWORD, "198.51.100.8"))


def test_five_failures_from_one_address_lock_that_address_for_every_account(editors):
    for name in ("iemand", "niemand", "redacteur", "eindredacteur", "beheer"):
        fail(1, name, ip="203.0.113.5")
    assert log_in("chef", PASSWORD, "203.0.113.5").status_code == 429
    assert logged_in(log_in("chef", PASSWORD, "203.0.113.6"))


def test_failures_from_many_addresses_still_lock_the_account(editors):
    for i in range(5):
        fail(1, "eindredacteur", ip=f"198.51.100.{10 + i}")
    assert log_in("eindredacteur", PASSWORD, "198.51.100.99").status_code == 429


def test_the_lock_ends_after_the_cool_off(editors):
    fail(5)
    assert log_in("redacteur", PASSWORD).status_code == 429
    # Trying again during the lock does not make it last longer.
    fail(2)
    earlier = AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert logged_in(log_in("redacteur", PASSWORD))


def test_forwarded_for_counts_only_behind_a_proxy(editors, settings):
    # Without DJANGO_BEHIND_PROXY, a made-up X-Forwarded-For changes nothing: one address.
    for i in range(5):
        fail(1, f"iemand{i}", ip="192.0.2.50", x_forwarded_for=f"10.9.8.{i}")
    assert log_in("chef", PASSWORD, "192.0.2.50").status_code == 429


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_saw(editors, settings):
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    proxy = "127.0.0.1"
    # The client makes up an address each time; the proxy appends the one it saw.
    # (Public addresses: ipware passes over private and documentation ones.)
    for i in range(5):
        fail(1, f"iemand{i}", ip=proxy, x_forwarded_for=f"5.5.5.{i}, 81.2.69.142")
    assert log_in("chef", PASSWORD, proxy, x_forwarded_for="81.2.69.142").status_code == 429
    # Another editor behind the same proxy is not locked out.
    assert logged_in(log_in("chef", PASSWORD, proxy, x_forwarded_for="81.2.69.143"))
