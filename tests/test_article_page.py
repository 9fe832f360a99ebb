import html as html_module
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article

from .conftest import make_article

pytestmark = pytest.mark.django_db


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_article_page_shows_the_article(client):
    related = make_article(title="Verwant stuk", topics=["defensie"], lead="Een verwante intro.")
    article = make_article(
        title="Bondarev in Marrakech",
        lead="De intro.",
        body="Eerste alinea.\n\nTweede alinea.",
        countries=["MA", "RU"],
        topics=["defensie"],
        byline="Redactie",
        source="ChoufTv",
        published_at=timezone.make_aware(timezone.datetime(2014, 5, 4, 15, 44)),
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Bondarev in Marrakech</h1>" in html
    assert "4 mei 2014 - 15:44 - Marokko" in html
    assert "<p>Eerste alinea.</p>" in html and "<p>Tweede alinea.</p>" in html
    assert '<a href="/land/marokko/">Marokko</a>' in html
    assert '<a href="/land/rusland/">Rusland</a>' in html
    assert '<a href="/onderwerp/defensie/">defensie</a>' in html
    assert "Bron: ChoufTv" in text_of(html)
    aside = html[html.index('<aside class="lees-meer"') :]
    assert "Lees meer" in aside
    assert f'<a href="{related.get_absolute_url()}">Een verwante intro.</a>' in aside


def test_lees_meer_shows_cut_teasers(client):
    long_lead = "woord " * 40
    make_article(topics=["defensie"], lead=long_lead)
    article = make_article(topics=["defensie"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert ("woord " * 29).strip() + "...</a>" in html


def test_wrong_or_missing_slug_redirects_permanently(client):
    article = make_article(title="Juiste titel")
    for url in (f"/artikel/{article.pk}-oude-titel/", f"/artikel/{article.pk}/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == f"/artikel/{article.pk}-juiste-titel/"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_articles_are_not_found(client, kwargs):
    article = make_article(**kwargs)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/artikel/{article.pk}/").status_code == 404


def test_unknown_article_is_not_found(client):
    assert client.get("/artikel/999999-bestaat-niet/").status_code == 404


def test_article_page_queries_do_not_grow_with_articles(client, django_assert_max_num_queries):
    topics = ["defensie", "luchtmacht", "marine", "diplomatie", "handel"]
    for i in range(60):
        make_article(countries=["MA", "RU", "ES"], topics=topics[i % 5 :])
    article = make_article(countries=["MA", "RU", "ES", "FR", "US"], topics=topics)
    # The article and its tags (3), "Lees meer" (3), the page cache's next change (1).
    with django_assert_max_num_queries(7):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<li><a href="/artikel/') == 10


def test_byline_and_source_sit_in_the_header_under_the_date_line(client):
    article = make_article(
        byline="Redactie",
        source="ChoufTv",
        body="Eerste alinea.",
        published_at=timezone.make_aware(timezone.datetime(2014, 5, 4, 15, 44)),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    header = html[html.index("<header>", html.index('<article class="article">')) :]
    header = header[: header.index("</header>")]
    # The date line keeps its own element and its exact text.
    assert re.search(
        r'<p class="date-line"><time [^>]+>4 mei 2014 - 15:44 - Marokko</time></p>', header
    )
    byline = header[header.index('class="byline"') :]
    byline = html_module.unescape(text_of(byline.split("</p>")[0].split(">", 1)[1]))
    assert byline == "Door Redactie · Bron: ChoufTv"
    assert header.index('class="date-line"') < header.index('class="byline"')
    body_end = html.index("</article>", html.index('<div class="article-body">'))
    assert "Bron: ChoufTv" not in html[html.index('<div class="article-body">') : body_end]


def test_source_without_byline_and_neither(client):
    only_source = make_article(byline="", source="MAP")
    html = client.get(only_source.get_absolute_url()).content.decode()
    assert '<p class="byline">Bron: MAP</p>' in html
    html = client.get(make_article(byline="", source="").get_absolute_url()).content.decode()
    assert 'class="byline"' not in html
