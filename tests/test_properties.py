"""Properties that hold for any input: the teaser cut, slugs, the date line (hypothesis)."""

import re
from datetime import datetime

import pytest
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.models import Article, Topic
from news.text import ELLIPSIS, MONTHS, TEASER_LENGTH, date_line, teaser

# No example database in the work tree; no deadline on a busy CI machine.
FAST = settings(max_examples=300, deadline=None, database=None)
WITH_DB = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's <slug:...> converter
DATE_LINE = re.compile(rf"\d{{1,2}} ({'|'.join(MONTHS)}) \d{{4}} - \d\d:\d\d( - .+)?", re.S)

# Text as editors paste it: words, long words, every kind of space and punctuation.
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
texts = st.one_of(
    st.lists(words, max_size=80).map(" ".join),
    st.text(max_size=600),
    st.text(alphabet="ab \n\t\xa0.", max_size=400),
)


@FAST
@given(texts)
def test_a_teaser_is_the_whole_text_or_a_cut_at_a_word_boundary(text):
    normalized = " ".join(text.split())
    result = teaser(text)
    assert len(result) <= TEASER_LENGTH + len(ELLIPSIS)
    if len(normalized) <= TEASER_LENGTH:
        assert result == normalized
        return
    assert result.endswith(ELLIPSIS)
    kept = result[: -len(ELLIPSIS)]
    assert normalized.startswith(kept) and kept
    if " " in normalized[: TEASER_LENGTH + 1]:
        # Cut at a space: the next character of the text is the space itself.
        assert normalized[len(kept)] == " "
        assert " " not in normalized[len(kept) + 1 : TEASER_LENGTH + 1]
    else:
        assert kept == normalized[:TEASER_LENGTH]  # one long word: no boundary to keep


@FAST
@given(st.text(max_size=300), st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)))
def test_a_topic_slug_always_fits_the_url(name, i):
    slug = Topic().slugify(name, i)
    assert SLUG.fullmatch(slug)
    assert resolve(reverse("news:topic", kwargs={"slug": slug})).kwargs["slug"] == slug


@pytest.mark.django_db
@WITH_DB
# No NUL: forms refuse it (ProhibitNullCharactersValidator) and PostgreSQL cannot store it.
@given(st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=200))
def test_an_article_slug_always_fits_the_url(title):
    article = Article.objects.create(title=title, lead="Intro.")
    assert SLUG.fullmatch(article.slug)
    url = article.get_absolute_url()
    assert resolve(url).kwargs == {"pk": article.pk, "slug": article.slug}


# Aware datetimes in any time zone, within the years the archive's URLs can hold.
moments = st.datetimes(
    min_value=datetime(1000, 1, 2), max_value=datetime(2999, 12, 30), timezones=st.timezones()
)


@settings(FAST, max_examples=100)  # time zones are slow to draw
@given(moments, st.one_of(st.just(""), st.text(min_size=1, max_size=60)))
def test_the_date_line_is_dutch_and_complete_for_any_moment(moment, place):
    line = date_line(moment, place)
    assert DATE_LINE.fullmatch(line), line
    assert line.endswith(f" - {place}") if place else line.count(" - ") == 1
