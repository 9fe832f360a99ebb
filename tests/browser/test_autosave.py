"""Autosave and the writing aid in Chromium: no word lost to a closed tab, a warning before
leaving unsaved changes, Ctrl+S, the Markdown toolbar and the word count."""

import re
import time

import pytest
from playwright.sync_api import expect

from news.models import Article, AutosavedDraft
from tests.browser.helpers import axe_violations, log_in
from tests.browser.test_accessibility import DJANGO_ADMIN
from tests.conftest import change_url, make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADD_URL = "/admin/news/article/add/"
OFFER = re.compile(r"Herstel niet-opgeslagen tekst van \d\d:\d\d")


@pytest.fixture
def delay(settings):
    """Set how long the form waits after the last key before it autosaves (ms)."""

    def set_delay(ms):
        settings.AUTOSAVE_DELAY_MS = ms

    set_delay(300)
    return set_delay


@pytest.fixture(autouse=True)
def quiet_at_the_end(new_page, browser):
    """After each test, stop autosaving and close the pages while the test database is
    still there: a page sends its last requests as it closes (the text once more, the
    presence beacon), which must not reach a server whose database is gone."""
    yield
    for context in browser.contexts:
        for page in context.pages:
            page.evaluate("document.getElementById('autosave')?.remove()")
            page.close()
    time.sleep(0.5)  # the requests under way land


def draft_article(**kw):
    kw.setdefault("title", "Onrust in de Rif")
    kw.setdefault("lead", "In Al Hoceima gingen opnieuw mensen de straat op.")
    kw.setdefault("body", "De betogers eisen werk.")
    return make_article(status=Article.Status.DRAFT, published_at=None, **kw)


def wait_for_draft(user, article, contains, timeout=10):
    """Return the autosaved draft once it holds `contains` (the browser sends it on its own)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        draft = AutosavedDraft.objects.filter(user=user, article=article).first()
        if draft and contains in draft.data.get("body", ""):
            return draft
        time.sleep(0.1)
    raise AssertionError(f"no autosaved draft with {contains!r}")


def close_tab(page):
    """Close the tab as an editor does, leaving despite the warning; wait until it is gone."""
    dialogs = []

    def leave(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    return dialogs


def test_a_new_article_typed_mid_sentence_comes_back_after_the_tab_closed(
    new_page, final_editor, delay
):
    delay(60_000)  # no pause long enough: only leaving the page keeps the text
    page = new_page()
    log_in(page, final_editor)
    page.goto(ADD_URL)
    page.get_by_label("Titel:", exact=True).fill("Droogte in de Souss")
    body = page.get_by_label("Tekst:", exact=True)
    body.click()
    body.press_sequentially("De boeren in de Souss wachten al maanden op re")
    assert close_tab(page) == ["beforeunload"]
    wait_for_draft(final_editor, None, "wachten al maanden op re")

    page = page.context.new_page()
    page.goto(ADD_URL)
    offer = page.get_by_role("region", name=OFFER)
    expect(offer).to_contain_text("Droogte in de Souss")
    offer.get_by_role("button", name="Herstellen").click()
    expect(page.get_by_label("Titel:", exact=True)).to_have_value("Droogte in de Souss")
    expect(page.get_by_label("Tekst:", exact=True)).to_have_value(
        "De boeren in de Souss wachten al maanden op re"
    )
    expect(
        page.get_by_role("status").filter(has_text="staat weer in het formulier")
    ).to_be_visible()
    # Restored is not saved: the article exists only once she saves it.
    assert not Article.objects.exists()
    page.get_by_label("Intro:", exact=True).fill("Geen regen sinds de herfst.")
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(page.locator(".messagelist")).to_contain_text("Toegevoegd")
    assert Article.objects.get().body == "De boeren in de Souss wachten al maanden op re"
    assert not AutosavedDraft.objects.exists()


def test_an_existing_article_keeps_every_word_after_the_tab_closed(new_page, writer, delay):
    article = draft_article()
    page = new_page()
    log_in(page, writer)
    page.goto(change_url(article))
    body = page.get_by_label("Tekst:", exact=True)
    body.click()
    body.press("End")
    body.press_sequentially(" Ze willen een ziekenhuis")
    # A pause: kept a moment later, and the form says so.
    expect(page.get_by_text(re.compile(r"automatisch bewaard om \d\d:\d\d"))).to_be_visible()
    wait_for_draft(writer, article, "een ziekenhuis")
    # Mid-sentence, no pause: the tab closes at once.
    body.press_sequentially(" en een universiteit in")
    close_tab(page)
    wait_for_draft(writer, article, "een universiteit in")
    article.refresh_from_db()
    assert article.body == "De betogers eisen werk."  # never the article itself

    page = page.context.new_page()
    page.goto(change_url(article))
    offer = page.get_by_role("region", name=OFFER)
    expect(offer.locator("ins")).to_contain_text("Ze willen een ziekenhuis en een universiteit in")
    offer.get_by_role("button", name="Herstellen").click()
    expect(page.get_by_label("Tekst:", exact=True)).to_have_value(
        "De betogers eisen werk. Ze willen een ziekenhuis en een universiteit in"
    )


def test_throwing_the_draft_away(new_page, writer, delay):
    article = draft_article()
    AutosavedDraft.objects.create(
        user=writer, article=article, data={"body": "Iets anders"}, saved_at=article.updated_at
    )
    page = new_page()
    log_in(page, writer)
    page.goto(change_url(article))
    page.get_by_role("button", name="Weggooien").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("is weggegooid"))
    expect(page.get_by_role("region", name=OFFER)).to_have_count(0)
    assert not AutosavedDraft.objects.exists()
    expect(page.get_by_label("Tekst:", exact=True)).to_have_value("De betogers eisen werk.")


def test_leaving_with_changes_asks_first_and_not_after_saving(new_page, final_editor, delay):
    article = draft_article()
    page = new_page()
    log_in(page, final_editor)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", stay)
    page.goto(change_url(article))
    # Nothing changed: leave without a question.
    page.get_by_role("link", name="Artikelen", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"/admin/news/article/$"))
    assert dialogs == []

    page.goto(change_url(article))
    page.get_by_label("Titel:", exact=True).fill("Onrust in de Rif houdt aan")
    page.get_by_role("link", name="Artikelen", exact=True).last.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"{change_url(article)}$"))
    expect(page.get_by_label("Titel:", exact=True)).to_have_value("Onrust in de Rif houdt aan")

    # Saving asks nothing, and leaving the saved form asks nothing either.
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(page.locator(".messagelist")).to_contain_text("zijn opgeslagen")
    page.get_by_role("link", name="Artikelen", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"/admin/news/article/$"))
    assert dialogs == ["beforeunload"]


def test_ctrl_s_saves_and_stays_on_the_form(new_page, final_editor, delay):
    article = draft_article()
    page = new_page()
    log_in(page, final_editor)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(change_url(article))
    body = page.get_by_label("Tekst:", exact=True)
    body.click()
    body.press("End")
    body.press_sequentially(" Ook de havens")
    body.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("zijn opgeslagen")
    expect(page).to_have_url(re.compile(rf"{change_url(article)}$"))
    article.refresh_from_db()
    assert article.body == "De betogers eisen werk. Ook de havens"
    assert dialogs == []
    assert not AutosavedDraft.objects.exists()


def test_the_toolbar_formats_the_selection_and_the_words_are_counted(new_page, writer, delay):
    article = draft_article(body="De betogers eisen werk.")
    page = new_page()
    log_in(page, writer)
    page.goto(change_url(article))
    body = page.get_by_label("Tekst:", exact=True)
    count = page.locator(".md-count")
    expect(count).to_have_text("4 woorden · 1 min lezen")
    toolbar = page.get_by_role("toolbar", name="Opmaak van de tekst")

    # "eisen" selected, then Vet.
    body.evaluate("(area) => { area.focus(); area.setSelectionRange(12, 17); }")
    toolbar.get_by_role("button", name="Vet").click()
    expect(body).to_have_value("De betogers **eisen** werk.")
    assert body.evaluate("(area) => area.value.slice(area.selectionStart, area.selectionEnd)") == (
        "eisen"
    )
    # By keyboard: one tab stop, the arrow keys along the buttons, Enter.
    body.evaluate("(area) => area.setSelectionRange(3, 11)")  # "betogers"
    toolbar.get_by_role("button", name="Vet").focus()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Cursief")).to_be_focused()
    page.keyboard.press("Enter")
    expect(body).to_have_value("De *betogers* **eisen** werk.")
    # A quote on the line.
    toolbar.get_by_role("button", name="Citaat").click()
    expect(body).to_have_value("> De *betogers* **eisen** werk.")

    body.fill(" ".join(["woord"] * 312))
    expect(count).to_have_text("312 woorden · 2 min lezen")
    body.fill("Eén")
    expect(count).to_have_text("1 woord · 1 min lezen")


def test_the_restore_offer_is_accessible(new_page, final_editor, delay, screenshot):
    article = draft_article()
    AutosavedDraft.objects.create(
        user=final_editor,
        article=article,
        data={"title": "Onrust in de Rif houdt aan", "body": "De betogers eisen werk en scholen."},
        saved_at=article.updated_at,
    )
    page = new_page(csp=False)
    log_in(page, final_editor)
    page.goto(change_url(article))
    expect(page.get_by_role("region", name=OFFER)).to_be_visible()
    expect(page.get_by_role("toolbar", name="Opmaak van de tekst")).to_be_visible()
    found = axe_violations(page, ignore=DJANGO_ADMIN)
    screenshot(page, "admin-autosave-herstellen")
    assert not found, "\n".join(found)
