"""news.newsroom: every operation checks the role, keeps a revision and makes pages stale.

The cache signals are only a safety net: these tests switch them off, so that each
operation has to make readers' pages stale itself (queryset update() and bulk_create()
paths included).
"""

import pytest

from news import newsroom, signals
from news.models import Article, Revision, Topic

from .conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_signals():
    signals.disconnect()
    yield
    signals.connect()


def cached(client, url):
    response = client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    return response


def test_unpublish_and_publish_make_the_page_stale(client, no_signals, final_editor):
    article = make_article(title="Zichtbaar")
    cached(client, article.get_absolute_url())
    assert newsroom.unpublish(Article.objects.filter(pk=article.pk), final_editor) == 1
    assert client.get(article.get_absolute_url()).status_code == 404
    assert newsroom.publish(Article.objects.filter(pk=article.pk), final_editor) == 1
    assert client.get(article.get_absolute_url()).status_code == 200
    notes = list(Revision.objects.filter(article_id=article.pk).values_list("note", flat=True))
    assert notes == ["Gepubliceerd", "Gedepubliceerd"]


def test_merging_topics_moves_articles_and_makes_pages_stale(client, no_signals, final_editor):
    article = make_article(title="Over graan", topics=["landbouw"])
    make_article(topics=["handel"])
    handel = Topic.objects.get(name="handel")
    cached(client, "/onderwerp/handel/")
    newsroom.merge_topics(handel, list(Topic.objects.filter(name="landbouw")), final_editor)
    assert "Over graan" in client.get("/onderwerp/handel/").content.decode()
    revision = Revision.objects.get(article_id=article.pk)
    assert revision.data["topics"] == ["handel"]
    assert revision.note == "Onderwerp “landbouw” samengevoegd tot “handel”"


def test_restore_makes_the_page_stale(client, no_signals, final_editor):
    article = make_article(title="Oude kop")
    newsroom.save(article, final_editor)
    old = Revision.objects.get(article_id=article.pk)
    article.title = "Nieuwe kop"
    newsroom.save(article, final_editor)
    assert "Nieuwe kop" in cached(client, article.get_absolute_url()).content.decode()
    newsroom.restore(old, final_editor)
    assert "Oude kop" in client.get(article.get_absolute_url()).content.decode()


def test_roles_are_checked_in_the_service_itself(writer, final_editor):
    live = make_article()
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    for operation in (
        lambda: newsroom.publish([draft], writer),
        lambda: newsroom.unpublish([live], writer),
        lambda: newsroom.delete([draft], writer),
        lambda: newsroom.save(live, writer),
    ):
        with pytest.raises(newsroom.NotAllowed):
            operation()
    draft.status = Article.Status.PUBLISHED
    with pytest.raises(newsroom.NotAllowed):
        newsroom.save(draft, writer)
    assert not Article.objects.get(pk=draft.pk).is_published
    assert newsroom.delete([live], final_editor) == 1


def test_schedule_puts_an_article_on_the_site_at_its_moment(
    client, no_signals, final_editor, writer
):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    draft = make_article(title="Straks", status=Article.Status.DRAFT, published_at=None)
    moment = timezone.now() + timedelta(hours=2)
    cached(client, "/")
    newsroom.schedule(draft, final_editor, moment)
    assert Article.objects.get(pk=draft.pk).state == Article.Status.SCHEDULED
    assert "Straks" not in client.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert "Straks" in client.get("/").content.decode()
    with pytest.raises(newsroom.NotAllowed):
        newsroom.schedule(draft, writer, moment)
