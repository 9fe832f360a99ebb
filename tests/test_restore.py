"""Restoring a revision never changes who sees the article unless a final editor says so."""

import pytest
from django.utils import timezone

from news import revisions
from news.models import Article, Revision

from .conftest import change_url, make_article

pytestmark = pytest.mark.django_db


def restore_url(article_id, revision):
    return f"/admin/news/article/{article_id}/revisies/{revision.pk}/herstellen/"


def live_with_a_draft_revision(writer):
    """An article the writer drafted (a revision of hers) and a final editor published."""
    article = make_article(title="Eerste versie", status=Article.Status.DRAFT, published_at=None)
    draft = revisions.record(article, writer)
    article.title = "Gepubliceerde versie"
    article.status = Article.Status.PUBLISHED
    article.save()
    revisions.record(article)
    return article, draft


def test_a_writer_cannot_take_a_live_article_offline_through_a_restore(client, writer):
    article, draft = live_with_a_draft_revision(writer)
    client.force_login(writer)
    history = client.get(f"/admin/news/article/{article.pk}/revisies/").content.decode()
    assert "Terugzetten" not in history
    assert "alleen een eindredacteur kan er een revisie van terugzetten" in history

    # A forged POST, with and without asking for the old status.
    for data in ({}, {"publicatie": "1"}):
        response = client.post(restore_url(article.pk, draft), data, follow=True)
        assert response.status_code == 200
        assert "alleen een eindredacteur kan er een revisie van terugzetten" in (
            response.content.decode()
        )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.title == "Gepubliceerde versie"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_restore_keeps_the_status_unless_the_final_editor_confirms(client, writer, final_editor):
    article, draft = live_with_a_draft_revision(writer)
    client.force_login(final_editor)
    page = client.get(restore_url(article.pk, draft)).content.decode()
    assert "De publicatiestatus blijft <strong>Gepubliceerd</strong>" in page
    assert "Ook de publicatiestatus van deze revisie terugzetten: <strong>Concept</strong>" in page
    assert "het artikel verdwijnt dan van de site" in page
    article.refresh_from_db()
    assert article.title == "Gepubliceerde versie"  # a GET changes nothing

    assert client.post(restore_url(article.pk, draft)).status_code == 302
    article.refresh_from_db()
    assert article.title == "Eerste versie"
    assert article.status == Article.Status.PUBLISHED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200

    client.force_login(final_editor)
    client.post(restore_url(article.pk, draft), {"publicatie": "1"})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_writer_restores_her_draft_but_sees_she_cannot_change_its_status(client, writer):
    article = make_article(title="Ooit ingepland", status=Article.Status.PUBLISHED)
    scheduled = revisions.record(article)
    article.status = Article.Status.DRAFT
    article.title = "Nu een concept"
    article.save()
    client.force_login(writer)
    page = client.get(restore_url(article.pk, scheduled)).content.decode()
    assert "Alleen een eindredacteur kan ook die status terugzetten." in page
    client.post(restore_url(article.pk, scheduled), {"publicatie": "1"})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.title == "Nu een concept"
    client.post(restore_url(article.pk, scheduled))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.title == "Ooit ingepland"


def test_a_deleted_article_comes_back_as_a_draft_by_default(client, final_editor):
    article = make_article(title="Weg en terug")
    pk = article.pk
    client.force_login(final_editor)
    client.post(f"/admin/news/article/{pk}/delete/", {"post": "yes"})
    revision = Revision.objects.filter(article_id=pk).first()
    page = client.get(restore_url(pk, revision)).content.decode()
    assert "Het artikel komt terug als <strong>concept</strong>" in page
    client.post(restore_url(pk, revision))
    restored = Article.objects.get(pk=pk)
    assert restored.status == Article.Status.DRAFT
    assert restored.published_at == article.published_at  # kept as the planned date
    assert client.get(change_url(restored)).status_code == 200


def test_the_revision_header_names_who_saved_when_to_the_second(client, final_editor):
    article = make_article(title="Eerste")
    old = revisions.record(article, final_editor)
    article.title = "Tweede"
    article.save()
    new = revisions.record(article, final_editor)
    client.force_login(final_editor)
    page = client.get(
        f"/admin/news/article/{article.pk}/revisies/", {"revisie": [old.pk, new.pk]}
    ).content.decode()
    seconds = timezone.localtime(old.created_at).strftime("%H:%M:%S")
    assert f"{seconds} door eind" in page
