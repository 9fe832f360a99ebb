"""CSRF: every POST to the admin without a token is refused; with one, the same POST works."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from news import revisions
from news.models import Article, Topic

from .conftest import form_data, make_article
from .routes import all_routes, fill, valid_values


@pytest.fixture
def site(django_user_model):
    article = make_article(countries=["MA"], topics=["defensie"])
    revisions.record(article)
    superuser = django_user_model.objects.create_superuser("baas", "baas@example.org", "x")
    return {"article": article, "topic": Topic.objects.get(name="defensie"), "superuser": superuser}


def csrf_client(user=None):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def admin_urls(site):
    return [
        fill(route, valid_values(route, site))
        for route, _ in all_routes()
        if route.startswith(settings.ADMIN_PATH)
    ]


@pytest.mark.django_db
def test_every_admin_post_without_a_token_is_refused(site):
    client = csrf_client(site["superuser"])
    urls = admin_urls(site)
    assert len(urls) > 50
    accepted = []
    for url in urls:
        # What a forged form would send: a delete confirmation, an action, a changed article.
        data = {
            **form_data(site["article"]),
            "post": "yes",
            "action": "delete_selected",
            "_selected_action": [site["article"].pk],
        }
        response = client.post(url, data)
        if response.status_code != 403:
            accepted.append((url, response.status_code))
    assert accepted == []
    assert Article.objects.filter(pk=site["article"].pk, title=site["article"].title).exists()


@pytest.mark.django_db
def test_login_and_logout_without_a_token_are_refused(site, django_user_model):
    django_user_model.objects.create_user(
        "redacteur", password="Een-lang-wachtwoord-42", is_staff=True
    )
    client = csrf_client()
    response = client.post(
        reverse("admin:login"), {"username": "redacteur", "password": "Een-lang-wachtwoord-42"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    client = csrf_client(site["superuser"])
    assert client.post(reverse("admin:logout")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200  # still logged in


def token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_the_same_posts_with_the_token_work(site):
    client = csrf_client(site["superuser"])
    article = site["article"]
    change = reverse("admin:news_article_change", args=[article.pk])
    data = {
        **form_data(article, title="Met token opgeslagen"),
        "csrfmiddlewaretoken": token(client, change),
    }
    assert client.post(change, data).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Met token opgeslagen"

    changelist = reverse("admin:news_article_changelist")
    data = {
        "action": "unpublish",
        "_selected_action": [article.pk],
        "csrfmiddlewaretoken": token(client, changelist),
    }
    assert client.post(changelist, data).status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


@pytest.mark.django_db
def test_a_token_from_another_site_is_refused(site):
    client = csrf_client(site["superuser"])
    change = reverse("admin:news_article_change", args=[site["article"].pk])
    data = {
        **form_data(site["article"], title="Vervalst"),
        "csrfmiddlewaretoken": token(client, change),
    }
    response = client.post(change, data, secure=True, headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert Article.objects.get(pk=site["article"].pk).title != "Vervalst"
