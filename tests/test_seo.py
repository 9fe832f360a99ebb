import io
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from news.models import Article
from news.models import Image as LibraryImage
from news.text import single_line

from .conftest import make_article
from .imagefiles import image_file
from .library import with_image as with_library_image

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
EVIL = 'Kop </script><script>alert(1)</script> & "citaat" <!-- \u2028'


def json_ld(html):
    """Return the parsed JSON-LD blocks of a page."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match and match.group(1)


@pytest.fixture
def article():
    return make_article(
        title="Bondarev in Marrakech",
        lead="Viktor Bondarev ontmoet zijn Marokkaanse ambtgenoot.",
        byline="Redactie",
        topics=["defensie", "luchtmacht"],
        published_at=datetime(2014, 5, 4, 15, 44, tzinfo=ZoneInfo("Europe/Amsterdam")),
    )


def test_article_has_title_description_and_canonical(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Bondarev in Marrakech - Marokko &amp; Wereld</title>" in html
    assert meta(html, "name", "description") == article.lead
    url = HOST + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html


def test_article_has_open_graph_and_twitter_tags(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    url = HOST + article.get_absolute_url()
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == article.title
    assert meta(html, "property", "og:description") == article.lead
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "og:site_name") == "Marokko &amp; Wereld"
    assert meta(html, "property", "og:locale") == "nl_NL"
    assert meta(html, "property", "og:image").startswith(HOST + "/static/")
    assert meta(html, "property", "article:published_time") == "2014-05-04T15:44:00+02:00"
    assert re.findall(r'<meta property="article:tag" content="([^"]+)">', html) == [
        "defensie",
        "luchtmacht",
    ]
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:title") == article.title
    assert meta(html, "name", "twitter:image") == meta(html, "property", "og:image")


def test_article_json_ld_is_a_news_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    (data,) = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bondarev in Marrakech"
    assert data["datePublished"] == "2014-05-04T15:44:00+02:00"
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(
        data["datePublished"]
    )
    assert data["author"] == data["publisher"]  # "Redactie" is the newsroom, not a person
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Marokko & Wereld"
    assert data["publisher"]["logo"]["url"].startswith(HOST + "/static/")
    assert data["image"] and all(url.startswith(HOST + "/") for url in data["image"])
    assert data["mainEntityOfPage"]["@id"] == HOST + article.get_absolute_url()


def test_json_ld_without_byline_credits_the_site(client):
    article = make_article(byline="")
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["author"]["@type"] == "Organization"
    assert data["author"]["name"] == "Marokko & Wereld"


def test_no_field_can_close_the_json_ld_script(client):
    article = make_article(title=EVIL, lead=EVIL, byline=EVIL)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    (data,) = json_ld(html)
    # Stored as one line: the line separator (U+2028) in EVIL is gone.
    assert data["headline"] == single_line(EVIL) == EVIL.strip()
    assert data["description"] == single_line(EVIL)
    assert data["author"]["name"] == single_line(EVIL)
    # The page's only script element is the JSON-LD one.
    assert html.count("<script") == 1 and html.count("</script>") == 1


def test_meta_tags_escape_the_title(client):
    article = make_article(title=EVIL)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;citaat&quot;" in html


def test_description_of_a_long_lead_is_its_teaser(client):
    article = make_article(lead="woord " * 60)
    html = client.get(article.get_absolute_url()).content.decode()
    description = meta(html, "name", "description")
    assert description.endswith("...") and len(description) <= 178


def test_list_pages_have_a_canonical_url_without_noise(client):
    for _ in range(21):
        make_article(countries=["MA"], topics=["defensie"])
    cases = {
        "/?utm_source=nieuwsbrief": f"{HOST}/",
        "/?page=1": f"{HOST}/",
        "/?page=2&fbclid=x": f"{HOST}/?page=2",
        "/land/marokko/?onderwerp=defensie&utm_medium=x": (
            f"{HOST}/land/marokko/?onderwerp=defensie"
        ),
        "/archief/": f"{HOST}/archief/",
    }
    for url, canonical in cases.items():
        html = client.get(url).content.decode()
        assert f'<link rel="canonical" href="{canonical}">' in html, url
        assert meta(html, "property", "og:url") == canonical


def test_list_pages_have_titles_and_a_description(client):
    make_article(countries=["MA"], topics=["defensie"])
    html = client.get("/land/marokko/").content.decode()
    assert "<title>Marokko - Marokko &amp; Wereld</title>" in html
    assert meta(html, "name", "description") == "Nieuws over Marokko op Marokko &amp; Wereld."
    html = client.get("/land/marokko/?onderwerp=defensie").content.decode()
    assert "<title>Marokko: defensie - Marokko &amp; Wereld</title>" in html
    assert json_ld(html) == []


# --- Authors and images in structured data ---------------------------------------------


@pytest.mark.parametrize("byline", ["Redactie", "redactie", " REDACTIE ", ""])
def test_the_newsroom_and_unsigned_articles_are_the_organization(client, byline):
    article = make_article(byline=byline)
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["author"]["@type"] == "Organization"
    assert data["author"] == data["publisher"]


def test_a_named_writer_is_a_person(client):
    article = make_article(byline="Samira El Idrissi")
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["author"] == {"@type": "Person", "name": "Samira El Idrissi"}


def test_the_newsroom_byline_is_a_setting(client, settings):
    settings.NEWSROOM_BYLINE = "Nieuwsdienst"
    redactie, dienst = make_article(byline="Redactie"), make_article(byline="nieuwsdienst")
    (data,) = json_ld(client.get(redactie.get_absolute_url()).content.decode())
    assert data["author"]["@type"] == "Person"
    (data,) = json_ld(client.get(dienst.get_absolute_url()).content.decode())
    assert data["author"]["@type"] == "Organization"


def media_image(url):
    assert url.startswith(HOST + settings.MEDIA_URL)
    return Image.open(Path(settings.MEDIA_ROOT) / url.removeprefix(HOST + settings.MEDIA_URL))


def with_image(size):
    alt = "Twee generaals op een vliegveld."
    return with_library_image(image_file(size=size), image_kw={"alt": alt})


@pytest.mark.parametrize("size", [(2400, 1600), (1600, 2400), (900, 600)])
def test_json_ld_gives_16_9_4_3_and_1_1_crops_of_the_lead_image(client, size):
    article = with_image(size)
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    opened = [media_image(url) for url in data["image"]]
    ratios = [round(image.width / image.height, 2) for image in opened]
    assert ratios == [round(16 / 9, 2), round(4 / 3, 2), 1.0]
    if size[0] >= 1200 and size[1] >= 1200:  # large enough for 1200 px wide everywhere
        assert all(image.width >= 1200 for image in opened)


def test_open_graph_gives_the_size_and_alt_of_the_shared_image(client):
    article = with_image((2400, 1600))
    html = client.get(article.get_absolute_url()).content.decode()
    image = media_image(meta(html, "property", "og:image"))
    assert image.format == "JPEG"
    assert meta(html, "property", "og:image:width") == str(image.width)
    assert meta(html, "property", "og:image:height") == str(image.height)
    assert meta(html, "property", "og:image:alt") == "Twee generaals op een vliegveld."


def test_open_graph_gives_the_size_of_the_site_image(client):
    article = make_article()
    for url in (article.get_absolute_url(), "/"):
        html = client.get(url).content.decode()
        path = meta(html, "property", "og:image").removeprefix(HOST + settings.STATIC_URL)
        image = Image.open(Path(settings.BASE_DIR, "static", path))
        assert meta(html, "property", "og:image:width") == str(image.width)
        assert meta(html, "property", "og:image:height") == str(image.height)
        assert meta(html, "property", "og:image:alt")


def test_share_crops_are_made_for_images_stored_before_them(client):
    article = with_image((1600, 1000))
    older = [r for r in article.image_renditions if not r["kind"].startswith("share-")]
    LibraryImage.objects.filter(pk=article.lead_image_id).update(renditions=older)
    client.get(article.get_absolute_url())  # cached without them
    call_command("make_share_crops", stdout=io.StringIO())
    article = Article.objects.get(pk=article.pk)
    assert {r["kind"] for r in article.image_renditions} >= {"share-4x3", "share-1x1"}
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert [
        round(media_image(url).width / media_image(url).height, 2) for url in data["image"]
    ] == [
        1.78,
        1.33,
        1.0,
    ]
    out = io.StringIO()
    call_command("make_share_crops", stdout=out)  # again: nothing to do
    assert "for 0 image(s)" in out.getvalue()


# --- Zoekmachines en delen: the SEO title and description ------------------------------


def test_seo_title_and_description_are_used_where_search_engines_and_shares_look(client):
    article = make_article(
        title="Bondarev in Marrakech",
        lead="Viktor Bondarev ontmoet zijn Marokkaanse ambtgenoot.",
        seo_title="Russische luchtmachtchef in Marokko",
        seo_description="Wat Bondarev in Marrakech komt doen, en waarom nu.",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Russische luchtmachtchef in Marokko - Marokko &amp; Wereld</title>" in html
    assert meta(html, "name", "description") == "Wat Bondarev in Marrakech komt doen, en waarom nu."
    for attribute, name in [("property", "og:title"), ("name", "twitter:title")]:
        assert meta(html, attribute, name) == "Russische luchtmachtchef in Marokko"
    for attribute, name in [("property", "og:description"), ("name", "twitter:description")]:
        assert meta(html, attribute, name) == "Wat Bondarev in Marrakech komt doen, en waarom nu."
    (data,) = json_ld(html)
    assert data["headline"] == "Russische luchtmachtchef in Marokko"
    assert data["description"] == "Wat Bondarev in Marrakech komt doen, en waarom nu."
    # The reader still reads the article's own title.
    assert "<h1>Bondarev in Marrakech</h1>" in html


def test_without_them_the_title_and_the_leads_teaser(client):
    lead = "Een lange intro. " * 20
    article = make_article(title="Gewoon de titel", lead=lead.strip())
    html = client.get(article.get_absolute_url()).content.decode()
    teaser = meta(html, "name", "description")
    assert teaser.endswith("...") and len(teaser) <= 178
    assert meta(html, "property", "og:description") == teaser
    assert meta(html, "name", "twitter:description") == teaser
    assert meta(html, "property", "og:title") == "Gewoon de titel"
    (data,) = json_ld(html)
    assert data["headline"] == "Gewoon de titel"
    assert data["description"] == lead.strip()  # structured data takes the whole lead


def test_json_ld_headline_is_cut_to_110_characters_on_a_word(client):
    title = "Een heel lange kop over de Marokkaanse luchtmacht " * 4
    article = make_article(title=title.strip())
    (data,) = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert len(data["headline"]) <= 110
    assert data["headline"].endswith("...")
    assert title.startswith(data["headline"].removesuffix("..."))


def test_seo_fields_are_one_line_and_escaped(client):
    article = make_article(seo_title=EVIL[:70], seo_description="Regel een\nregel twee <b>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "name", "description") == "Regel een regel twee &lt;b&gt;"
    assert "<script>alert(1)" not in html
    (data,) = json_ld(html)
    assert data["headline"] == single_line(EVIL[:70])


@pytest.mark.parametrize(("field", "limit"), [("seo_title", 70), ("seo_description", 160)])
def test_too_long_is_refused_in_dutch_and_the_text_kept(client, final_editor, field, limit):
    from .conftest import change_url, form_data

    article = make_article()
    client.force_login(final_editor)
    text = "x" * (limit + 1)
    response = client.post(change_url(article), form_data(article, **{field: text}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"niet meer dan {limit} tekens bevat (het zijn er nu {limit + 1})" in html
    assert text in html
    article.refresh_from_db()
    assert getattr(article, field) == ""
    response = client.post(change_url(article), form_data(article, **{field: "x" * limit}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert getattr(article, field) == "x" * limit


def test_the_form_shows_both_previews_as_saved(client, final_editor):
    from .conftest import change_url

    article = make_article(title="Bondarev in Marrakech", seo_description="Kort en goed.")
    client.force_login(final_editor)
    html = client.get(change_url(article)).content.decode()
    assert "Zoekmachines en delen" in html
    assert 'data-recommended="60"' in html and 'data-recommended="160"' not in html
    assert '<span class="search-result-title" data-seo="search-title">' in html
    assert "Bondarev in Marrakech - Marokko &amp; Wereld</span>" in html
    assert f"/artikel/{article.pk}-{article.slug}/" in html
    assert html.count("Kort en goed.") >= 3  # the field, the search result, the shared link
    assert "admin/seo-preview.js" in html
    # A new article: the defaults.
    assert "Zoekmachines en delen" in client.get("/admin/news/article/add/").content.decode()
