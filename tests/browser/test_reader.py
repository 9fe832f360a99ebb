"""A reader in Chromium: the front page, an article, its "Lees meer", a country, a feed, search."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_reader_goes_from_the_front_page_to_an_article_a_country_its_feed_and_search(page):
    tunnel = make_article(
        title="Spanje en Marokko praten weer over een tunnel",
        lead="Madrid en Rabat laten de plannen voor een spoortunnel opnieuw doorrekenen.",
        countries=["MA", "ES"],
        topics=["infrastructuur"],
    )
    bridge = make_article(
        title="Havenstad Tanger groeit hard",
        lead="De haven van Tanger Med verwerkt dit jaar meer containers dan ooit.",
        body="Aan de zeestraat worden drie nieuwe kades gebouwd.",
        countries=["MA"],
        topics=["economie"],
        pins=[tunnel],
    )

    page.goto("/")
    expect(page).to_have_title("Marokko & Wereld")
    expect(page.get_by_role("heading", name="Laatste nieuws")).to_be_visible()

    # The newest article leads the front page; its headline opens it.
    # The main column; the sidebar may list the same headline under its countries.
    page.locator(".front-news").get_by_role("link", name=bridge.title).click()
    expect(page).to_have_url(re.compile(rf"/artikel/{bridge.pk}-havenstad-tanger-groeit-hard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(bridge.title)
    expect(page.get_by_text("drie nieuwe kades")).to_be_visible()

    # "Lees meer" beside it: the pinned article's teaser leads to that article.
    lees_meer = page.get_by_role("complementary", name="Lees meer")
    expect(lees_meer).to_be_visible()
    lees_meer.get_by_role("link", name=re.compile("spoortunnel")).click()
    expect(page).to_have_url(re.compile(rf"/artikel/{tunnel.pk}-"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tunnel.title)

    # The article's country leads to the country page, with both articles.
    page.get_by_role("navigation", name="Landen en onderwerpen").get_by_role(
        "link", name="Marokko"
    ).click()
    expect(page).to_have_url(re.compile(r"/land/marokko/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Marokko")
    expect(page.get_by_text("2 artikelen")).to_be_visible()
    expect(page.get_by_role("link", name=tunnel.title)).to_be_visible()
    expect(page.get_by_role("link", name=bridge.title)).to_be_visible()

    # The page says how to follow Marokko, and the feed holds its articles.
    expect(page.get_by_text("Volg Marokko via")).to_be_visible()
    rss = page.locator(".feed-links").get_by_role("link", name="RSS")
    expect(rss).to_have_attribute("href", "/land/marokko/feed/")
    feed = page.request.get(rss.get_attribute("href"))
    assert feed.ok
    assert "<rss" in feed.text()
    assert f"<title>{tunnel.title}</title>" in feed.text()
    # Browsers and feed readers find it in the page's head too.
    expect(page.locator('head link[rel="alternate"][href="/land/marokko/feed/"]')).to_have_count(1)

    # Search from the header: a word from the body of one article.
    page.get_by_role("searchbox", name="Zoeken").fill("zeestraat")
    page.get_by_role("searchbox", name="Zoeken").press("Enter")
    expect(page).to_have_url(re.compile(r"/zoeken/\?q=zeestraat$"))
    expect(page.get_by_role("heading", name="1 resultaat voor “zeestraat”")).to_be_visible()
    results = page.get_by_role("region", name=re.compile("resultaat"))
    expect(results.get_by_role("link", name=bridge.title)).to_be_visible()
    expect(results.get_by_role("link", name=tunnel.title)).to_have_count(0)
