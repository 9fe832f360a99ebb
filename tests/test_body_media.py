"""Library images in an article's body: on the page, in the feeds, and kept up to date."""

import itertools
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from news.body import for_feed, referenced_image_ids, refresh_articles, render_body
from news.models import Article, Image

from .conftest import form_data, make_article
from .imagefiles import camera_jpeg

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM = "{http://www.w3.org/2005/Atom}"
_numbers = itertools.count(1)


def renditions_of(stem, widths=(640, 1280)):
    return [
        {
            "kind": "full",
            "format": fmt,
            "width": width,
            "height": width * 9 // 16,
            "name": f"{stem}-full-{width}.{ext}",
            "size": 1000,
        }
        for width in widths
        for fmt, ext in (("jpeg", "jpg"), ("webp", "webp"))
    ]


def make_image(ready=True, **kw):
    """Store a cleaned original and return its library Image, with renditions when `ready`."""
    n = next(_numbers)
    name = default_storage.save(f"afbeeldingen/2026/12/foto-{n}.jpg", ContentFile(camera_jpeg()))
    kw.setdefault("alt", f"Foto {n}")
    kw.setdefault("caption", f"Bijschrift {n}")
    kw.setdefault("credit", "Foto: ANP")
    return Image.objects.create(
        file=name,
        width=1000,
        height=1600,
        renditions=renditions_of(name.removesuffix(".jpg")) if ready else [],
        renditions_status="ready" if ready else "pending",
        **kw,
    )


def figures(html):
    return re.findall(r'<figure class="body-image[^"]*">.*?</figure>', html, re.S)


def test_the_syntax_names_images_on_lines_of_their_own():
    text = "[[afbeelding:3]]\n\nTekst [[afbeelding:4]] erin.\n  [[afbeelding:5|breed]]\n"
    text += "[[afbeelding:3]]"
    assert referenced_image_ids(text) == [3, 5]
    assert referenced_image_ids("[[afbeelding:x]]\n[[afbeelding:7|smal]]") == []
    # As a browser posts a textarea: every line ends in \r\n.
    assert referenced_image_ids("Tekst.\r\n\r\n[[afbeelding:8]]\r\n[[afbeelding:9]] \r\n") == [8, 9]


def test_a_body_image_is_a_figure_with_picture_srcset_sizes_and_caption(client):
    image = make_image(caption="Demonstranten in Rabat", credit="Foto: ANP")
    article = make_article(body=f"Eerste alinea.\n\n[[afbeelding:{image.pk}]]\n\nTweede alinea.")
    html = client.get(article.get_absolute_url()).content.decode()
    [figure] = figures(html)
    stem = image.file.url.removesuffix(".jpg")
    assert "<picture>" in figure
    assert f'<source type="image/webp" srcset="{stem}-full-640.webp 640w, ' in figure
    assert f'srcset="{stem}-full-640.jpg 640w, {stem}-full-1280.jpg 1280w"' in figure
    assert 'sizes="(min-width: 36rem) 34rem, calc(100vw - 2rem)"' in figure
    assert f'src="{stem}-full-1280.jpg"' in figure
    assert 'width="1280" height="720"' in figure
    assert 'loading="lazy"' in figure
    assert f'alt="{image.alt}"' in figure
    assert (
        '<figcaption>Demonstranten in Rabat <span class="credit">Foto: ANP</span></figcaption>'
        in figure
    )
    assert html.index("Eerste alinea.") < html.index(figure) < html.index("Tweede alinea.")
    assert list(article.body_images.all()) == [image]


def test_breed_takes_the_whole_column():
    image = make_image(caption="", credit="")
    html = render_body(f"[[afbeelding:{image.pk}|breed]]")
    assert html.startswith('<figure class="body-image body-image-wide"><picture>')
    assert 'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)"' in html
    assert "<figcaption>" not in html


def test_an_image_without_renditions_yet_is_shown_from_its_cleaned_original():
    image = make_image(ready=False)
    [figure] = figures(render_body(f"[[afbeelding:{image.pk}]]"))
    assert f'src="{image.file.url}"' in figure
    assert 'width="1000" height="1600"' in figure


def test_an_unknown_image_shows_nothing_and_is_not_linked(client):
    article = make_article(body="Tekst.\n\n[[afbeelding:999999]]\n\nMeer.")
    assert article.body_html.split() == ["<p>Tekst.</p>", "<p>Meer.</p>"]
    assert not article.body_images.exists()


def test_the_article_form_says_which_image_does_not_exist(client, writer):
    client.force_login(writer)
    body = "Tekst.\n\n[[afbeelding:999999]]\n\n[[afbeelding:999998|breed]]"
    response = client.post("/admin/news/article/add/", form_data(body=body, status="draft"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Afbeelding 999999 bestaat niet." in content
    assert "Afbeelding 999998 bestaat niet." in content
    assert not Article.objects.filter(title="Een nieuw stuk").exists()


def test_body_images_follow_the_references_on_every_save():
    first, second, unused = make_image(), make_image(), make_image()
    article = make_article(body=f"[[afbeelding:{first.pk}]]\n\n[[afbeelding:{second.pk}]]")
    assert set(article.body_images.all()) == {first, second}
    assert set(first.in_body_of.all()) == {article}
    article.body = f"Nu alleen:\n\n[[afbeelding:{second.pk}]]"
    article.save()
    assert list(article.body_images.all()) == [second]
    assert not unused.in_body_of.exists()
    assert len(figures(article.body_html)) == 1


def test_outside_images_stay_refused_beside_a_library_image():
    image = make_image()
    html = render_body(
        f'<img src="https://evil.example/x.png" onerror="alert(1)">\n\n[[afbeelding:{image.pk}]]'
        '\n\n![x](https://evil.example/y.png)\n\n<picture><source srcset="https://evil.example/z">'
    )
    assert "evil.example" not in html
    assert html.count("<img") == 1 and "onerror" not in html


def test_refresh_re_renders_and_touches_the_articles_using_the_image():
    image = make_image(ready=False)
    article = make_article(body=f"[[afbeelding:{image.pk}]]")
    lead_only = make_article(body="Tekst.", lead_image=image)
    other = make_article(body="Tekst.")
    before = {a.pk: (a.updated_at, a.version) for a in (article, lead_only, other)}
    assert "srcset" not in article.body_html
    # What the worker does when the renditions are made.
    Image.objects.filter(pk=image.pk).update(
        renditions=renditions_of(image.file.name.removesuffix(".jpg")), renditions_status="ready"
    )
    image.refresh_from_db()
    refresh_articles(image)
    for stale in (article, lead_only, other):
        stale.refresh_from_db()
    assert "-full-1280.jpg 1280w" in article.body_html
    assert article.updated_at > before[article.pk][0]
    assert lead_only.updated_at > before[lead_only.pk][0]
    assert other.updated_at == before[other.pk][0]
    # Not an edit: a form opened before is not refused as a conflict.
    assert article.version == before[article.pk][1]


def test_a_new_caption_reaches_the_articles_page(client):
    image = make_image(caption="Oud bijschrift")
    article = make_article(body=f"[[afbeelding:{image.pk}]]")
    assert "Oud bijschrift" in client.get(article.get_absolute_url()).content.decode()
    image.caption = "Nieuw bijschrift"
    image.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Nieuw bijschrift" in page and "Oud bijschrift" not in page


# --- Feeds ------------------------------------------------------------------------------


def image_urls(html):
    """Return every URL in the src and srcset attributes of `html`."""
    urls = re.findall(r'\bsrc="([^"]*)"', html)
    for srcset in re.findall(r'\bsrcset="([^"]*)"', html):
        urls += [entry.strip().split(" ")[0] for entry in srcset.split(",")]
    return urls


@pytest.fixture
def article_with_media():
    first, second = make_image(), make_image(ready=False)
    body = (
        f"Begin.\n\n[[afbeelding:{first.pk}]]\n\n[[afbeelding:{second.pk}|breed]]\n\n"
        "[Het debat](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\nEinde."
    )
    return make_article(title="Met beeld", body=body)


def test_rss_and_atom_carry_body_images_with_absolute_urls(client, article_with_media):
    rss = ET.fromstring(client.get("/feed/").content)
    [item] = [i for i in rss.iter("item") if i.findtext("title") == "Met beeld"]
    atom = ET.fromstring(client.get("/feed/atom/").content)
    [entry] = [e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Met beeld"]
    for content in (item.findtext(CONTENT), entry.findtext(f"{ATOM}content")):
        assert content.count('<figure class="body-image') == 2
        urls = image_urls(content)
        assert len(urls) >= 6
        assert all(url.startswith(f"{SITE}/media/afbeeldingen/") for url in urls), urls
        # The video: a plain link, nothing that loads or runs.
        assert "data-embed-src" not in content and "<iframe" not in content
        assert (
            '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Het debat (bekijk op YouTube)'
            in content
        )
    for url in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert feed.bozo == 0, feed.get("bozo_exception")
        [parsed] = [e for e in feed.entries if e.title == "Met beeld"]
        assert f'src="{SITE}/media/afbeeldingen/' in parsed.content[0].value


def test_json_feed_carries_body_images_with_absolute_urls(client, article_with_media):
    feed = json.loads(client.get("/feed/json/").content)
    [item] = [i for i in feed["items"] if i["title"] == "Met beeld"]
    urls = image_urls(item["content_html"])
    assert urls and all(url.startswith(f"{SITE}/media/") for url in urls)


def test_for_feed_leaves_absolute_and_outside_urls_alone():
    html = '<img src="https://cdn.test/a.jpg" srcset="//cdn.test/b.jpg 2x"><a href="/x">x</a>'
    assert for_feed(html, "https://nieuws.test/") == html


# --- The image chooser of the article form ----------------------------------------------

CHOOSER = "/admin/news/image/kiezen/"


def test_the_chooser_lists_and_searches_the_library_for_writers(client, writer):
    harbour = make_image(alt="Containerschepen in Tanger", caption="Tanger Med", credit="ANP")
    hall = make_image(alt="Een zaal", caption="Het parlement in Rabat", credit="Reuters")
    client.force_login(writer)
    page = client.get(CHOOSER).content.decode()
    for image in (harbour, hall):
        assert f'data-image-id="{image.pk}"' in page
        assert f"[[afbeelding:{image.pk}]]" in page
        assert image.file.url.removesuffix(".jpg") in page  # its thumbnail
    for query, found in [("tanger", harbour), ("PARLEMENT", hall), ("reuters rabat", hall)]:
        page = client.get(CHOOSER, {"q": query}).content.decode()
        other = hall if found is harbour else harbour
        assert f'data-image-id="{found.pk}"' in page
        assert f'data-image-id="{other.pk}"' not in page
    assert "Geen afbeeldingen gevonden" in client.get(CHOOSER, {"q": "zzz"}).content.decode()


def test_the_chooser_is_for_who_may_write_articles(client, django_user_model):
    make_image()
    response = client.get(CHOOSER)
    assert response.status_code == 302 and "/login/" in response["Location"]
    staff = django_user_model.objects.create_user("balie", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(CHOOSER).status_code == 403
