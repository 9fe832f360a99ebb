"""A writer (group "Redacteur") in Chromium: no way to publish, and no edit lost to a colleague."""

import re

import pytest
from playwright.sync_api import expect

from news.models import Article
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
    expect(page.get_by_role("heading", name="artikel weergeven")).to_be_visible()
    expect(page.locator(".field-title .readonly")).to_have_text(live.title)
    expect(page.get_by_role("button", name=re.compile("Opslaan"))).to_have_count(0)


def test_two_editors_on_one_article_lose_no_edit(new_page, writer, final_editor):
    final_editor.first_name = "Fatima"
    final_editor.save()
    article = draft(title="Verkiezingen in Tunesië", lead="De eerste uitslagen.")

    mine, theirs = new_page(), new_page()  # two browsers, each with its own login
    log_in(mine, writer)
    log_in(theirs, final_editor)
    url = f"/admin/news/article/{article.pk}/change/"
    mine.goto(url)
    theirs.goto(url)

    # The colleague saves first.
    theirs.get_by_label("Intro:", exact=True).fill("De eerste uitslagen zijn binnen.")
    theirs.get_by_role("button", name="Opslaan", exact=True).click()
    expect(theirs.locator(".messagelist")).to_contain_text("is met succes gewijzigd")

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

    # Saving again is a conscious overwrite, and goes through.
    mine.get_by_role("button", name="Opslaan", exact=True).click()
    expect(mine.locator(".messagelist")).to_contain_text("is met succes gewijzigd")
    article.refresh_from_db()
    assert article.title == "Verkiezingen in Tunesië: opkomst laag"
