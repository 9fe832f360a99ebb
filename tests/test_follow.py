"""The Volgen page, /favicon.ico, and the one URL of a country narrowed to a topic."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import Article, Topic

from .conftest import make_article

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_volgen_page_lists_the_feeds_of_tags_with_published_articles(client):
    make_article(countries=["MA", "ES"], topics=["defensie", "Économie"])
    make_article(status=Article.Status.DRAFT, countries=["FR"], topics=["concept"])
    make_article(published_at=timezone.now() + timedelta(hours=1), topics=["gepland"])
    Topic.objects.create(name="leeg", slug="leeg")
    html = html_of(client, reverse("news:follow"))
    assert reverse("news:follow") == "/volgen/"
    for url in ("/feed/", "/feed/atom/", "/feed/json/"):
        assert f'href="{url}"' in html
    for prefix in (
        "/land/marokko/",
        "/land/spanje/",
        "/onderwerp/defensie/",
        "/onderwerp/economie/",
    ):
        for fmt in ("", "atom/", "json/"):
            assert f'href="{prefix}feed/{fmt}"' in html, prefix + fmt
    # No feed of a tag without published articles: a draft's, a scheduled one's, an unused one.
    for slug in ("frankrijk", "concept", "gepland", "leeg"):
        assert f"/{slug}/feed/" not in html, slug
    # By name, as an editor typed it ("Économie" among the E's, before "defensie" would be wrong).
    names = re.findall(r'class="feed-name" href="/onderwerp/[^"]+">([^<]+)<', html)
    assert names == ["defensie", "Économie"]
    countries = re.findall(r'class="feed-name" href="/land/[^"]+">([^<]+)<', html)
    assert countries == ["Marokko", "Spanje"]
    assert "Wat is een feed?" in html
    assert 'data-copy="/land/marokko/feed/"' in html


def test_the_volgen_page_copy_buttons_have_dutch_names_and_a_script_of_the_site(client):
    make_article(countries=["MA"])
    html = html_of(client, "/volgen/")
    assert '<span class="copy-label">Kopieer</span>' in html
    assert "het adres van de RSS-feed van Marokko" in html
    assert 'role="status"' in html
    # The strict Content-Security-Policy: one script, a file of the site, nothing inline.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script src="/static/js/follow.js" defer>']
    assert " style=" not in html and "<style" not in html
    assert finders.find("js/follow.js")


def test_the_volgen_page_is_linked_from_every_page_and_from_tag_pages(client):
    make_article(countries=["MA"], topics=["defensie"])
    front = html_of(client, "/")
    assert '<a href="/volgen/">Volgen</a>' in front
    assert "RSS-feed</a>" not in front
    assert 'href="/volgen/">Hoe volg ik dit?</a>' in html_of(client, "/land/marokko/")
    assert 'href="/volgen/">Hoe volg ik dit?</a>' in html_of(client, "/onderwerp/defensie/")


def test_the_volgen_page_is_cached_and_takes_few_queries(client, django_assert_max_num_queries):
    for n in range(30):
        make_article(countries=["MA", "ES", "FR"], topics=[f"onderwerp {n}", "defensie"])
    with django_assert_max_num_queries(4):
        response = client.get("/volgen/")
    assert response.status_code == 200
    assert response.headers["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        assert client.get("/volgen/").headers["X-Page-Cache"] == "hit"


def test_favicon_ico_is_an_icon_cached_long_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert "max-age=2592000" in response.headers["Cache-Control"]
    icon = Image.open(finders.find("img/favicon.ico"))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == (
        open(finders.find("img/favicon.ico"), "rb").read()
    )
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html_of(client, "/archief/")


@pytest.mark.parametrize(
    "asked, canonical",
    [
        ("/onderwerp/defensie/?land=marokko", "/land/marokko/?onderwerp=defensie"),
        (
            "/onderwerp/defensie/?land=marokko&page=2&utm_source=x",
            "/land/marokko/?onderwerp=defensie&page=2&utm_source=x",
        ),
    ],
)
def test_a_topic_narrowed_to_a_country_answers_301_to_the_country_page(client, asked, canonical):
    make_article(countries=["MA"], topics=["defensie"])
    response = client.get(asked)
    assert response.status_code == 301
    assert response.headers["Location"] == canonical


def test_the_narrowed_page_links_the_feeds_of_its_one_scope(client):
    make_article(title="Hier", countries=["MA"], topics=["defensie"])
    html = html_of(client, client.get("/onderwerp/defensie/?land=marokko").headers["Location"])
    feeds = re.search(r'<p class="feed-links">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', feeds) == [
        "/land/marokko/feed/?onderwerp=defensie",
        "/land/marokko/feed/atom/?onderwerp=defensie",
        "/land/marokko/feed/json/?onderwerp=defensie",
        "/volgen/",
    ]
    assert 'href="/land/marokko/feed/?onderwerp=defensie"' in html.split("</head>")[0]


def test_a_merged_topic_narrowed_to_a_country_ends_at_the_survivor(client):
    from news.merging import merge_topics

    article = make_article(countries=["MA"], topics=["defensie", "leger"])
    merge_topics(Topic.objects.get(slug="defensie"), [Topic.objects.get(slug="leger")])
    response = client.get("/onderwerp/leger/?land=marokko", follow=True)
    assert response.redirect_chain[-1] == ("/land/marokko/?onderwerp=defensie", 301)
    assert article.title in response.content.decode()


def test_an_unknown_country_in_the_narrowed_topic_is_a_404(client):
    make_article(countries=["MA"], topics=["defensie"])
    assert client.get("/onderwerp/defensie/?land=atlantis", follow=True).status_code == 404
    assert client.get("/onderwerp/defensie/?land=a%20b").status_code == 404
