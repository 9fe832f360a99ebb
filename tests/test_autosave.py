"""Autosave: each editor's unsaved text, kept apart from the article, offered back, cleared."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from news import autosave
from news.models import Article, AutosavedDraft, Revision

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db

NEW_URL = "/admin/news/article/klad/"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def draft_url(article):
    return f"/admin/news/article/{article.pk}/klad/"


def keep(client, url, **data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def draft():
    return make_article(
        title="Een concept", lead="De intro.", body="Eerste zin.", status="draft", published_at=None
    )


def test_keep_read_and_discard_a_draft_of_an_article(client, writer, draft):
    client.force_login(writer)
    response = keep(
        client, draft_url(draft), body="Eerste zin. Tweede zin half", title="Een concept"
    )
    assert response.status_code == 200
    assert response.json()["saved_at"]
    answer = client.get(draft_url(draft)).json()
    assert answer["data"] == {"body": "Eerste zin. Tweede zin half", "title": "Een concept"}
    # Never the article, never a revision.
    draft.refresh_from_db()
    assert draft.body == "Eerste zin."
    assert not Revision.objects.exists()
    # A second save replaces the first: one per editor and article.
    keep(client, draft_url(draft), body="Eerste zin. Tweede zin heel")
    assert AutosavedDraft.objects.get().data == {"body": "Eerste zin. Tweede zin heel"}
    assert client.post(draft_url(draft) + "weggooien/").status_code == 200
    assert not AutosavedDraft.objects.exists()
    assert client.get(draft_url(draft)).status_code == 404


def test_a_new_article_has_its_own_draft(client, writer, draft):
    client.force_login(writer)
    keep(client, NEW_URL, title="Nieuw", body="Nog niet opgeslagen")
    keep(client, draft_url(draft), body="Iets anders")
    assert client.get(NEW_URL).json()["data"] == {"title": "Nieuw", "body": "Nog niet opgeslagen"}
    keep(client, NEW_URL, title="Nieuw", body="Nog steeds niet")
    assert AutosavedDraft.objects.filter(article=None).count() == 1
    client.post(NEW_URL + "weggooien/")
    assert list(AutosavedDraft.objects.values_list("article", flat=True)) == [draft.pk]


def test_only_known_text_fields_are_kept(client, writer, draft):
    client.force_login(writer)
    keep(client, draft_url(draft), body="Tekst", status="published", image="x.jpg", lead=3)
    assert AutosavedDraft.objects.get().data == {"body": "Tekst"}
    response = client.post(draft_url(draft), "geen json", content_type="application/json")
    assert response.status_code == 400


def test_typing_back_to_the_saved_text_leaves_no_draft(client, writer, draft):
    client.force_login(writer)
    keep(client, draft_url(draft), body="Eerste zin. En meer")
    keep(client, draft_url(draft), body="Eerste zin.", title="Een concept")
    assert not AutosavedDraft.objects.exists()


def test_saving_the_article_clears_the_draft(client, writer, draft):
    client.force_login(writer)
    keep(client, draft_url(draft), body="Eerste zin. Tweede")
    keep(client, NEW_URL, body="Iets nieuws")
    response = client.post(change_url(draft), form_data(draft, body="Eerste zin. Tweede zin."))
    assert response.status_code == 302
    assert list(AutosavedDraft.objects.values_list("article", flat=True)) == [None]
    response = client.post("/admin/news/article/add/", form_data(status="draft"))
    assert response.status_code == 302
    assert not AutosavedDraft.objects.exists()


def test_a_refused_save_keeps_the_draft(client, writer, draft):
    client.force_login(writer)
    keep(client, draft_url(draft), body="Eerste zin. Tweede")
    response = client.post(change_url(draft), form_data(draft, title=""))
    assert response.status_code == 200  # the form again, with its error
    assert AutosavedDraft.objects.exists()


def test_an_editor_never_sees_another_editors_draft(client, writer, final_editor, draft):
    client.force_login(writer)
    keep(client, draft_url(draft), body="Van de schrijver")
    keep(client, NEW_URL, body="Ook van de schrijver")
    client.force_login(final_editor)
    assert client.get(draft_url(draft)).status_code == 404
    assert client.get(NEW_URL).status_code == 404
    assert "Van de schrijver" not in client.get(change_url(draft)).content.decode()
    client.post(draft_url(draft) + "weggooien/")
    client.post(NEW_URL + "weggooien/")
    keep(client, draft_url(draft), body="Van de eindredacteur")
    assert AutosavedDraft.objects.get(user=writer, article=draft).data == {
        "body": "Van de schrijver"
    }
    assert AutosavedDraft.objects.filter(user=writer, article=None).exists()
    assert AutosavedDraft.objects.filter(user=final_editor).count() == 1


def test_anonymous_and_non_staff_users_get_nothing(client, writer, draft, django_user_model):
    AutosavedDraft.objects.create(
        user=writer, article=draft, data={"body": "Geheim"}, saved_at=draft.updated_at
    )
    for url in (draft_url(draft), NEW_URL):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        response = keep(client, url, body="Van een vreemde")
        assert response.status_code == 302 and "Geheim" not in response.content.decode()
        assert client.post(url + "weggooien/").status_code == 302
    client.force_login(django_user_model.objects.create_user("lezer", password="x"))
    assert client.get(draft_url(draft)).status_code == 302
    assert AutosavedDraft.objects.get().data == {"body": "Geheim"}


def test_a_writer_cannot_autosave_a_published_article(client, writer):
    article = make_article(body="Gepubliceerde tekst.")
    client.force_login(writer)
    response = keep(client, draft_url(article), body="Gekaapt")
    assert response.status_code == 403
    assert response.json()["error"] == autosave.NOT_ALLOWED
    assert client.get(draft_url(article)).status_code == 403
    assert not AutosavedDraft.objects.exists()
    # Her read-only view of it has no autosave either.
    assert 'id="autosave"' not in client.get(change_url(article)).content.decode()
    assert keep(client, "/admin/news/article/999999/klad/", body="x").status_code == 404


def test_a_user_without_add_permission_cannot_autosave_a_new_article(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user("stagiair", password="x", is_staff=True)
    )
    assert keep(client, NEW_URL, body="x").status_code == 403


def test_more_than_a_megabyte_is_refused_in_dutch(client, writer, draft):
    client.force_login(writer)
    response = keep(client, draft_url(draft), body="woord " * 200_000)
    assert response.status_code == 413
    assert response.json()["error"] == autosave.TOO_LARGE
    assert "te groot" in autosave.TOO_LARGE
    assert not AutosavedDraft.objects.exists()
    assert keep(client, draft_url(draft), body="woord " * 150_000).status_code == 200


def test_csrf_token_is_required(writer, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    page = client.get(change_url(draft))
    token = str(page.context["csrf_token"])
    body = json.dumps({"body": "Met token"})
    assert client.post(draft_url(draft), body, content_type="application/json").status_code == 403
    assert client.post(draft_url(draft) + "weggooien/").status_code == 403
    assert not AutosavedDraft.objects.exists()
    response = client.post(
        draft_url(draft), body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert AutosavedDraft.objects.get().data == {"body": "Met token"}


def test_reading_needs_get_or_post(client, writer, draft):
    client.force_login(writer)
    assert client.put(draft_url(draft)).status_code == 405
    assert client.get(draft_url(draft) + "weggooien/").status_code == 405


def test_the_form_offers_the_draft_back_with_a_word_diff(client, writer, draft):
    saved_at = datetime(2024, 5, 4, 14, 2, tzinfo=AMSTERDAM)
    AutosavedDraft.objects.create(
        user=writer, article=draft, data={"body": "Eerste zin. Tweede zin half"}, saved_at=saved_at
    )
    client.force_login(writer)
    html = client.get(change_url(draft)).content.decode()
    assert "Herstel niet-opgeslagen tekst van 4 mei 2024 14:02" in html
    assert "<ins>Tweede</ins>" in html or "<ins> Tweede zin half</ins>" in html
    assert "Herstellen" in html and "Weggooien" in html
    assert 'id="autosave-data"' in html
    # Once the article holds the same text there is nothing to offer.
    Article.objects.filter(pk=draft.pk).update(body="Eerste zin. Tweede zin half")
    assert "Herstel niet-opgeslagen" not in client.get(change_url(draft)).content.decode()


def test_the_add_form_offers_a_new_articles_draft(client, writer):
    AutosavedDraft.objects.create(
        user=writer, article=None, data={"title": "Nooit opgeslagen", "body": ""},
        saved_at=datetime(2024, 5, 4, 14, 2, tzinfo=AMSTERDAM),
    )  # fmt: skip
    client.force_login(writer)
    html = client.get("/admin/news/article/add/").content.decode()
    assert "Herstel niet-opgeslagen tekst van" in html
    assert "<ins>Nooit opgeslagen</ins>" in html
    assert 'data-url="/admin/news/article/klad/"' in html


def test_the_time_is_said_as_an_editor_says_it():
    now = datetime(2024, 5, 4, 9, 0, tzinfo=AMSTERDAM)
    assert autosave.saved_when(datetime(2024, 5, 4, 8, 5, tzinfo=AMSTERDAM), now) == "08:05"
    # Midnight in Amsterdam is still the day before in UTC.
    yesterday = datetime(2024, 5, 3, 23, 30, tzinfo=AMSTERDAM)
    assert autosave.saved_when(yesterday, now) == "gisteren 23:30"
    assert autosave.saved_when(datetime(2024, 5, 1, 14, 2, tzinfo=AMSTERDAM), now) == (
        "1 mei 2024 14:02"
    )
