"""An editor in Chromium builds an article with media: uploads into the library, clicks a
focal point, chooses that image as lead image, puts two library images and a video in the
text; readers see all of it on the page and in the feeds."""

import re

import feedparser
import pytest
from playwright.sync_api import expect

from news.models import Article, Image
from news.tasks import make_renditions_now
from tests.browser.helpers import log_in
from tests.browser.test_embeds import VIDEO, record_requests
from tests.imagefiles import image_file
from tests.library import library_image

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALT = "Een minaret boven de medina van Marrakech"


def insert_library_image(page, search, alt):
    """Put a library image in the text with the toolbar's "Afbeelding" dialog."""
    page.get_by_role("toolbar", name="Opmaak van de tekst").get_by_role(
        "button", name="Afbeelding"
    ).click()
    dialog = page.get_by_role("dialog", name="Afbeelding kiezen")
    dialog.get_by_label("Zoek op beschrijving, bijschrift of maker").fill(search)
    dialog.get_by_role("button", name="Zoek").click()
    expect(dialog.locator("button[data-image-id]")).to_have_count(1)
    dialog.get_by_role("button", name=alt).click()
    expect(dialog).to_have_count(0)


def test_an_editor_builds_an_article_with_library_images_and_a_video(page, site, final_editor):
    harbour = library_image(alt="Containerschepen in Tanger", caption="De haven van Tanger Med")
    square = library_image(
        image_file(size=(1200, 900)),
        alt="Het Jamaa el Fna-plein",
        caption="Het plein bij avond",
        credit="Foto: Redactie",
    )
    log_in(page, final_editor)

    # Into the library.
    page.goto("/admin/news/image/add/")
    page.locator("input[name='file']").set_input_files(
        {"name": "minaret.jpg", "mimeType": "image/jpeg", "buffer": image_file(size=(1600, 1000))}
    )
    page.get_by_label("Alt-tekst:").fill(ALT)
    page.get_by_label("Bijschrift:").fill("De Koutoubia-moskee.")
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(page.locator(".focal-point-image")).to_be_visible()
    image = Image.objects.get(alt=ALT)
    assert image.uploaded_by == final_editor and image.alt == ALT

    # The focal point: a click a quarter from the left, three quarters down.
    picture = page.locator(".focal-point-image")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator(".focal-point-marker")).to_be_visible()
    expect(page.locator(".focal-point-value")).to_contain_text("25% van links")
    focal_x = float(page.locator("input[name='focal_x']").input_value())
    focal_y = float(page.locator("input[name='focal_y']").input_value())
    assert abs(focal_x - 0.25) < 0.03 and abs(focal_y - 0.75) < 0.03
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("opgeslagen")
    image.refresh_from_db()
    assert abs(image.focal_x - 0.25) < 0.03 and abs(image.focal_y - 0.75) < 0.03
    assert make_renditions_now(image) == "ready"  # the worker's job, done here

    # The article, with the image chosen from the library.
    page.goto("/admin/news/article/add/")
    page.get_by_label("Titel:", exact=True).fill("De Koutoubia wordt gerestaureerd")
    page.get_by_label("Intro:", exact=True).fill("De minaret staat in de steigers.")
    page.locator(".field-lead_image .select2-selection").click()
    page.locator(".select2-search__field").fill("Koutoubia")
    page.locator(".select2-results__option", has_text="Koutoubia").click()
    # Two library images and a video in the text.
    body = page.locator("textarea#id_body")
    body.fill("De restauratie duurt twee jaar.")
    insert_library_image(page, "tanger", harbour.alt)
    body.press("End")
    body.type("\n\nOok het plein krijgt aandacht.")
    insert_library_image(page, "avond", square.alt)
    body.press("End")
    body.type(f"\n\nhttps://www.youtube.com/watch?v={VIDEO}\n")
    page.get_by_label("Onderwerpen:").fill("erfgoed")
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Toegevoegd")
    article = Article.objects.get()
    assert article.lead_image == image
    assert f"[[afbeelding:{harbour.pk}]]" in article.body
    assert f"[[afbeelding:{square.pk}]]" in article.body
    assert set(article.body_images.all()) == {harbour, square}

    # The reader's page: nothing from YouTube before a click.
    outside = record_requests(page, site)
    page.goto(article.get_absolute_url())
    shown = page.get_by_role("img", name=ALT)
    expect(shown).to_be_visible()
    assert shown.evaluate("(img) => img.naturalWidth") > 0
    assert re.search(r"/1280\.jpg|/960\.jpg", shown.get_attribute("src"))
    expect(page.locator(".lead-image figcaption")).to_contain_text("De Koutoubia-moskee.")
    figures = page.locator(".article-body figure:has(picture)")
    expect(figures).to_have_count(2)
    expect(figures.nth(0).locator("img")).to_have_attribute("alt", harbour.alt)
    expect(figures.nth(0)).to_contain_text("De haven van Tanger Med")
    expect(figures.nth(1)).to_contain_text("Het plein bij avond")
    expect(figures.nth(1)).to_contain_text("Foto: Redactie")
    for index in range(2):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        img = figure.locator("img")
        assert img.get_attribute("srcset") and img.get_attribute("width")
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("(img) => img.naturalWidth") > 0
    expect(page.get_by_role("link", name=re.compile("Bekijk op YouTube"))).to_be_visible()
    assert outside == []

    # The feeds: the lead image, both body images with absolute URLs, the video as a link.
    for path in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(page.request.get(site + path).body())
        entry = feed.entries[0]
        assert entry.title == "De Koutoubia wordt gerestaureerd"
        content = entry.content[0].value
        for shown in (image, harbour, square):
            assert f'alt="{shown.alt}"' in content, (path, shown.alt)
        srcs = re.findall(r'<img[^>]* src="([^"]+)"', content)
        assert len(srcs) == 3 and all(src.startswith(site + "/media/") for src in srcs)
        assert f"https://www.youtube.com/watch?v={VIDEO}" in content
        assert "<iframe" not in content
    json_feed = page.request.get(site + "/feed/json/").json()
    assert json_feed["items"][0]["content_html"].count(site + "/media/") >= 3
