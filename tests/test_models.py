from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from news.models import Article, Country, Topic
from news.tagging import join_tags, parse_tags

from .conftest import make_article

pytestmark = pytest.mark.django_db


def test_published_holds_exactly_what_a_reader_may_see():
    visible = make_article(title="Zichtbaar")
    make_article(title="Concept", status=Article.Status.DRAFT)
    make_article(title="Gepland", published_at=timezone.now() + timedelta(minutes=5))
    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_becomes_visible_at_its_time():
    moment = timezone.now() + timedelta(hours=2)
    article = make_article(published_at=moment)
    assert not Article.objects.published(now=moment - timedelta(seconds=1)).exists()
    assert list(Article.objects.published(now=moment)) == [article]
    assert not article.is_published


def test_publishing_without_a_date_means_now():
    before = timezone.now()
    article = make_article(published_at=None)
    assert before <= article.published_at <= timezone.now()
    assert article.is_published


def test_draft_keeps_an_empty_date():
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    assert article.published_at is None
    assert not Article.objects.published().exists()


def test_body_is_rendered_to_sanitized_html_on_save():
    article = make_article(
        body="Eerste alinea met **nadruk**.\n\n<script>alert(1)</script>"
        "[klik](javascript:alert(2)) en [goed](https://example.org/)"
    )
    assert "<p>Eerste alinea met <strong>nadruk</strong>.</p>" in article.body_html
    assert "<script" not in article.body_html
    assert "javascript:" not in article.body_html
    assert 'href="https://example.org/"' in article.body_html


def test_slug_comes_from_the_title_when_empty():
    article = make_article(title="Marokko koopt Russische helikopters", slug="")
    assert article.slug == "marokko-koopt-russische-helikopters"
    assert article.get_absolute_url() == f"/artikel/{article.pk}-{article.slug}/"


def test_date_line_uses_the_primary_country():
    article = make_article(published_at=timezone.make_aware(timezone.datetime(2014, 5, 4, 15, 44)))
    assert article.date_line == "4 mei 2014 - 15:44 - Marokko"


def test_country_vocabulary_is_iso_3166_in_dutch():
    assert Country.objects.get(code="MA").name == "Marokko"
    assert Country.objects.get(code="RU").name == "Rusland"
    assert Country.objects.get(code="US").slug == "verenigde-staten"
    assert Country.objects.count() == 249


def test_topics_are_case_insensitively_unique():
    first = make_article(topics=["defensie"])
    second = make_article(topics=["Defensie", "Nieuw onderwerp"])
    assert Topic.objects.filter(name__iexact="defensie").count() == 1
    assert list(first.topics.all()) == [Topic.objects.get(name="defensie")]
    assert sorted(t.name for t in second.topics.all()) == ["Nieuw onderwerp", "defensie"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="DEFENSIE", slug="defensie-2")


def test_duplicate_topic_in_another_case_gets_a_dutch_message():
    Topic.objects.create(name="luchtmacht")
    with pytest.raises(ValidationError) as error:
        Topic(name="Luchtmacht", slug="luchtmacht-2").full_clean()
    assert "Er bestaat al een onderwerp met deze naam." in str(error.value)


def test_topic_slugs_are_ascii():
    topic = Topic.objects.create(name="Économie en handel")
    assert topic.slug == "economie-en-handel"
    assert topic.get_absolute_url() == "/onderwerp/economie-en-handel/"


def test_topic_strings_split_on_commas_only():
    assert parse_tags("Verenigde Staten") == ["Verenigde Staten"]
    assert parse_tags("defensie,  luchtmacht , Defensie,,") == ["defensie", "luchtmacht"]
    assert parse_tags("") == []
    topics = [Topic(name="luchtmacht"), Topic(name="Verenigde Staten")]
    assert parse_tags(join_tags(topics)) == ["Verenigde Staten", "luchtmacht"]
