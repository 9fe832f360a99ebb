from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from news.models import Article
from news.related import lees_meer

from .conftest import make_article

pytestmark = pytest.mark.django_db

UTC = UTC


def at(year, month, day):
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def titles(articles):
    return [a.title for a in articles]


def test_pinned_articles_come_first_in_the_editors_order():
    related = make_article(title="Verwant", countries=["MA"], topics=["defensie"])
    first = make_article(title="Eerste")
    second = make_article(title="Tweede")
    article = make_article(countries=["MA"], topics=["defensie"], pins=[second, first])
    assert titles(lees_meer(article))[:3] == ["Tweede", "Eerste", "Verwant"]
    assert related in lees_meer(article)


def test_more_shared_tags_rank_higher_then_latest_tops_up():
    article = make_article(countries=["MA"], topics=["defensie", "luchtmacht"])
    make_article(title="Niets gedeeld", countries=["FR"], topics=["cultuur"])
    make_article(title="Land gedeeld", countries=["MA"])
    make_article(title="Twee onderwerpen", topics=["defensie", "luchtmacht"])
    make_article(title="Land en onderwerp", countries=["MA"], topics=["luchtmacht"])
    assert titles(lees_meer(article)) == [
        "Twee onderwerpen",
        "Land en onderwerp",
        "Land gedeeld",
        "Niets gedeeld",
    ]


def test_a_rarer_tag_weighs_more_than_a_common_one():
    article = make_article(topics=["defensie", "satellieten"])
    for _ in range(5):
        make_article(title="Ander defensienieuws", topics=["defensie"], published_at=at(2010, 1, 1))
    make_article(title="Satellieten", topics=["satellieten"], published_at=at(2010, 1, 1))
    make_article(title="Defensie", topics=["defensie"], published_at=at(2010, 1, 1))
    assert titles(lees_meer(article))[0] == "Satellieten"


def test_a_topic_weighs_more_than_a_country():
    article = make_article(countries=["RU"], topics=["ruimtevaart"])
    make_article(title="Zelfde land", countries=["RU"])
    make_article(title="Zelfde onderwerp", topics=["ruimtevaart"])
    assert titles(lees_meer(article))[:2] == ["Zelfde onderwerp", "Zelfde land"]


def test_closeness_in_time_breaks_equal_tags():
    article = make_article(topics=["marine"], published_at=at(2014, 5, 4))
    # The far one is newer, so only closeness can put the near one first.
    make_article(title="Ver weg", topics=["marine"], published_at=at(2016, 5, 4))
    make_article(title="Dichtbij", topics=["marine"], published_at=at(2014, 5, 1))
    assert titles(lees_meer(article)) == ["Dichtbij", "Ver weg"]


def test_never_itself_a_draft_or_a_scheduled_article():
    draft = make_article(title="Concept", topics=["defensie"], status=Article.Status.DRAFT)
    scheduled = make_article(
        title="Gepland", topics=["defensie"], published_at=timezone.now() + timedelta(days=1)
    )
    article = make_article(title="Zelf", topics=["defensie"], pins=[draft, scheduled])
    visible = make_article(title="Zichtbaar", topics=["defensie"])
    assert lees_meer(article) == [visible]


def test_latest_articles_when_nothing_is_related():
    article = make_article(countries=["MA"], topics=["defensie"])
    old = make_article(title="Oud", published_at=at(2012, 1, 1))
    new = make_article(title="Nieuw", published_at=at(2013, 1, 1))
    assert lees_meer(article) == [new, old]


def test_at_most_ten():
    article = make_article(topics=["defensie"])
    for _ in range(15):
        make_article(topics=["defensie"])
    assert len(lees_meer(article)) == 10


def test_query_count_does_not_grow_with_the_number_of_articles(django_assert_num_queries):
    topics = ["defensie", "luchtmacht", "marine", "diplomatie", "handel"]
    pins = [make_article(topics=topics[:2]) for _ in range(3)]
    for i in range(200):
        make_article(countries=["MA", "RU"][: 1 + i % 2], topics=topics[i % 5 : i % 5 + 2])
    article = make_article(countries=["MA", "RU"], topics=topics, pins=pins)
    article = Article.objects.for_listing().get(pk=article.pk)  # as the article page has it
    # The tags' rarity, the next scheduled change and the latest articles (both kept per
    # content version), the candidates, the articles.
    with django_assert_num_queries(5):
        lees_meer(article)
    with django_assert_num_queries(2):  # the rarity and the latest come from the cache now
        items = lees_meer(article)
    assert len(items) == 10
    assert items[:3] == pins
