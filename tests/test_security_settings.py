"""Production settings: secure by default, `check --deploy` clean, the right headers everywhere."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from news.embeds import FRAME_ORIGINS

from .conftest import make_article

ROOT = Path(__file__).resolve().parent.parent
HOST = "nieuws.example"


def production_env(tmp_path, **extra):
    """Return the environment of a production server: DEBUG off, the required variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_VAR_DIR=str(tmp_path),
    )
    return {**env, **extra}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY", "SECURE_PROXY_SSL_HEADER", "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_META_PRECEDENCE_ORDER", "ADMIN_PATH",
]
print(json.dumps({name: getattr(settings, name, None) for name in names}))
"""


def settings_with(env):
    result = run(["-c", SHOW_SETTINGS], {**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_check_deploy_prints_no_warnings_with_the_production_variables(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_is_secure_by_default(tmp_path):
    found = settings_with(production_env(tmp_path))
    assert found["DEBUG"] is False
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and found["SECURE_HSTS_PRELOAD"]
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SESSION_COOKIE_HTTPONLY"] and found["CSRF_COOKIE_HTTPONLY"]
    # Only behind a proxy that says so is X-Forwarded-Proto or -For believed.
    assert found["SECURE_PROXY_SSL_HEADER"] is None
    assert found["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]


def test_behind_a_proxy_its_forwarded_headers_are_trusted_and_it_may_redirect(tmp_path):
    env = production_env(tmp_path, DJANGO_BEHIND_PROXY="1", DJANGO_SECURE_SSL_REDIRECT="0")
    found = settings_with(env)
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert found["AXES_IPWARE_PROXY_ORDER"] == "right-most"
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] >= 31536000  # still sent on the https the proxy forwards


def test_debug_serves_plain_http_for_make_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    found = settings_with({**env, "DJANGO_DEBUG": "1", "DJANGO_VAR_DIR": str(tmp_path)})
    assert found["DEBUG"] is True
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert not found["SESSION_COOKIE_SECURE"] and not found["CSRF_COOKIE_SECURE"]


def test_the_admin_path_is_configurable_and_followed_everywhere(tmp_path):
    script = """
import django
django.setup()
from django.test import Client
from django.urls import reverse
client = Client()
print(reverse("admin:index"))
print(client.get("/redactie-x7/login/").status_code, client.get("/admin/login/").status_code)
print(client.get("/robots.txt").content.decode())
"""
    # DEBUG on only for its plain static files storage (production's needs collectstatic).
    env = production_env(
        tmp_path,
        DJANGO_DEBUG="1",
        DJANGO_ADMIN_PATH="/redactie-x7/",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = run(["-c", script], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "/redactie-x7/"
    assert lines[1] == "200 404"
    assert "Disallow: /redactie-x7/" in lines


# --- Headers ---------------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp(response):
    """Return the Content-Security-Policy of `response` as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def assert_secure_headers(response):
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline scripts, no other sites
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # The one other site: the video players of embeds, loaded when a reader clicks.
    assert policy["frame-src"] == list(FRAME_ORIGINS)
    sources = [s for name, sources in policy.items() if name != "frame-src" for s in sources]
    assert not [s for s in sources if "unsafe" in s or "://" in s or s in ("*", "data:", "https:")]


@pytest.mark.django_db
def test_reader_pages_feeds_and_errors_send_the_security_headers(client):
    article = make_article(countries=["MA"])
    for url, status in [
        ("/", 200),
        (article.get_absolute_url(), 200),
        ("/land/marokko/", 200),
        ("/feed/", 200),
        ("/feed/json/", 200),
        ("/bestaat-niet/", 404),
    ]:
        response = client.get(url, secure=True)
        assert response.status_code == status, url
        assert_secure_headers(response)


@pytest.mark.django_db
def test_the_admin_sends_the_security_headers(client, django_user_model):
    assert_secure_headers(client.get(reverse("admin:login"), secure=True))
    client.force_login(django_user_model.objects.create_superuser("baas", "b@example.org", "x"))
    for url in (reverse("admin:index"), reverse("admin:news_article_add")):
        response = client.get(url, secure=True)
        assert response.status_code == 200
        assert_secure_headers(response)


@pytest.mark.django_db
def test_http_is_redirected_to_https_unless_the_proxy_says_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/archief/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/archief/"
    assert client.get("/healthz").status_code == 200  # a load balancer's check stays on http
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/archief/", headers={"x-forwarded-proto": "https"}).status_code == 200


@pytest.mark.django_db
def test_login_cookies_are_secure_and_http_only(client, django_user_model):
    django_user_model.objects.create_user(
        "redacteur", password="Een-lang-wachtwoord-42", is_staff=True
    )
    client.get(reverse("admin:login"), secure=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "redacteur", "password": "Een-lang-wachtwoord-42"},
        secure=True,
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] and cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


@pytest.mark.parametrize("password", ["kort1", "wachtwoord", "12345678901234", "redacteur-2024"])
def test_weak_passwords_are_refused(password, django_user_model):
    user = django_user_model(username="redacteur-2024")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Marokkaanse-luchtmacht-F16-2014")
