import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news import newsroom
from news.models import Article, Revision
from news.search import match_expression, search, wanted_terms
from news.snippets import snippet

from .conftest import make_article

pytestmark = pytest.mark.django_db

TEASER_TITLE = re.compile(r'class="teaser-title"><a href="[^"]+">([^<]+)</a>')

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="checks PostgreSQL's own index"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="checks SQLite's FTS5 table")


def titles(response):
    return TEASER_TITLE.findall(response.content.decode())


def found(query):
    return [a.title for a in search(Article.objects.published(), query)]


# --- Both databases ----------------------------------------------------------


def test_search_finds_exact_words_in_title_lead_and_body(client):
    make_article(title="Nieuwe raket getest", lead="Intro.", body="Tekst.")
    make_article(title="Titel", lead="Een raket in de intro.", body="Tekst.")
    make_article(title="Ander", lead="Intro.", body="Er vloog een raket over.")
    make_article(title="Niets", lead="Over handel.", body="Over landbouw.")
    response = client.get("/zoeken/", {"q": "raket"})
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Ander", "Nieuwe raket getest", "Titel"]
    assert "3 resultaten voor &ldquo;raket&rdquo;" in response.content.decode()


def test_search_needs_every_word(client):
    make_article(title="Marokkaanse luchtmacht koopt raketten")
    make_article(title="Spaanse luchtmacht oefent")
    assert found("luchtmacht raketten") == ["Marokkaanse luchtmacht koopt raketten"]


def test_search_ignores_case(client):
    make_article(title="Raytheon levert aan Marokko")
    assert found("raytheon") == ["Raytheon levert aan Marokko"]


def test_search_shows_only_published_articles(client):
    make_article(title="Gepubliceerde raket")
    make_article(title="Concept raket", status=Article.Status.DRAFT)
    make_article(title="Geplande raket", published_at=timezone.now() + timedelta(days=1))
    assert titles(client.get("/zoeken/", {"q": "raket"})) == ["Gepubliceerde raket"]


def test_search_echoes_the_query_escaped(client):
    response = client.get("/zoeken/", {"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "0 resultaten" in html and "Niets gevonden" in html


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_is_a_friendly_page(client, query):
    make_article()
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    assert "Typ een of meer woorden" in response.content.decode()
    assert titles(response) == []


def test_no_query_at_all_is_a_friendly_page(client):
    response = client.get("/zoeken/")
    assert response.status_code == 200
    assert "Typ een of meer woorden" in response.content.decode()


def test_overlong_query_is_a_friendly_page(client):
    make_article(title="x" * 10)
    response = client.get("/zoeken/", {"q": "x" * 201})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Die zoekopdracht is te lang" in html
    assert titles(response) == []


@pytest.mark.parametrize(
    "query",
    [
        '"ongesloten',
        "raket -",
        "!!! & | :*",
        "or",
        "'; DROP TABLE x; --",
        "%_",
        # FTS5's own syntax, which must reach SQLite quoted.
        'raket"',
        "raket*",
        "raket AND",
        "NEAR(raket helikopter)",
        "title:raket",
        "^raket",
        "- -raket",
        "raket OR OR",
        "(raket",
        '"" "" -""',
        "é ë ŉ ﬁ ²",
    ],
)
def test_odd_queries_never_fail(client, query):
    make_article(title="Raket")
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200


# Queries as anyone may type them: search syntax of both databases among the words.
QUERY_PARTS = st.sampled_from(
    ['"', "-", "*", "^", ":", "(", ")", "or", "AND", "NEAR", "&", "|", "!"]
)
queries = st.lists(
    st.one_of(
        QUERY_PARTS,
        st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=8),
    ),
    max_size=8,
).map(lambda parts: "".join(parts) if len(parts) % 2 else " ".join(parts))


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(queries)
def test_no_query_makes_search_or_its_snippets_fail(query):
    article = make_article(title="Raket", lead='<b>Een</b> "raket" -* NEAR ^x', body="Tekst.")
    for found_article in search(Article.objects.filter(pk=article.pk), query):
        assert "<b>" not in snippet(found_article, wanted_terms(query))


def test_a_nul_character_is_a_bad_request(client):
    # news.security.RequestLimitsMiddleware refuses it in any query string.
    make_article(title="Raket")
    assert client.get("/zoeken/", {"q": "a\x00b"}).status_code == 400


def test_search_results_paginate_and_keep_the_query(client):
    for i in range(23):
        make_article(title=f"Raket {i}", published_at=timezone.now() - timedelta(hours=i + 1))
    first = client.get("/zoeken/", {"q": "raket"})
    assert len(titles(first)) == 20
    assert 'href="?q=raket&amp;page=2"' in first.content.decode()
    assert len(titles(client.get("/zoeken/", {"q": "raket", "page": 2}))) == 3
    assert client.get("/zoeken/", {"q": "raket", "page": 9}).status_code == 404
    assert client.get("/zoeken/", {"q": "raket", "page": "abc"}).status_code == 404


def test_search_page_is_not_indexed(client):
    html = client.get("/zoeken/", {"q": "raket"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html


# --- Dutch words, on both databases --------------------------------------------


@pytest.mark.parametrize(
    "query, title",
    [
        ("raketten", "Luchtmacht test nieuwe raket"),
        ("raket", "Leger koopt raketten"),
        ("helikopters", "Marokko koopt een helikopter"),
        ("helikopter", "Onderhoud van Chinook helikopters"),
    ],
)
def test_dutch_stemming_finds_other_forms(query, title):
    make_article(title=title)
    make_article(title="Over landbouw")
    assert found(query) == [title]


@pytest.mark.parametrize("query", ["Jordanie", "jordanië", "JORDANIË", "Jordanïe"])
def test_search_ignores_accents(query):
    make_article(title="Koning van Jordanië bezoekt Marokko")
    make_article(title="Koning van Spanje bezoekt Marokko")
    assert found(query) == ["Koning van Jordanië bezoekt Marokko"]


def test_accents_in_the_text_are_ignored_too():
    make_article(title="Overleg", body="Het café in Jordanie, de coördinatie op Curaçao.")
    make_article(title="Dessert", body="Crème brûlée à la française.")
    assert found("Jordanië") == ["Overleg"]
    assert found("cafe coordinatie") == ["Overleg"]
    # Not only what the Dutch stemmer folds itself (ä, ë, é, ...).
    assert found("curacao") == ["Overleg"]
    assert found("creme brulee a la francaise") == ["Dessert"]


def test_full_text_ranks_title_above_lead_above_body():
    make_article(title="Landbouw", body="Ook iets over een raket.")
    make_article(title="Nieuwe raket", body="Over landbouw.")
    make_article(title="Handel", lead="Een raket in de intro.")
    assert found("raket") == ["Nieuwe raket", "Handel", "Landbouw"]


def test_full_text_takes_web_search_syntax():
    make_article(title="Raket en helikopter")
    make_article(title="Alleen een raket")
    make_article(title="Helikopter en raket")
    assert found("raket -helikopter") == ["Alleen een raket"]
    assert found('"raket en helikopter"') == ["Raket en helikopter"]
    assert sorted(found("alleen or raket -helikopter")) == ["Alleen een raket"]


# --- The index follows the articles ---------------------------------------------


def test_an_edited_article_is_found_by_its_new_words():
    article = make_article(title="Oude kop over landbouw")
    article.title = "Nieuwe kop over raketten"
    newsroom.save(article, None)
    assert found("raket") == ["Nieuwe kop over raketten"]
    assert found("landbouw") == []


def test_a_save_of_other_fields_keeps_the_article_found():
    article = make_article(title="Raket")
    article.byline = "Redactie"
    article.save(update_fields=["byline"])
    assert found("raket") == ["Raket"]


def test_deleted_and_restored_articles_leave_and_return(client, final_editor):
    article = make_article(title="Raket boven zee")
    client.force_login(final_editor)
    client.post(
        "/admin/news/article/",
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert not Article.objects.filter(pk=article.pk).exists()
    assert found("raket") == []
    newsroom.restore(
        Revision.objects.filter(article_id=article.pk).latest("pk"), None, with_publication=True
    )
    assert found("raket") == ["Raket boven zee"]


def test_bulk_unpublish_and_publish_keep_the_article_searchable(final_editor):
    article = make_article(title="Raket")
    newsroom.unpublish([article], final_editor)
    assert found("raket") == []
    newsroom.publish(Article.objects.filter(pk=article.pk), final_editor)
    assert found("raket") == ["Raket"]


# --- Snippets -----------------------------------------------------------------------


def test_results_show_the_text_around_the_words_found_marked(client):
    make_article(
        title="Defensie",
        lead="Het leger maakt plannen.",
        body="Een lange aanloop. " * 20 + "Daarna werden drie raketten getest boven zee.",
    )
    html = client.get("/zoeken/", {"q": "raket"}).content.decode()
    assert "drie <mark>raketten</mark> getest" in html
    assert "… " in html


def test_snippets_escape_the_article_text(client):
    make_article(
        title="Raket",
        lead='Een <script>alert("raket")</script> & <b>raket</b>.',
        body="<img src=x onerror=alert(1)> raket",
    )
    html = client.get("/zoeken/", {"q": "raket"}).content.decode()
    assert "<script>alert" not in html and "<b>" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(&quot;<mark>raket</mark>&quot;)&lt;/script&gt; &amp;" in html


def test_a_short_text_is_shown_whole():
    article = make_article(
        lead="De haven van Tanger Med verwerkt dit jaar meer containers dan ooit.",
        body="Aan de *zeestraat* worden drie nieuwe kades gebouwd.",
    )
    assert snippet(article, wanted_terms("zeestraten")) == (
        "De haven van Tanger Med verwerkt dit jaar meer containers dan ooit. "
        "Aan de <mark>zeestraat</mark> worden drie nieuwe kades gebouwd."
    )


def test_a_match_in_the_title_only_shows_the_start_of_the_lead(client):
    make_article(title="Raketten", lead="Het begin van de intro.", body="")
    html = client.get("/zoeken/", {"q": "raket"}).content.decode()
    assert '<p class="teaser-text">Het begin van de intro.</p>' in html


# --- PostgreSQL ------------------------------------------------------------------------


@postgres_only
def test_stop_words_only_finds_nothing(client):
    make_article(title="De en het")
    response = client.get("/zoeken/", {"q": "de het"})
    assert response.status_code == 200
    assert titles(response) == []


@postgres_only
def test_search_uses_the_gin_index_on_the_stored_document():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'news_article_search_idx'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns"
            " WHERE table_name = 'news_article' AND column_name = 'search_document'"
        )
        (generated,) = cursor.fetchone()
    assert "USING gin (search_document)" in definition
    assert "'news_dutch'" in generated
    # Without the published filter, whose own index the planner may prefer: this
    # checks that the searched column is the indexed one, and that ranking reads it
    # rather than building the document again.
    query = search(Article.objects.all(), "raket").query
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.sql_with_params()
        cursor.execute(f"EXPLAIN VERBOSE {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "news_article_search_idx" in plan, plan
    assert "to_tsvector" not in plan, plan


# --- SQLite -----------------------------------------------------------------------------


@sqlite_only
def test_the_fts5_query_quotes_every_phrase():
    assert match_expression('raket* -"NEAR x" or ^F-35:') == ('("raket" NOT "near x") OR ("f 35")')
    assert match_expression('- or "" !!!') == ""


@sqlite_only
def test_the_fts5_table_holds_one_row_per_article():
    article = make_article(title="Raketten")
    article.save()
    other = make_article(title="Ander")
    other.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, title FROM news_article_search")
        assert cursor.fetchall() == [(article.pk, "raket")]
