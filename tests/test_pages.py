import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import path
from django.utils import timezone

from config import urls as site_urls
from news.models import Article

from .conftest import make_article

pytestmark = pytest.mark.django_db

TEASER_TITLE = re.compile(r'class="teaser-title"><a href="[^"]+">([^<]+)</a>')


def boom(request):
    raise RuntimeError("kapot")


# This module doubles as a URLconf with a failing view, for the 500 page.
# First: the editors' pages take any other one-segment path.
urlpatterns = [path("kapot/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def html_of(response):
    return response.content.decode()


def text_of(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html_of(response), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def titles(response):
    """Return the teaser titles on a list page, in order."""
    return TEASER_TITLE.findall(html_of(response))


def ago(**kw):
    return timezone.now() - timedelta(**kw)


# --- Front page --------------------------------------------------------------


def test_front_page_leads_with_the_latest_story(client):
    make_article(title="Ouder bericht", lead="Oude intro.", published_at=ago(days=2))
    make_article(
        title="Nieuwste bericht", lead="De nieuwste intro.", countries=["MA"], topics=["defensie"]
    )
    response = client.get("/")
    assert response.status_code == 200
    html = html_of(response)
    top = html[html.index('<article class="top-story">') : html.index("</article>")]
    assert "Nieuwste bericht" in top and "De nieuwste intro." in top
    assert 'class="date-line"' in top
    assert titles(response) == ["Ouder bericht"]
    assert "Laatste nieuws" in html


def test_front_page_teasers_show_teaser_date_line_and_place(client):
    make_article(title="Top", published_at=ago(minutes=5))
    make_article(title="Lang verhaal", lead="woord " * 50, published_at=ago(days=1))
    html = html_of(client.get("/"))
    teaser = html[html.index('<article class="teaser">') :]
    assert ("woord " * 29).strip() + "..." in teaser
    assert re.search(r"\d{1,2} \w+ \d{4} - \d\d:\d\d - Marokko", teaser)


def test_front_page_links_the_most_used_countries_and_topics(client):
    for _ in range(3):
        make_article(countries=["MA", "ES"], topics=["defensie"])
    make_article(countries=["FR"], topics=["economie"])
    html = html_of(client.get("/"))
    aside = html[html.index('<aside class="front-tags"') :]
    assert aside.index('href="/land/marokko/"') < aside.index('href="/land/frankrijk/"')
    assert aside.index('href="/onderwerp/defensie/"') < aside.index('href="/onderwerp/economie/"')


def test_front_page_paginates_older_news(client):
    for i in range(25):
        make_article(title=f"Bericht {i:02}", published_at=ago(hours=i + 1))
    first = client.get("/")
    assert len(titles(first)) == 19  # plus the top story
    assert 'rel="next" href="?page=2"' in html_of(first)
    second = client.get("/?page=2")
    assert second.status_code == 200
    assert titles(second) == [f"Bericht {i:02}" for i in range(20, 25)]
    assert 'class="top-story"' not in html_of(second)
    assert "Ouder nieuws" in html_of(second)


def test_empty_front_page_is_friendly(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Er zijn nog geen artikelen gepubliceerd." in html_of(response)


@pytest.mark.parametrize("page", ["0", "abc", "3", "-1", "99999999999999999999"])
def test_pagination_out_of_range_is_a_friendly_404(client, page):
    for _ in range(21):
        make_article()
    for url in ("/", "/land/marokko/"):
        response = client.get(url, {"page": page})
        assert response.status_code == 404
        assert "Pagina niet gevonden" in html_of(response)


def test_last_page_by_name(client):
    for _ in range(21):
        make_article()
    response = client.get("/", {"page": "last"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2


# --- Country and topic pages -------------------------------------------------


def test_country_page_lists_its_articles_newest_first(client):
    make_article(title="Oud", countries=["MA"], published_at=ago(days=3))
    make_article(title="Nieuw", countries=["MA"], published_at=ago(days=1))
    make_article(title="Elders", countries=["ES"])
    response = client.get("/land/marokko/")
    assert response.status_code == 200
    assert response.context["tag"].code == "MA"
    assert titles(response) == ["Nieuw", "Oud"]
    assert "2 artikelen" in text_of(response)
    assert "<h1>Marokko</h1>" in html_of(response)


def test_topic_page_lists_its_articles(client):
    make_article(title="Over defensie", topics=["defensie"])
    make_article(title="Over handel", topics=["handel"])
    response = client.get("/onderwerp/defensie/")
    assert response.status_code == 200
    assert response.context["tag"].name == "defensie"
    assert titles(response) == ["Over defensie"]
    assert "1 artikel " in text_of(response) + " "


def test_tag_pages_paginate_by_twenty(client):
    for i in range(23):
        make_article(countries=["MA"], published_at=ago(hours=i + 1))
    first = client.get("/land/marokko/")
    assert len(titles(first)) == 20
    assert "23 artikelen" in text_of(first)
    assert len(titles(client.get("/land/marokko/?page=2"))) == 3


def test_unknown_country_or_topic_is_404(client):
    assert client.get("/land/atlantis/").status_code == 404
    assert client.get("/onderwerp/bestaat-niet/").status_code == 404


def test_country_without_articles_is_an_empty_friendly_page(client):
    response = client.get("/land/zweden/")
    assert response.status_code == 200
    assert "Over Zweden is nog niets gepubliceerd." in text_of(response)
    assert "0 artikelen" in text_of(response)
    assert '<meta name="robots" content="noindex">' in html_of(response)


def test_country_page_links_its_feeds(client):
    make_article(countries=["MA"])
    html = html_of(client.get("/land/marokko/"))
    for suffix in ("", "atom/", "json/"):
        assert f'href="/land/marokko/feed/{suffix}"' in html


def test_topic_page_links_its_feeds(client):
    make_article(topics=["defensie"])
    html = html_of(client.get("/onderwerp/defensie/"))
    for suffix in ("", "atom/", "json/"):
        assert f'href="/onderwerp/defensie/feed/{suffix}"' in html


def test_country_page_filters_by_topic(client):
    make_article(title="Marokkaanse defensie", countries=["MA"], topics=["defensie"])
    make_article(title="Marokkaanse handel", countries=["MA"], topics=["handel"])
    make_article(title="Spaanse defensie", countries=["ES"], topics=["defensie"])
    response = client.get("/land/marokko/?onderwerp=defensie")
    assert response.status_code == 200
    assert titles(response) == ["Marokkaanse defensie"]
    assert response.context["filter_tag"].name == "defensie"
    html = html_of(response)
    assert 'href="/land/marokko/feed/?onderwerp=defensie"' in html
    assert 'href="/land/marokko/?onderwerp=defensie" aria-current="page"' in html
    assert "1 artikel" in text_of(response)


def test_country_page_offers_its_topics_as_filters(client):
    make_article(countries=["MA"], topics=["defensie", "luchtmacht"])
    make_article(countries=["MA"], topics=["defensie"])
    make_article(countries=["ES"], topics=["landbouw"])
    html = html_of(client.get("/land/marokko/"))
    nav = html[html.index('<nav class="filters"') :]
    nav = nav[: nav.index("</nav>")]
    topics = re.findall(r'href="/land/marokko/\?onderwerp=([^"]+)"', nav)
    assert topics == ["defensie", "luchtmacht"]
    assert "(2)" in nav and "(1)" in nav
    assert "landbouw" not in nav


def test_topic_page_offers_its_countries_at_the_one_url_of_each_selection(client):
    make_article(title="In Marokko", countries=["MA"], topics=["defensie"])
    make_article(title="In Spanje", countries=["ES"], topics=["defensie"])
    html = html_of(client.get("/onderwerp/defensie/"))
    # A topic narrowed to a country is the country narrowed to the topic: one URL.
    assert 'href="/land/marokko/?onderwerp=defensie"' in html
    assert 'href="/land/spanje/?onderwerp=defensie"' in html
    response = client.get("/land/spanje/?onderwerp=defensie")
    assert titles(response) == ["In Spanje"]
    assert 'href="/land/spanje/feed/?onderwerp=defensie"' in html_of(response)


def test_filter_with_unknown_tag_is_404_and_empty_combination_is_friendly(client):
    make_article(countries=["MA"], topics=["defensie"])
    make_article(countries=["ES"], topics=["handel"])
    assert client.get("/land/marokko/?onderwerp=bestaat-niet").status_code == 404
    response = client.get("/land/marokko/?onderwerp=handel")
    assert response.status_code == 200
    assert "Over Marokko en handel is nog niets gepubliceerd." in text_of(response)


def test_filtered_pages_keep_the_filter_when_paginating(client):
    for _ in range(21):
        make_article(countries=["MA"], topics=["defensie"])
    html = html_of(client.get("/land/marokko/?onderwerp=defensie"))
    assert 'rel="next" href="?onderwerp=defensie&amp;page=2"' in html
    second = client.get("/land/marokko/?onderwerp=defensie&page=2")
    assert len(titles(second)) == 1


# --- Every page --------------------------------------------------------------


def every_page(article):
    return [
        "/",
        article.get_absolute_url(),
        "/land/marokko/",
        "/onderwerp/defensie/",
        "/archief/",
        "/zoeken/?q=intro",
        "/bestaat-niet/",
    ]


def test_every_page_has_the_layout(client):
    article = make_article(countries=["MA"], topics=["defensie"])
    make_article(countries=["MA"], topics=["defensie"])
    for url in every_page(article):
        html = html_of(client.get(url))
        assert '<html lang="nl">' in html, url
        assert '<a class="skip-link" href="#inhoud">Naar de inhoud</a>' in html, url
        assert '<main id="inhoud"' in html, url
        for element in ("<header", "<nav", "<footer", "</main>"):
            assert element in html, (url, element)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert 'media="print"' in html


def test_pages_load_nothing_from_other_sites(client):
    article = make_article(countries=["MA"], topics=["defensie"])
    for url in every_page(article):
        html = html_of(client.get(url))
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            for address in re.findall(r'(?:src|href)="([^"]+)"', tag):
                assert address.startswith(("/", "?", "http://testserver/")), (url, tag)
        assert "@import" not in html and "url(http" not in html


def test_article_page_is_an_article_with_an_aside(client):
    make_article(topics=["defensie"])
    article = make_article(topics=["defensie"])
    html = html_of(client.get(article.get_absolute_url()))
    assert '<article class="article">' in html
    assert '<aside class="lees-meer"' in html
    assert f"<h1>{article.title}</h1>" in html


def test_stylesheets_are_served_and_print_hides_the_site_around_an_article():
    from django.contrib.staticfiles import finders

    site = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert ":focus-visible" in site
    printed = open(finders.find("css/print.css"), encoding="utf-8").read()
    for selector in (".site-header", ".site-footer", ".lees-meer", ".skip-link"):
        assert selector in printed


# --- Errors ------------------------------------------------------------------


def test_404_page_is_dutch_and_in_the_layout(client):
    response = client.get("/bestaat/niet/")
    assert response.status_code == 404
    html = html_of(response)
    assert "Pagina niet gevonden" in html
    assert 'class="site-header"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.urls("tests.test_pages")
def test_500_page_is_dutch_and_in_the_layout(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):  # the database may be what failed
        response = client.get("/kapot/")
    assert response.status_code == 500
    html = html_of(response)
    assert "Er ging iets mis" in html
    assert 'class="site-header"' in html
    assert "Marokko &amp; Wereld" in html


def test_handler500_is_the_sites_own():
    assert site_urls.handler500 == "news.views.server_error"


# --- Nothing unpublished -----------------------------------------------------


def test_nothing_unpublished_appears_anywhere(client):
    when = ago(hours=2)
    shown = make_article(
        title="Zichtbaar raketbericht", countries=["MA"], topics=["defensie"], published_at=when
    )
    hidden = [
        make_article(
            title="Geheim raketconcept",
            lead="Geheime intro.",
            status=Article.Status.DRAFT,
            countries=["MA", "SE"],
            topics=["defensie", "geheimtopic"],
            published_at=when - timedelta(minutes=1),
        ),
        make_article(
            title="Gepland raketbericht",
            lead="Geplande intro.",
            countries=["MA", "SE"],
            topics=["defensie", "geheimtopic"],
            published_at=timezone.now() + timedelta(minutes=30),
        ),
    ]
    local = timezone.localtime(when)
    urls = [
        "/",
        shown.get_absolute_url(),
        "/land/marokko/",
        "/land/zweden/",
        "/land/marokko/?onderwerp=defensie",
        "/onderwerp/defensie/",
        "/archief/",
        f"/archief/{local:%Y}/",
        f"/archief/{local:%Y/%m}/",
        f"/archief/{local:%Y/%m/%d}/",
        "/zoeken/?q=raketconcept",
        "/zoeken/?q=raketbericht",
        "/sitemap.xml",
        "/sitemap-nieuws.xml",
        "/feed/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for article in hidden:
            assert article.title not in body, url
            assert article.lead not in body, url
            assert f"/artikel/{article.pk}-" not in body, url
        assert "geheimtopic" not in body, url
    assert "1 artikel" in text_of(client.get("/land/marokko/"))
    assert client.get("/onderwerp/geheimtopic/").status_code == 200
    assert "0 artikelen" in text_of(client.get("/onderwerp/geheimtopic/"))
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404
