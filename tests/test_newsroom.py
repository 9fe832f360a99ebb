"""Roles, publishing, scheduling and preview, through real admin requests."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from news.models import Article

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"
LIST_URL = "/admin/news/article/"


def test_roles_exist_and_only_the_final_editor_may_publish(writer, final_editor):
    assert not writer.has_perm("news.publish_article")
    assert writer.has_perm("news.change_article")
    assert final_editor.has_perm("news.publish_article")


def test_a_writers_crafted_post_cannot_publish_a_new_article(client, writer):
    client.force_login(writer)
    response = client.post(ADD_URL, form_data(published_at_0="01-01-2020", published_at_1="10:00"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert not Article.objects.published().exists()


def test_a_writers_crafted_post_cannot_publish_a_draft(client, writer):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    client.force_login(writer)
    response = client.post(change_url(draft), form_data(draft, title="Herschreven"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Herschreven"
    assert draft.status == Article.Status.DRAFT


def test_a_writer_cannot_change_a_published_article(client, writer):
    article = make_article(title="Live")
    client.force_login(writer)
    page = client.get(change_url(article)).content.decode()
    assert 'name="_save"' not in page
    response = client.post(change_url(article), form_data(article, title="Gekaapt", status="draft"))
    # Refused in the form, in Dutch, with what she typed still there.
    assert response.status_code == 200
    assert "Alleen een eindredacteur kan het nu nog wijzigen." in response.content.decode()
    assert 'value="Gekaapt"' in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Live" and article.status == Article.Status.PUBLISHED


def test_a_writer_sees_no_publish_action_and_cannot_post_one(client, writer):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    client.force_login(writer)
    assert "publish_now" not in client.get(LIST_URL).content.decode()
    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_final_editor_publishes_and_unpublishes_in_bulk(client, final_editor):
    drafts = [make_article(status=Article.Status.DRAFT, published_at=None) for _ in range(2)]
    live = make_article()
    client.force_login(final_editor)
    selected = [a.pk for a in drafts + [live]]
    response = client.post(
        LIST_URL, {"action": "publish_now", "_selected_action": selected}, follow=True
    )
    assert "2 artikelen gepubliceerd." in response.content.decode()
    assert Article.objects.published().count() == 3

    response = client.post(
        LIST_URL, {"action": "unpublish", "_selected_action": [drafts[0].pk]}, follow=True
    )
    assert "1 artikel teruggezet naar concept." in response.content.decode()
    assert Article.objects.published().count() == 2


def test_scheduled_article_appears_exactly_at_its_time(client, final_editor):
    client.force_login(final_editor)
    moment = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    data = form_data(published_at_0=f"{moment:%d-%m-%Y}", published_at_1=f"{moment:%H:%M}")
    assert client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get()
    listing = client.get(LIST_URL).content.decode()
    assert "Gepland: " in listing
    client.logout()

    url = article.get_absolute_url()
    with mock.patch("django.utils.timezone.now", return_value=moment - timedelta(seconds=1)):
        assert client.get(url).status_code == 404
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert client.get(url).status_code == 200


def test_end_of_publication_takes_an_article_off_the_site(client):
    end = timezone.now() + timedelta(hours=3)
    article = make_article(unpublish_at=end)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=end):
        assert client.get(url).status_code == 404
        assert article not in Article.objects.published()


def test_end_of_publication_before_the_start_is_refused(client, final_editor):
    client.force_login(final_editor)
    data = form_data(
        published_at_0="10-05-2024", published_at_1="10:00",
        unpublish_at_0="09-05-2024", unpublish_at_1="10:00",
    )  # fmt: skip
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert (
        "Het einde van de publicatie moet na de publicatiedatum liggen."
        in response.content.decode()
    )
    assert not Article.objects.exists()


def test_status_filter(client, final_editor):
    make_article(title="Klad-stuk", status=Article.Status.DRAFT, published_at=None)
    make_article(title="Toekomst-stuk", published_at=timezone.now() + timedelta(days=1))
    make_article(title="Live-stuk")
    client.force_login(final_editor)
    for state, title in [
        ("draft", "Klad-stuk"),
        ("scheduled", "Toekomst-stuk"),
        ("published", "Live-stuk"),
    ]:
        page = client.get(LIST_URL, {"staat": state}).content.decode()
        assert title in page
        assert {"Klad-stuk", "Toekomst-stuk", "Live-stuk"} - {title} & {
            t for t in ("Klad-stuk", "Toekomst-stuk", "Live-stuk") if t in page
        } == set()


def test_preview_shows_a_draft_to_staff_only(client, writer, django_user_model):
    draft = make_article(title="Nog geheim", status=Article.Status.DRAFT, published_at=None)
    url = f"/voorbeeld/{draft.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(django_user_model.objects.create_user("lezer", password="x"))
    assert client.get(url).status_code == 404

    client.force_login(writer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Nog geheim</h1>" in html
    assert "Voorbeeld" in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    assert f'href="/voorbeeld/{draft.pk}/"' in client.get(change_url(draft)).content.decode()


def test_article_list_query_count_stays_fixed(client, final_editor, django_assert_max_num_queries):
    for i in range(100):
        make_article(countries=["MA", "RU"], topics=["defensie", f"onderwerp {i % 7}"])
    client.force_login(final_editor)
    with django_assert_max_num_queries(14):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "Marokko, Rusland" in response.content.decode()


def test_view_on_site_opens_the_preview_of_a_draft_or_scheduled_article(client, final_editor):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    live = make_article()
    client.force_login(final_editor)
    for article, target in [
        (draft, f"/voorbeeld/{draft.pk}/"),
        (scheduled, f"/voorbeeld/{scheduled.pk}/"),
        (live, live.get_absolute_url()),
    ]:
        html = client.get(change_url(article)).content.decode()
        link = html.split('" class="viewsitelink"')[0].rsplit('href="', 1)[1]
        assert link == target
        assert client.get(link).status_code == 200


def test_after_saving_the_editor_never_lands_on_a_list_that_hides_the_article(client, final_editor):
    draft = make_article(title="Nu live", status=Article.Status.DRAFT, published_at=None)
    client.force_login(final_editor)
    filters = "_changelist_filters=staat%3Ddraft"
    response = client.post(f"{change_url(draft)}?{filters}", form_data(draft, status="published"))
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    # Still on the list it came from when that list shows it.
    other = make_article(title="Blijft concept", status=Article.Status.DRAFT, published_at=None)
    response = client.post(f"{change_url(other)}?{filters}", form_data(other, status="draft"))
    assert response["Location"] == f"{LIST_URL}?staat=draft"
