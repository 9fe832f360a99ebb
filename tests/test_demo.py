import re

import pytest
from django.core.management import call_command

from news.demo.data import ARTICLES, SEED_DATELINE, SEED_TEASERS
from news.models import Article, CountryTag, PinnedArticle, Revision, Topic, TopicTag

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, CountryTag, TopicTag, PinnedArticle, Topic, Revision)
    }


def test_load_demo_twice_gives_the_same_rows():
    call_command("load_demo")
    first = row_counts()
    call_command("load_demo")
    assert row_counts() == first
    assert first["Article"] == 11
    assert first["PinnedArticle"] == 10
    assert first["Revision"] == 11


def test_if_empty_leaves_existing_articles_alone(capsys):
    call_command("load_demo")
    Article.objects.filter(title=ARTICLES[1]["title"]).update(title="Bewerkt door de redactie")
    call_command("load_demo", "--if-empty")
    assert Article.objects.filter(title="Bewerkt door de redactie").exists()
    assert "not loaded" in capsys.readouterr().out


def test_seed_article_page_shows_the_seed(client):
    call_command("load_demo")
    seed = Article.objects.get(title=ARTICLES[0]["title"])
    html = client.get(seed.get_absolute_url()).content.decode()
    assert SEED_DATELINE in html
    body = html[
        html.index('<div class="article-body">') : html.index(
            "</div>", html.index('<div class="article-body">')
        )
    ]
    assert body.count("<p") == 4
    start = html.index('<aside class="lees-meer"')
    aside = html[start : html.index("</aside>", start)]
    shown = [
        re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li><a [^>]+>(.*?)</a></li>", aside)
    ]
    expected = [t.replace('"', "&quot;") for t in SEED_TEASERS]
    assert shown == expected


def test_seed_teasers_are_related_and_not_all_older():
    seed, others = ARTICLES[0], ARTICLES[1:]
    assert sum(o["published_at"] > seed["published_at"] for o in others) >= 3
    for other in others:
        shared = set(other["countries"]) & set(seed["countries"]) | set(other["topics"]) & set(
            seed["topics"]
        )
        assert shared, other["title"]
