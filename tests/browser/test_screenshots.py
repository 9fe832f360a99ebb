"""Screenshots of the front page, an article and the Volgen page, on a phone (375 px) and a
laptop (1280 px), for a person to look at: see the test run's summary for where they are."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from news.demo.data import ARTICLES
from news.models import Article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (375, 1280)


def test_front_page_article_and_follow_page_at_phone_and_laptop_width(new_page, screenshot):
    call_command("load_demo", verbosity=0)
    article = Article.objects.get(title=ARTICLES[0]["title"])
    for width in WIDTHS:
        page = new_page(width=width, height=800)

        page.goto("/")
        expect(page.get_by_role("heading", name="Laatste nieuws")).to_be_visible()
        lead = page.locator(".top-story img")
        expect(lead).to_be_visible()
        assert lead.evaluate("(img) => img.naturalWidth") > 0, "the lead story's image did not load"
        expect(page.get_by_role("heading", name="Nieuws per land")).to_be_visible()
        assert_fits(page, width)
        path = screenshot(page, f"voorpagina-{width}")
        assert path.stat().st_size > 10_000

        page.goto(article.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
        image = page.get_by_role("img", name=article.lead_image.alt)
        expect(image).to_be_visible()
        assert image.evaluate("(img) => img.naturalWidth") > 0, "the lead image did not load"
        lees_meer = page.get_by_role("complementary", name="Lees meer")
        expect(lees_meer).to_be_visible()
        # The teasers look like the links they are: the site's link colour, underlined.
        teaser = lees_meer.get_by_role("link").first
        assert teaser.evaluate("(a) => getComputedStyle(a).color") == "rgb(164, 22, 26)"
        assert "underline" in teaser.evaluate("(a) => getComputedStyle(a).textDecorationLine")
        byline = page.locator("article header .byline")
        expect(byline).to_have_text("Door Redactie · Bron: ChoufTv")
        assert_fits(page, width)
        path = screenshot(page, f"artikel-{width}")
        assert path.stat().st_size > 10_000

        page.goto("/volgen/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Volgen")
        expect(page.get_by_role("link", name="RSS").first).to_be_visible()
        assert_fits(page, width)
        path = screenshot(page, f"volgen-{width}")
        assert path.stat().st_size > 10_000


def assert_fits(page, width):
    """Nothing sticks out sideways: the reader never scrolls horizontally."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
