"""No lost edits, revisions and their restore, deleted articles brought back."""

import pytest

from news import revisions
from news.models import Article, Revision

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "fatima", "f@example.org", "x", first_name="Fatima"
    )


def test_second_save_from_an_older_version_is_refused_and_keeps_the_input(
    client,
    final_editor,
    second_editor,
):
    article = make_article(title="Origineel", status=Article.Status.DRAFT, published_at=None)
    opened = form_data(article)  # both open the form at the same version

    client.force_login(second_editor)
    first = client.post(
        change_url(article), {**opened, "title": "Versie van Fatima", "status": "draft"}
    )
    assert first.status_code == 302

    client.force_login(final_editor)
    mine = {
        **opened,
        "title": "Mijn versie",
        "body": "Mijn lange, zorgvuldig getypte tekst.",
        "status": "draft",
    }
    refused = client.post(change_url(article), mine)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Dit artikel is intussen opgeslagen door Fatima op" in html
    assert "Mijn lange, zorgvuldig getypte tekst." in html
    assert 'value="Mijn versie"' in html
    article.refresh_from_db()
    assert article.title == "Versie van Fatima"

    # The refused form now carries the newer version: saving again is a deliberate overwrite.
    form = refused.context["adminform"].form
    assert str(form["opened_version"].value()) == str(article.version)
    again = client.post(change_url(article), {**mine, "opened_version": article.version})
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.title == "Mijn versie"


def test_every_save_keeps_a_revision_with_tags_and_pins(client, final_editor):
    pinned = make_article(title="Vastgezet")
    article = make_article(title="Eerste titel", countries=["MA"], topics=["defensie"])
    client.force_login(final_editor)
    data = form_data(
        article, title="Tweede titel", topics="luchtmacht, marine", status="published",
        published_at_0="04-05-2014", published_at_1="15:44",
        **{"pins-TOTAL_FORMS": "1", "pins-0-pinned": pinned.pk, "pins-0-position": "0"},
    )  # fmt: skip
    assert client.post(change_url(article), data).status_code == 302
    revision = Revision.objects.get(article_id=article.pk)
    assert revision.user == final_editor
    assert revision.data["title"] == "Tweede titel"
    assert revision.data["topics"] == ["luchtmacht", "marine"]
    assert revision.data["countries"] == ["MA"]
    assert revision.data["pins"] == [pinned.pk]


def test_history_shows_the_difference_and_restores_an_older_revision(client, final_editor):
    article = make_article(title="Eerste titel", topics=["defensie"])
    client.force_login(final_editor)
    first = dict(
        form_data(article, topics="defensie", published_at_0="04-05-2014", published_at_1="15:44")
    )
    client.post(change_url(article), first)
    article.refresh_from_db()
    client.post(
        change_url(article),
        {
            **first,
            "title": "Tweede titel",
            "topics": "luchtmacht",
            "opened_version": article.version,
        },
    )
    old, new = Revision.objects.filter(article_id=article.pk).order_by("created_at", "pk")

    url = f"/admin/news/article/{article.pk}/revisies/"
    page = client.get(url, {"revisie": [old.pk, new.pk]}).content.decode()
    assert "<del>Eerste</del><ins>Tweede</ins> titel" in page
    assert "<del>defensie</del><ins>luchtmacht</ins>" in page

    response = client.post(f"{url}{old.pk}/herstellen/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Eerste titel"
    assert [t.name for t in article.topics.all()] == ["defensie"]
    latest = Revision.objects.filter(article_id=article.pk).first()
    assert latest.note.startswith("Hersteld") and latest.data["title"] == "Eerste titel"
    assert Revision.objects.filter(article_id=article.pk).count() == 3


def test_a_deleted_article_can_be_brought_back(client, final_editor):
    article = make_article(title="Per ongeluk gewist", countries=["MA", "RU"], topics=["marine"])
    pk = article.pk
    client.force_login(final_editor)
    response = client.post(f"/admin/news/article/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=pk).exists()

    deleted_list = client.get("/admin/news/article/verwijderd/").content.decode()
    assert "Per ongeluk gewist" in deleted_list
    revision = Revision.objects.filter(article_id=pk).first()
    # The final editor confirms that it goes back on the site as it was.
    client.post(f"/admin/news/article/{pk}/revisies/{revision.pk}/herstellen/", {"publicatie": "1"})
    restored = Article.objects.get(pk=pk)
    assert restored.title == "Per ongeluk gewist"
    assert sorted(c.code for c in restored.countries.all()) == ["MA", "RU"]
    assert [t.name for t in restored.topics.all()] == ["marine"]
    assert client.get(restored.get_absolute_url()).status_code == 200
    assert (
        "Per ongeluk gewist" not in client.get("/admin/news/article/verwijderd/").content.decode()
    )


def test_a_writer_cannot_restore_a_published_revision(client, writer):
    article = make_article(title="Live")

    revision = revisions.record(article)
    article.status = Article.Status.DRAFT
    article.save()
    client.force_login(writer)
    client.post(f"/admin/news/article/{article.pk}/revisies/{revision.pk}/herstellen/")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_revision_keeps_every_field_an_editor_can_change():
    from news.admin.articles import ArticleAdmin

    # A field added to the form but not to revisions.FIELDS would silently not be kept.
    in_form = {name for _, options in ArticleAdmin.fieldsets for name in options["fields"]}
    kept = set(revisions.FIELDS) | {"country", "countries", "topics"}
    assert in_form - {"opened_version", "conflict_base"} <= kept


def test_one_moment_in_two_time_zones_is_no_change():
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    moment = timezone.now().astimezone(ZoneInfo("Europe/Amsterdam"))
    article = make_article(published_at=moment)
    as_saved = revisions.record(article)  # "+01:00", as the form gave it
    article.refresh_from_db()
    as_read = revisions.record(article)  # "+00:00", as the database gives it back
    assert as_saved.data["published_at"] != as_read.data["published_at"]
    assert revisions.changes(as_saved, as_read) == []


def test_a_revision_keeps_the_seo_fields_and_shows_their_changes():
    article = make_article(seo_title="Oude zoekkop", seo_description="Oude beschrijving.")
    old = revisions.record(article)
    article.seo_title = "Nieuwe zoekkop"
    article.save()
    new = revisions.record(article)
    assert old.data["seo_title"] == "Oude zoekkop"
    assert new.data["seo_description"] == "Oude beschrijving."
    labels = [str(label) for label, _ in revisions.changes(old, new)]
    assert labels == ["titel voor zoekmachines"]
