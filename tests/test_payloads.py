"""Everything editors type is safe for readers: payloads in every field, checked everywhere.

Each payload goes into every field an editor fills in (title, lead, body, byline, source,
a topic's name, the image's alt text, caption and credit), then every place that shows
them is read back: reader pages, search, archive, feeds, JSON-LD, sitemaps and the admin.
A place passes when no payload added markup to it: no unknown script, no event handler,
no javascript: URL, no frame or plug-in, and no payload with a "<" in the raw text.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from news import revisions, seo
from news.feedgenerators import xml_safe
from news.models import Article, Topic
from news.models import Image as LibraryImage

from .conftest import make_article

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert('xss')>",
    "<svg onload=alert('xss')>",
    "<svg><script>alert('xss')</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')>",
    "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "<a href=\"javascript:alert('xss')\">klik xss</a>",
    "<a href=\"jAvAsCrIpT&colon;alert('xss')\">klik xss</a>",
    "[klik xss](javascript:alert('xss'))",
    "![xss](javascript:alert('xss'))",
    "<details open ontoggle=alert('xss')>",
    "<body onload=alert('xss')>",
    "<x onclick=alert('xss')>xss</x>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xss</object>',
    "<embed src=\"javascript:alert('xss')\">",
    "<form action=\"javascript:alert('xss')\"><button>xss</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss\')">',
    '<base href="//evil.example/xss/">',
    "<link rel=stylesheet href=//evil.example/xss.css>",
    "<style>@import '//evil.example/xss.css';</style>",
    '" onmouseover="alert(\'xss\')" x="',
    "' onfocus='alert(1)' autofocus x='xss",
    "\"><script>alert('xss')</script>",
    "'><img src=x onerror=alert('xss')>",
    "</script><script>alert('xss')</script>",
    "</title><script>alert('xss')</script>",
    "</textarea><script>alert('xss')</script>",
    "</option></datalist><script>alert('xss')</script>",
    "]]><script>alert('xss')</script><![CDATA[",
    "--><script>alert('xss')</script><!--",
    "&lt;script&gt;alert('xss')&lt;/script&gt;",
    "{{ xss }}{% debug %}\u2028\u2029</script>",
    "xss\x0b\x1b\ufffe control characters",
    # Names in other scripts and cases (topics get ASCII slugs), line breaks, bidi overrides.
    "défense-xq ملف-xq İ-xq",
    "regel\r\nbreuk \u202eomgekeerd\u202c \u2066geïsoleerd\u2069",
    "![![![![![![ [[[[ ](( xss",
]

# Every field an editor types into, with its column's length.
TEXT_FIELDS = {"title": 200, "lead": 600, "body": 2000, "byline": 200, "source": 200}
# The lead image's texts (a library image), read with text_of(article, "image_alt").
IMAGE_FIELDS = {"image_alt": 250, "image_caption": 300, "image_credit": 200}


def groups(length=200):
    """Pack the payloads into groups that fit the shortest field: each group fills one article."""
    packed = [[]]
    for payload in PAYLOADS:
        if len(" ".join([*packed[-1], payload])) > length:
            packed.append([])
        packed[-1].append(payload)
    return packed


def text_of(article, field):
    """Return an article's field, or for "image_alt" and so on its lead image's text."""
    if field in IMAGE_FIELDS:
        return getattr(article.lead_image, field.removeprefix("image_"))
    return getattr(article, field)


def small_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def planted(django_user_model):
    """Articles whose every field holds payloads; each payload is also a topic's name."""
    articles = []
    for group in groups():
        article = make_article(countries=["MA"], topics=group)
        revisions.record(article)  # a harmless revision, so the admin shows a diff
        value = " ".join(group)
        for field, length in {**TEXT_FIELDS, **IMAGE_FIELDS}.items():
            assert len(value) <= length, (field, value)
        for field in TEXT_FIELDS:
            setattr(article, field, value)
        texts = {field.removeprefix("image_"): value for field in IMAGE_FIELDS}
        article.lead_image = LibraryImage.objects.create(file=small_jpeg(), **texts)
        article.save()
        revisions.record(article)
        articles.append(Article.objects.get(pk=article.pk))
    superuser = django_user_model.objects.create_superuser("baas", "baas@example.org", "x")
    return {"articles": articles, "superuser": superuser}


# --- What "safe" means -------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcset"}
# Not <svg>: the admin draws its icons with it; a payload's would need a script or a handler.
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math"}
DATA_SCRIPTS = {"application/json", "application/ld+json"}


class MarkupAudit(HTMLParser):
    """Collect what a payload could have added to a page: tags, attributes, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value:
                url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if url.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "iframe" and is_inert_frame(attrs):
            pass  # the article form's Live voorbeeld: filled by its script, sandboxed
        elif tag in FORBIDDEN_TAGS or tag == "style":
            self.problems.append(f"<{tag}>")
        elif tag == "meta" and "http-equiv" in attrs:
            self.problems.append("<meta http-equiv>")
        elif tag == "script" and attrs.get("type") not in DATA_SCRIPTS:
            if not is_local(attrs.get("src")):
                self.problems.append(f"<script {attrs}>")
        elif tag == "link" and not is_local(attrs.get("href")):
            self.problems.append(f"<link {attrs}>")
        elif tag == "form" and attrs.get("action") and not is_local(attrs["action"]):
            self.problems.append(f"<form {attrs}>")


def is_inert_frame(attrs):
    """Return whether an iframe shows nothing of its own and can run nothing."""
    sandbox = attrs.get("sandbox")
    return (
        sandbox is not None
        and "allow-scripts" not in sandbox.split()
        and attrs.get("src") == "about:blank"
        and "srcdoc" not in attrs
    )


def is_local(url):
    """Return whether `url` is on this site (a path, or the test server's address)."""
    return bool(url) and (
        (url.startswith("/") and not url.startswith("//")) or url.startswith("http://testserver/")
    )


def audit(html, where):
    """Fail when the payloads added markup to `html`; return it for further checks."""
    parser = MarkupAudit()
    parser.feed(html)
    parser.close()
    assert parser.problems == [], where
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in html, (where, payload)
    return html


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return audit(response.content.decode(), url)


def shows(html, text):
    """Return whether `text` shows on the page, as text (escaped once)."""
    return escape(text) in html or escape(xml_safe(text)) in html


# --- Reader pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reader_pages_show_payloads_as_text(client, planted):
    articles = planted["articles"]
    editor = type(client)()
    editor.force_login(planted["superuser"])
    for article in articles:
        assert audit(article.body_html, "body_html") == article.body_html
        reader = page(client, article.get_absolute_url())
        preview = page(editor, reverse("news:article_preview", args=[article.pk]))
        for html in (reader, preview):
            for field in ("title", "lead", "byline", "source", "image_caption", "image_credit"):
                assert shows(html, text_of(article, field)), field
            assert f'alt="{escape(text_of(article, "image_alt"))}"' in html
            assert article.body_html in html
            assert all(shows(html, topic.name) for topic in article.topics.all())
        # JSON-LD: the text as it is, in a block that no string can close.
        (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', reader, re.S)
        assert "<" not in block and ">" not in block
        data = json.loads(block)
        assert (data["headline"], data["description"]) == (seo.headline(article), article.lead)
        assert data["author"]["name"] == article.byline

    day = timezone.localtime(articles[0].published_at)
    for url in [
        "/",
        reverse("news:country", kwargs={"slug": "marokko"}),
        reverse(
            "news:archive_day", kwargs={"year": day.year, "month": f"{day:%m}", "day": f"{day:%d}"}
        ),
    ]:
        html = page(client, url)
        assert all(shows(html, a.title) for a in articles), url
    # Search: PostgreSQL's Dutch parser does not make "xss" a word of every payload.
    html = page(client, reverse("news:search") + "?q=xss")
    assert any(shows(html, a.title) for a in articles)
    for topic in Topic.objects.all():
        assert shows(page(client, topic.get_absolute_url()), topic.name)
        url = reverse("news:country", kwargs={"slug": "marokko"})
        assert shows(page(client, f"{url}?{urlencode({'onderwerp': topic.slug})}"), topic.name)
    for payload in PAYLOADS:  # the query itself is shown back
        page(client, reverse("news:search") + "?" + urlencode({"q": payload}))


# --- Feeds and sitemaps ----------------------------------------------------------------------

# Elements whose text is HTML: an RSS item's description, the full text, Atom's summary.
# Titles, the channel's description and categories are plain text, escaped once.
HTML_ELEMENTS = {
    "{http://purl.org/rss/1.0/modules/content/}encoded",
    "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary",
}  # fmt: skip
ATOM_TITLE = "{http://www.w3.org/2005/Atom}title"


def xml_feed(client, url):
    """Return the feed's root element and what feedparser makes of it."""
    raw = client.get(url).content
    assert b"<script" not in raw.lower(), url
    root = ET.fromstring(raw)  # well-formed, control characters and all
    assert not [e for e in root.iter() if str(e.tag).lower().endswith("script")], url
    html = [e for e in root.iter() if e.tag in HTML_ELEMENTS]
    for element in html + root.findall("./channel/item/description"):
        if element.text:
            audit(element.text, f"{url} {element.tag}")
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return root, parsed


@pytest.mark.django_db
def test_feeds_and_sitemaps_carry_payloads_as_escaped_text_and_clean_html(client, planted):
    by_topic = {t.pk: a for a in planted["articles"] for t in a.topics.all()}
    for topic in Topic.objects.all():
        article = by_topic[topic.pk]
        for fmt in ("rss", "atom"):
            root, parsed = xml_feed(
                client, reverse(f"news:topic_feed_{fmt}", kwargs={"slug": topic.slug})
            )
            # Text, escaped once in the XML, in both formats.
            title = root.findtext("./channel/title" if fmt == "rss" else ATOM_TITLE)
            assert title.startswith(f"{xml_safe(topic.name)} - ")
            (entry,) = parsed.entries
            assert entry.link.endswith(article.get_absolute_url())
            assert xml_safe(topic.name) in [tag.term for tag in entry.tags]
        url = reverse("news:topic_feed_json", kwargs={"slug": topic.slug})
        raw = client.get(url).content.decode()
        assert "<" not in raw and ">" not in raw, url
        feed = json.loads(raw)
        assert feed["title"].startswith(xml_safe(topic.name))
        (item,) = feed["items"]
        assert item["title"] == xml_safe(article.title)
        assert item["summary"] == xml_safe(article.lead)
        assert item["authors"] == [{"name": xml_safe(article.byline)}]
        assert xml_safe(topic.name) in item["tags"]
        audit(item["content_html"], f"{url} content_html")
    for url in ("/feed/", "/feed/atom/", "/land/marokko/feed/"):
        xml_feed(client, url)

    ET.fromstring(client.get("/sitemap.xml").content)
    raw = client.get("/sitemap-nieuws.xml").content
    assert b"<script" not in raw.lower()
    root = ET.fromstring(raw)  # well-formed, control characters and all
    titles = [e.text for e in root.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")]
    assert sorted(titles) == sorted(xml_safe(a.title) for a in planted["articles"])


# --- The admin ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_shows_payloads_as_text(client, planted):
    client.force_login(planted["superuser"])
    html = page(client, reverse("admin:news_article_changelist"))
    assert all(shows(html, a.title) for a in planted["articles"])
    page(client, reverse("admin:news_article_changelist") + "?" + urlencode({"q": "xss"}))
    page(client, reverse("admin:news_topic_changelist"))
    page(client, reverse("admin:news_image_changelist"))  # the media library
    page(client, reverse("admin:news_image_changelist") + "?" + urlencode({"q": "xss"}))
    page(client, reverse("admin:index"))  # recent actions
    for article in planted["articles"]:
        html = page(client, reverse("admin:news_article_change", args=[article.pk]))
        for field in ("title", "byline", "source"):
            assert f'value="{escape(getattr(article, field))}"' in html, field
        for field in ("lead", "body"):
            assert f">\n{escape(getattr(article, field))}</textarea>" in html, field
        image_form = page(client, reverse("admin:news_image_change", args=[article.lead_image_id]))
        for field in IMAGE_FIELDS:
            assert f'value="{escape(text_of(article, field))}"' in image_form, field
        history = revisions_of(article)
        url = reverse("admin:news_article_revisions", args=[article.pk])
        html = page(client, f"{url}?{urlencode({'revisie': history}, doseq=True)}")
        assert "<ins>" in html
    page(client, reverse("admin:news_article_delete", args=[planted["articles"][0].pk]))
    for topic in Topic.objects.all():
        page(client, reverse("admin:news_topic_change", args=[topic.pk]))
    autocomplete = (
        reverse("admin:autocomplete")
        + "?"
        + urlencode(
            {
                "app_label": "news",
                "model_name": "pinnedarticle",
                "field_name": "pinned",
                "term": "xss",
            }
        )
    )
    results = client.get(autocomplete).json()["results"]
    assert {r["text"] for r in results} == {a.title for a in planted["articles"]}


def revisions_of(article):
    from news.models import Revision

    return [r.pk for r in Revision.objects.filter(article_id=article.pk)[:2]]


@pytest.mark.django_db
def test_the_login_page_and_lockout_show_a_payload_username_as_text(client):
    for payload in PAYLOADS:
        response = client.post(reverse("admin:login"), {"username": payload[:150], "password": "x"})
        assert response.status_code in (200, 429)
        audit(response.content.decode(), payload)
