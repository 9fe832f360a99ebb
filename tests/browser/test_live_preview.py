"""The article form's Live voorbeeld and its search and share previews, in Chromium."""

import time

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.browser.conftest import SCREENSHOT_DIR
from tests.browser.helpers import log_in
from tests.conftest import make_article
from tests.imagefiles import image_file
from tests.library import with_image

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def leave(page):
    """Leave the form while this test's database is still there: autosave and presence
    report when a form is left, and a report arriving during the next test's setup would
    write into that test's database."""
    page.goto("about:blank")
    page.wait_for_timeout(1000)


def open_form(page, article):
    page.goto(f"/admin/news/article/{article.pk}/change/")
    expect(page.get_by_role("heading", name="Live voorbeeld")).to_be_visible()


def test_the_preview_follows_the_editor_as_she_types(new_page, final_editor, screenshot):
    article = make_article(
        title="Bondarev bezoekt Marrakech",
        lead="De Russische luchtmachtchef spreekt met zijn Marokkaanse collega.",
        byline="Redactie",
        topics=["luchtmacht"],
        countries=["MA"],
    )
    with_image(
        image_file(size=(1600, 900)), article, image_kw={"alt": "Het vliegveld van Marrakech"}
    )
    page = new_page(width=1280, height=900)
    log_in(page, final_editor)
    open_form(page, article)
    frame = page.frame_locator("#live-preview iframe")
    expect(frame.locator("h1")).to_have_text(article.title)
    expect(frame.locator(".date-line")).to_contain_text(" - Marokko")
    expect(frame.locator(".byline")).to_have_text("Door Redactie")
    expect(frame.get_by_role("img", name="Het vliegveld van Marrakech")).to_be_visible()
    sandbox = page.locator("#live-preview iframe").get_attribute("sandbox")
    assert "allow-scripts" not in sandbox and "allow-forms" not in sandbox

    page.get_by_label("Titel:", exact=True).fill("Bondarev en Marokko sluiten een akkoord")
    page.get_by_label("Tekst:", exact=True).fill(
        "De twee legers gaan samen oefenen.\n\nHet akkoord is **historisch**, zegt Rabat."
    )
    expect(frame.locator("h1")).to_have_text(
        "Bondarev en Marokko sluiten een akkoord", timeout=5000
    )
    expect(frame.locator(".article-body strong")).to_have_text("historisch", timeout=5000)
    # Typed, not saved.
    assert Article.objects.get(pk=article.pk).title == "Bondarev bezoekt Marrakech"

    # The same, whole, in a new tab.
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Voorbeeld in nieuw tabblad").click()
    tab = opened.value
    expect(tab.locator("h1")).to_have_text("Bondarev en Marokko sluiten een akkoord")
    expect(tab.locator(".article-body strong")).to_have_text("historisch")
    tab.close()
    # Still the form, with the text typed.
    expect(page.get_by_label("Titel:", exact=True)).to_have_value(
        "Bondarev en Marokko sluiten een akkoord"
    )

    # The preview sits beside the form, and no box of the form runs under it.
    form_box = page.locator("#article_form > div").bounding_box()
    panel_box = page.locator("#live-preview").bounding_box()
    assert panel_box["x"] >= form_box["x"] + form_box["width"]
    under_the_panel = page.evaluate(
        """(left) => [...document.querySelectorAll(
            "#article_form > div :is(input, textarea, select, button, label, img)")]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > left)
            .map((e) => e.name || e.id || e.tagName)""",
        panel_box["x"],
    )
    assert under_the_panel == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "artikelformulier-1280")
    leave(page)


def test_seo_counters_and_previews_follow_the_fields(new_page, final_editor):
    article = make_article(title="Een kop van precies dertig tek", lead="Korte intro.")
    page = new_page(width=1280, height=900)
    log_in(page, final_editor)
    open_form(page, article)
    seo_title = page.get_by_label("Titel voor zoekmachines:")
    seo_description = page.get_by_label("Beschrijving voor zoekmachines:")
    title_counter = page.locator("#id_seo_title_counter")
    search_title = page.locator(".search-result-title")
    expect(title_counter).to_have_text("Leeg: de titel wordt gebruikt, 30/60 tekens")
    expect(seo_title).to_have_attribute("placeholder", article.title)
    expect(seo_description).to_have_attribute("placeholder", "Korte intro.")
    expect(search_title).to_have_text(f"{article.title} - Marokko & Wereld")

    seo_title.fill("Marokko en Rusland: wat het akkoord betekent")
    expect(title_counter).to_have_text("44/60 tekens")
    expect(title_counter).not_to_have_class("help seo-counter seo-counter-over")
    expect(search_title).to_have_text("Marokko en Rusland: wat het akkoord betekent - Marokko &...")
    expect(page.locator(".share-card-title")).to_have_text(
        "Marokko en Rusland: wat het akkoord betekent"
    )
    seo_title.fill("Marokko en Rusland sluiten een militair akkoord: wat het betekent")
    expect(title_counter).to_contain_text("65/60 tekens")
    expect(title_counter).to_have_class("help seo-counter seo-counter-over")

    seo_description.fill("Wat het akkoord tussen Rabat en Moskou voor de regio betekent.")
    expect(page.locator(".search-result-description")).to_have_text(
        "Wat het akkoord tussen Rabat en Moskou voor de regio betekent."
    )
    expect(page.locator(".share-card-description")).to_have_text(
        "Wat het akkoord tussen Rabat en Moskou voor de regio betekent."
    )
    # The title's default follows the title as it is typed.
    seo_title.fill("")
    page.get_by_label("Titel:", exact=True).fill("Een andere kop")
    expect(seo_title).to_have_attribute("placeholder", "Een andere kop")
    expect(page.locator(".share-card-title")).to_have_text("Een andere kop")
    # And the live preview's <title> uses the SEO title.
    seo_title.fill("Zoekkop")
    frame = page.frame_locator("#live-preview iframe")
    expect(frame.locator("h1")).to_have_text("Een andere kop", timeout=5000)
    deadline = time.monotonic() + 5
    while frame.locator("title").text_content() != "Zoekkop - Marokko & Wereld":
        assert time.monotonic() < deadline, frame.locator("title").text_content()
        time.sleep(0.1)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.locator("fieldset.seo-fields").screenshot(
        path=SCREENSHOT_DIR / "zoekmachines-en-delen.png"
    )
    leave(page)


def test_on_a_phone_the_preview_opens_below_its_button(new_page, final_editor, screenshot):
    article = make_article(title="Een kop voor de telefoon", byline="Redactie")
    page = new_page(width=375, height=800)
    log_in(page, final_editor)
    open_form(page, article)
    iframe = page.locator("#live-preview iframe")
    expect(iframe).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "artikelformulier-375")
    toggle = page.get_by_role("button", name="Voorbeeld tonen")
    toggle.click()
    expect(iframe).to_be_visible()
    expect(page.locator("[data-live-preview-toggle]")).to_have_attribute("aria-expanded", "true")
    expect(page.frame_locator("#live-preview iframe").locator("h1")).to_have_text(article.title)
    page.get_by_label("Titel:", exact=True).fill("Getypt op de telefoon")
    expect(page.frame_locator("#live-preview iframe").locator("h1")).to_have_text(
        "Getypt op de telefoon", timeout=5000
    )
    leave(page)
