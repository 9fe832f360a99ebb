"""A reader on the Volgen page in Chromium: copies a feed's address, by mouse and by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_reader_copies_the_address_of_a_feed(page, site):
    make_article(countries=["MA"], topics=["defensie"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Volgen").click()
    expect(page).to_have_url(re.compile(r"/volgen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Volgen")
    expect(page.get_by_role("heading", name="Wat is een feed?")).to_be_visible()

    countries = page.get_by_role("region", name="Landen")
    expect(countries.get_by_role("link", name="RSS van Marokko")).to_have_attribute(
        "href", "/land/marokko/feed/"
    )
    button = countries.get_by_role("button", name="Kopieer het adres van de RSS-feed van Marokko")
    expect(button).to_have_text("Kopieer het adres van de RSS-feed van Marokko")
    # Found by its place from here on: its name changes.
    button = countries.get_by_role("listitem").filter(has_text="Marokko").get_by_role("button")
    button.click()
    expect(button).to_have_accessible_name("Gekopieerd het adres van de RSS-feed van Marokko")
    expect(button.locator(".copy-label")).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}/land/marokko/feed/"
    expect(page.get_by_role("status")).to_have_text(
        "Het adres van de feed van Marokko is gekopieerd."
    )

    # By keyboard: the button takes the focus, shows it, and copies with Enter.
    topic_button = page.get_by_role("region", name="Onderwerpen").get_by_role("button")
    topic_button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(topic_button).to_be_focused()
    assert topic_button.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(topic_button.locator(".copy-label")).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}/onderwerp/defensie/feed/"


def test_the_volgen_page_passes_axe(new_page):
    make_article(countries=["MA", "ES"], topics=["defensie", "Économie"])
    page = new_page(csp=False)  # axe-core sets inline styles while it measures
    page.goto("/volgen/")
    expect(page.get_by_role("button").first).to_be_visible()
    assert axe_violations(page) == []
