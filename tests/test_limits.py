"""Requests have limits, and going over one answers 400 or 413, never 500."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from news.models import Article

from .conftest import form_data

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def editor(django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("baas", "b@example.org", "x"))
    return client


def test_the_limits():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == int(2.5 * MB)
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    # A 20 MB image and the form around it fit; more than that is refused unread.
    assert 20 * MB < settings.MAX_REQUEST_BODY_SIZE <= 32 * MB


def test_form_fields_larger_than_the_limit_are_a_bad_request(editor):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = editor.post(reverse("admin:news_article_add"), form_data(body=body))
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_too_many_fields_are_a_bad_request(editor):
    data = {
        **form_data(),
        **{f"veld{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)},
    }
    assert editor.post(reverse("admin:news_article_add"), data).status_code == 400
    query = "&".join(f"a{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert Client().get(f"/zoeken/?{query}").status_code == 400


def test_too_many_files_are_a_bad_request(editor):
    files = {
        f"bestand{i}": SimpleUploadedFile(f"{i}.jpg", b"x", "image/jpeg")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    response = editor.post(reverse("admin:news_article_add"), {**form_data(), **files})
    assert response.status_code == 400


def test_a_body_over_the_hard_cap_is_refused_before_it_is_read(editor):
    # The header is what counts: the body is never read, so a small one stands in for it.
    too_large = str(settings.MAX_REQUEST_BODY_SIZE + 1)
    for url in (reverse("admin:news_article_add"), reverse("admin:login"), "/zoeken/"):
        response = editor.post(url, {"title": "x"}, CONTENT_LENGTH=too_large)
        assert response.status_code == 413, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_nonsense_content_length_is_no_server_error(editor):
    for length in ("-1", "abc", "99999999999999999999999999"):
        response = editor.post(
            reverse("admin:news_article_add"), form_data(), CONTENT_LENGTH=length
        )
        assert response.status_code < 500, length


def test_an_upload_of_20_megabytes_passes_the_limits(editor):
    # Not an image, so the form says so; what matters is that the request got that far.
    upload = SimpleUploadedFile("foto.jpg", b"\0" * (20 * MB), "image/jpeg")
    response = editor.post(reverse("admin:news_article_add"), {**form_data(), "image": upload})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]


def test_early_refusals_carry_the_security_headers(client):
    too_large = str(settings.MAX_REQUEST_BODY_SIZE + 1)
    for response in (
        client.post("/zoeken/", {"q": "x"}, CONTENT_LENGTH=too_large),  # 413
        client.get("/zoeken/", {"q": "a\x00b"}),  # 400
    ):
        assert response.status_code in (400, 413)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
