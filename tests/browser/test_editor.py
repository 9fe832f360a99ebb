"""A final editor in Chromium: write an article with countries, topics and an image,
preview it, publish it, and find it on the front page and beside a related article."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from news.models import Article
from tests.browser.helpers import log_in
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Marokko test een nieuw luchtafweersysteem"
LEAD = "Bij Kenitra schoot de luchtmacht voor het eerst met het nieuwe systeem op doelen boven zee."
ALT = "Een raket stijgt op boven een kustvlakte"


def choose_country(page, name):
    """Filter the "Landen" picker (Django's FilteredSelectMultiple) and move one across."""
    search = page.locator("#id_countries_input")
    search.fill("")
    search.press_sequentially(name)  # the picker filters on keyup
    available = page.locator("#id_countries_from")
    expect(available.get_by_role("option", name="Afghanistan")).to_have_count(0)  # filtered
    available.select_option(label=name)
    page.locator("#id_countries_add").click()
    expect(
        page.locator("#id_countries_to").get_by_role("option", name=name, exact=True)
    ).to_be_attached()


def test_an_editor_writes_previews_and_publishes_an_article(new_page, final_editor, tmp_path):
    related = make_article(
        title="Marokko koopt Amerikaanse raketten",
        lead="Rabat bestelt voor een miljard dollar aan luchtverdediging.",
        countries=["MA", "US"],
        topics=["defensie"],
    )
    photo = tmp_path / "kenitra.jpg"
    Image.new("RGB", (1600, 900), (40, 90, 160)).save(photo, "JPEG", quality=85)

    editor = new_page()
    log_in(editor, final_editor)
    editor.get_by_role("link", name="Artikelen").first.click()
    editor.get_by_role("link", name="Artikel toevoegen").click()
    expect(editor.get_by_role("heading", name="Nieuw: artikel")).to_be_visible()

    editor.get_by_label("Titel:", exact=True).fill(TITLE)
    editor.get_by_label("Intro:", exact=True).fill(LEAD)
    editor.get_by_label("Tekst:", exact=True).fill(
        "De proef duurde twee dagen.\n\nHet leger spreekt van een **succes**."
    )
    editor.locator("#id_image").set_input_files(photo)
    editor.get_by_label("Alt-tekst bij de upload:", exact=True).fill(ALT)
    editor.get_by_label("Bijschrift bij de upload:", exact=True).fill("De lancering bij Kenitra.")
    choose_country(editor, "Marokko")
    choose_country(editor, "Verenigde Staten")
    editor.locator("#id_topics").fill("defensie, luchtmacht")
    # First as a draft, kept open for editing.
    expect(editor.locator("#id_status")).to_have_value("draft")
    editor.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(editor.locator(".messagelist")).to_contain_text(f"Toegevoegd: artikel “{TITLE}”")
    article = Article.objects.get(title=TITLE)
    expect(editor).to_have_url(re.compile(rf"/admin/news/article/{article.pk}/change/$"))
    # The upload is in the library now, chosen as the lead image.
    expect(editor.get_by_role("link", name="Bewerken in de mediabibliotheek")).to_be_visible()
    assert article.lead_image.alt == ALT

    # Not yet for readers.
    reader = new_page()
    reader.goto("/")
    # The main column; the sidebar may list the same headline under its countries.
    front_news = reader.locator(".front-news")
    expect(front_news.get_by_role("link", name=related.title)).to_be_visible()
    expect(reader.get_by_text(TITLE)).to_have_count(0)

    # Voorbeeld opens the article as readers will see it, in a new tab.
    with editor.context.expect_page() as opened:
        editor.get_by_role("link", name="Voorbeeld").click()
    preview = opened.value
    expect(preview).to_have_url(re.compile(rf"/voorbeeld/{article.pk}/$"))
    expect(preview.get_by_role("status")).to_have_text(
        "Voorbeeld voor de redactie: lezers zien dit artikel nog niet."
    )
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview.get_by_role("img", name=ALT)).to_be_visible()
    expect(preview.get_by_text("De lancering bij Kenitra.")).to_be_visible()
    tags = preview.get_by_role("navigation", name="Landen en onderwerpen")
    expect(tags).to_contain_text("Landen: Marokko, Verenigde Staten")
    expect(tags).to_contain_text("Onderwerpen: defensie, luchtmacht")
    preview.close()

    # Publish: status "Gepubliceerd", no date (now).
    editor.get_by_label("Status:", exact=True).select_option(label="Gepubliceerd")
    editor.get_by_role("button", name="Opslaan", exact=True).click()
    expect(editor).to_have_url(re.compile(r"/admin/news/article/$"))
    expect(editor.locator(".messagelist")).to_contain_text(f"artikel “{TITLE}” zijn opgeslagen")
    row = editor.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Gepubliceerd")

    # A reader finds it leading the front page, and beside the related article. This
    # reader's browser may keep the page it saw for a minute (max-age=60); a reload asks
    # the server, whose cached copy the publication has made stale at once.
    reader.goto("/")
    reader.reload()
    top_story = reader.locator(".top-story")
    expect(top_story.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(top_story).to_contain_text(LEAD)
    front_news.get_by_role("link", name=related.title).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(related.title)
    lees_meer = reader.get_by_role("complementary", name="Lees meer")
    lees_meer.get_by_role("link", name=re.compile("Bij Kenitra schoot de luchtmacht")).click()
    expect(reader).to_have_url(re.compile(rf"/artikel/{article.pk}-marokko-test-een-nieuw-"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_role("img", name=ALT)).to_be_visible()
    expect(reader.get_by_text("Voorbeeld voor de redactie")).to_have_count(0)
