"""Embeds and body images in Chromium: nothing from the video site before the click, the
player after it; the editor's "Afbeelding" button puts a library image in the text."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.conftest import make_article
from tests.library import library_image

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIDEO = "dQw4w9WgXcQ"
PLAYER = f"https://www.youtube-nocookie.com/embed/{VIDEO}"
STUB = "<!doctype html><title>Speler</title><p>Stand-in voor de speler</p>"


def record_requests(page, site):
    """Return the list of requests the page makes to any host but the live server."""
    own = urlsplit(site).netloc
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if urlsplit(request.url).netloc != own else None
        ),
    )
    # Nothing leaves this machine: the player is a local stand-in, anything else refused.
    page.route(
        re.compile(r"^https://www\.youtube-nocookie\.com/embed/"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=STUB),
    )
    page.route(
        lambda url: urlsplit(url).netloc not in (own, "www.youtube-nocookie.com"),
        lambda route: route.abort(),
    )
    return outside


def test_the_video_loads_nothing_from_youtube_until_the_reader_clicks(new_page, site, screenshot):
    page = new_page(width=390, height=844)  # a phone first
    image = library_image(caption="De Kamer in debat")
    article = make_article(
        title="Het debat over de begroting",
        body=(
            "Het debat begon om tien uur.\n\n"
            f"[[afbeelding:{image.pk}]]\n\n"
            f"[Het debat terugkijken](https://www.youtube.com/watch?v={VIDEO})\n\n"
            "https://x.com/NOS/status/1234567890123\n\n"
            "Daarna stemde de Kamer."
        ),
    )
    outside = record_requests(page, site)
    page.goto(article.get_absolute_url())
    figure = page.locator("figure.embed-youtube")
    expect(figure.get_by_text("Het debat terugkijken")).to_be_visible()
    button = figure.get_by_role("link", name=re.compile("Bekijk op YouTube"))
    expect(button).to_be_visible()
    expect(page.locator(".body-image figcaption")).to_contain_text("De Kamer in debat")
    expect(page.locator(".embed-x").get_by_role("link")).to_have_attribute(
        "href", "https://x.com/NOS/status/1234567890123"
    )
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert outside == [], "requests to other sites before the click"
    assert page.locator("iframe").count() == 0
    screenshot(page, "embed-placeholder-phone")

    button.click()
    frame = figure.locator("iframe")
    expect(frame).to_have_attribute("src", re.compile(rf"^{re.escape(PLAYER)}\?autoplay=1"))
    expect(frame).to_have_attribute("title", "Het debat terugkijken")
    expect(frame).to_have_attribute("allowfullscreen", "")
    expect(frame).to_have_attribute("sandbox", re.compile("allow-scripts"))
    expect(
        page.frame_locator("figure.embed-youtube iframe").get_by_text("Stand-in")
    ).to_be_visible()
    assert page.url.endswith(article.get_absolute_url())  # the reader stayed on the page
    assert outside and all(url.startswith(PLAYER) for url in outside), outside


def test_without_javascript_the_placeholder_is_a_plain_link(browser, site):
    article = make_article(body=f"https://youtu.be/{VIDEO}")
    context = browser.new_context(base_url=site, java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            re.compile(r"^https://www\.youtube\.com/watch"),
            lambda route: route.fulfill(status=200, content_type="text/html", body=STUB),
        )
        page.goto(article.get_absolute_url())
        page.get_by_role("link", name=re.compile("Bekijk op YouTube")).click()
        expect(page).to_have_url(f"https://www.youtube.com/watch?v={VIDEO}")
    finally:
        context.set_offline(True)
        context.close()


def test_the_editor_puts_a_library_image_in_the_text_with_the_toolbar(page, writer):
    harbour = library_image(alt="Containerschepen in de haven van Tanger", caption="Tanger Med")
    library_image(alt="Een vergaderzaal in Rabat", caption="Het parlement")
    log_in(page, writer)
    page.goto("/admin/news/article/add/")
    body = page.locator("textarea#id_body")
    body.fill("Eerste alinea.")
    expect(page.get_by_text("Plak een YouTube- of Vimeo-link", exact=False)).to_be_visible()
    page.get_by_role("toolbar", name="Opmaak van de tekst").get_by_role(
        "button", name="Afbeelding"
    ).click()
    dialog = page.get_by_role("dialog", name="Afbeelding kiezen")
    expect(dialog.get_by_role("button", name=harbour.alt)).to_be_visible()
    expect(dialog.locator("button[data-image-id] img")).to_have_count(2)
    dialog.get_by_label("Zoek op beschrijving, bijschrift of maker").fill("tanger")
    dialog.get_by_role("button", name="Zoek").click()
    expect(dialog.locator("button[data-image-id]")).to_have_count(1)
    dialog.get_by_role("button", name=harbour.alt).click()
    expect(dialog).to_have_count(0)
    expect(body).to_have_value(f"Eerste alinea.\n\n[[afbeelding:{harbour.pk}]]")
    expect(body).to_be_focused()
