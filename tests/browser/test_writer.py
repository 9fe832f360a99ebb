"""A writer (group "Redacteur") in Chromium: no way to publish, and no edit lost to a colleague."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from news import revisions
from news.models import Article, Revision
from tests.browser.helpers import log_in
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def draft(**kw):
    return make_article(status=Article.Status.DRAFT, published_at=None, **kw)


def test_a_writer_sees_no_way_to_publish(page, writer):
    concept = draft(title="Een concept over de Rifkust")
    live = make_article(title="Al gepubliceerd nieuws uit Fez")
    log_in(page, writer)

    page.get_by_role("link", name="Artikelen").first.click()
    expect(page.get_by_role("row").filter(has_text=concept.title)).to_contain_text("Concept")
    # No bulk "Nu publiceren" or "Depubliceren": with no action left (deleting is not
    # a writer's either), Django shows no action bar at all.
    expect(page.locator('select[name="action"]')).to_have_count(0)
    expect(page.get_by_text(re.compile("publiceren", re.IGNORECASE))).to_have_count(0)

    # A draft: status and dates are shown, not editable.
    page.get_by_role("link", name=concept.title).click()
    expect(page).to_have_url(re.compile(rf"/admin/news/article/{concept.pk}/change/$"))
    expect(page.locator(".field-status .readonly")).to_have_text("Concept")
    expect(page.locator("#id_status")).to_have_count(0)
    expect(page.locator("#id_published_at_0")).to_have_count(0)
    expect(page.get_by_role("button", name="Opslaan", exact=True)).to_be_visible()

    # A new article: the same.
    page.goto("/admin/news/article/add/")
    expect(page.get_by_label("Titel:", exact=True)).to_be_editable()
    expect(page.locator(".field-status .readonly")).to_have_text("Concept")
    expect(page.locator("#id_status")).to_have_count(0)

    # A published article is the final editor's: the writer may read it, not save it.
    page.goto(f"/admin/news/article/{live.pk}/change/")
    expect(page.get_by_role("heading", name="Bekijk artikel")).to_be_visible()
    expect(page.locator(".field-title .readonly")).to_have_text(live.title)
    expect(page.get_by_role("button", name=re.compile("Opslaan"))).to_have_count(0)


def test_two_editors_on_one_article_lose_no_edit(new_page, writer, final_editor):
    final_editor.first_name = "Fatima"
    final_editor.save()
    article = draft(title="Verkiezingen in Tunesië", lead="De eerste uitslagen.")
    revisions.record(article)  # as the admin keeps one of every save

    mine, theirs = new_page(), new_page()  # two browsers, each with its own login
    log_in(mine, writer)
    log_in(theirs, final_editor)
    url = f"/admin/news/article/{article.pk}/change/"
    mine.goto(url)
    theirs.goto(url)

    # The colleague saves first.
    theirs.get_by_label("Intro:", exact=True).fill("De eerste uitslagen zijn binnen.")
    theirs.get_by_role("button", name="Opslaan", exact=True).click()
    expect(theirs.locator(".messagelist")).to_contain_text("zijn opgeslagen")

    # My save, of the version I opened, is refused: with their name, and my text kept.
    title = mine.get_by_label("Titel:", exact=True)
    title.fill("Verkiezingen in Tunesië: opkomst laag")
    mine.get_by_role("button", name="Opslaan", exact=True).click()
    expect(mine).to_have_url(re.compile(rf"{url}$"))
    refusal = mine.get_by_text("Dit artikel is intussen opgeslagen door Fatima op")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Uw wijzigingen zijn nog niet opgeslagen")
    expect(title).to_have_value("Verkiezingen in Tunesië: opkomst laag")
    article.refresh_from_db()
    assert article.title == "Verkiezingen in Tunesië"
    assert article.lead == "De eerste uitslagen zijn binnen."

    # What the colleague changed is shown; "Revisies" opens beside the form, which keeps my text.
    expect(mine.locator(".conflict .revision-diff")).to_contain_text("zijn binnen")
    with mine.expect_popup() as popup:
        mine.get_by_role("link", name="Revisies").click()
    expect(popup.value.get_by_role("heading", name=re.compile("Revisies van"))).to_be_visible()
    popup.value.close()
    expect(title).to_have_value("Verkiezingen in Tunesië: opkomst laag")

    # "Keep both" copies their change into my form; saving then keeps both.
    mine.get_by_role("button", name="Beide wijzigingen bewaren").click()
    expect(mine.get_by_label("Intro:", exact=True)).to_have_value(
        "De eerste uitslagen zijn binnen."
    )
    expect(title).to_have_value("Verkiezingen in Tunesië: opkomst laag")
    mine.get_by_role("button", name="Opslaan", exact=True).click()
    expect(mine.locator(".messagelist")).to_contain_text("zijn opgeslagen")
    article.refresh_from_db()
    assert article.title == "Verkiezingen in Tunesië: opkomst laag"
    assert article.lead == "De eerste uitslagen zijn binnen."


def test_a_writer_cannot_unpublish_through_a_restore(page, writer):
    article = draft(title="Eerst een concept")
    revisions.record(article, writer)
    article.title = "Nu live"
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    revisions.record(article)
    own_draft = Revision.objects.filter(article_id=article.pk).last()

    log_in(page, writer)
    page.goto(f"/admin/news/article/{article.pk}/revisies/")
    expect(
        page.get_by_text("alleen een eindredacteur kan er een revisie van terugzetten")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Terugzetten")).to_have_count(0)
    # The address of the restore page, typed in: refused, and the article stays live.
    page.goto(f"/admin/news/article/{article.pk}/revisies/{own_draft.pk}/herstellen/")
    expect(page.locator(".messagelist")).to_contain_text("alleen een eindredacteur")
    article.refresh_from_db()
    assert article.is_published and article.title == "Nu live"


def test_a_writers_save_that_crosses_a_publication_keeps_her_text(new_page, writer, final_editor):
    article = draft(title="Stormschade in Tanger", body="De eerste berichten.")
    mine, theirs = new_page(), new_page()
    log_in(mine, writer)
    log_in(theirs, final_editor)
    mine.goto(f"/admin/news/article/{article.pk}/change/")

    # Meanwhile the final editor publishes it from the list.
    theirs.goto("/admin/news/article/")
    theirs.get_by_role("row").filter(has_text=article.title).get_by_role("checkbox").check()
    theirs.locator('select[name="action"]').select_option("publish_now")
    theirs.get_by_role("button", name=re.compile("Uitvoeren")).click()
    expect(theirs.locator(".messagelist")).to_contain_text("1 artikel gepubliceerd")

    body = mine.get_by_label("Tekst:", exact=True)
    body.fill("De eerste berichten. Een correctie van de schrijver.")
    mine.get_by_role("button", name="Opslaan", exact=True).click()
    expect(mine.get_by_text("Dit artikel is intussen gepubliceerd of ingepland")).to_be_visible()
    expect(mine.get_by_text("Alleen een eindredacteur kan het nu nog wijzigen.")).to_be_visible()
    expect(body).to_have_value("De eerste berichten. Een correctie van de schrijver.")
    article.refresh_from_db()
    assert article.body == "De eerste berichten." and article.is_published
