"""axe-core in Chromium: no serious or critical violations on the pages readers and editors use."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from news.demo.data import ARTICLES
from news.models import Article
from tests.browser.helpers import axe_violations, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What Django's admin draws itself, and we cannot change short of copying its templates
# or scripts: one rule, for those elements only.
DJANGO_ADMIN = [
    # SelectFilter2.js (the "Landen" picker) puts aria-label on a plain <span> icon beside
    # the filter boxes; the boxes themselves are labelled.
    ("aria-prohibited-attr", ".selector .help-tooltip"),
    # The select2 box of an autocomplete field ("Plaats (land)") names itself after its
    # current value: while empty, it has no name. Its <label> is Django's, for the
    # hidden <select>.
    ("aria-input-field-name", ".select2-container .select2-selection"),
]


@pytest.fixture
def demo():
    """The demo content: the real article with its image, and ten more."""
    call_command("load_demo", verbosity=0)
    return Article.objects.get(title=ARTICLES[0]["title"])


def test_reader_pages(new_page, demo):
    page = new_page(csp=False)
    pages = {
        "voorpagina": "/",
        "artikel": demo.get_absolute_url(),
        "landenpagina": "/land/marokko/",
        "zoekresultaten": "/zoeken/?q=Marokko",
    }
    found = []
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("main h1, main h2").first).to_be_visible()
        found += [f"{name} ({url}): {violation}" for violation in axe_violations(page)]
    expect(page.get_by_role("heading", name="resultaten voor “Marokko”")).to_be_visible()
    assert not found, "\n".join(found)


def test_admin_article_form(new_page, demo, final_editor):
    page = new_page(csp=False)
    log_in(page, final_editor)
    found = []
    # The demo article, with its image, countries, topics and ten pinned articles.
    page.goto(f"/admin/news/article/{demo.pk}/change/")
    expect(page.get_by_role("link", name="Voorbeeld")).to_be_visible()
    expect(page.get_by_role("link", name="Bewerken in de mediabibliotheek")).to_be_visible()
    found += [f"wijzigen: {v}" for v in axe_violations(page, ignore=DJANGO_ADMIN)]
    page.goto("/admin/news/article/add/")
    expect(page.get_by_role("heading", name="Nieuw: artikel")).to_be_visible()
    found += [f"toevoegen: {v}" for v in axe_violations(page, ignore=DJANGO_ADMIN)]
    assert not found, "\n".join(found)
