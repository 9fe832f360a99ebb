"""Search that folds accents and stems Dutch, with a stored document to rank, on both databases.

PostgreSQL: the unaccent extension, a `news_dutch` text search configuration (dutch with
unaccent before the stemmer) and a generated tsvector column `search_document`, which the
GIN index news_article_search_idx now indexes instead of 0003's expression, so that ranking
reads the stored document instead of building it again for every match.

SQLite: an FTS5 table of each article's stemmed, accent-folded words (news.search_index),
filled here for the existing articles. It imports the code's stemmer on purpose: the index
must hold the terms that the code searches for.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "news_article_search_idx"

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION news_dutch (COPY = pg_catalog.dutch)",
    "ALTER TEXT SEARCH CONFIGURATION news_dutch"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem",
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    """ALTER TABLE news_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('news_dutch'::regconfig, title), 'A')
        || setweight(to_tsvector('news_dutch'::regconfig, lead), 'B')
        || setweight(to_tsvector('news_dutch'::regconfig, body), 'C')
    ) STORED""",
    f"CREATE INDEX {INDEX_NAME} ON news_article USING gin (search_document)",
]

POSTGRESQL_BACK = [
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    "ALTER TABLE news_article DROP COLUMN IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS news_dutch",
    # The extension stays: other databases' objects may use it, and it costs nothing.
]

SQLITE_TABLE = "news_article_search"


def _old_index():
    """0003's index, put back when going back."""
    document = (
        SearchVector("title", weight="A", config="dutch")
        + SearchVector("lead", weight="B", config="dutch")
        + SearchVector("body", weight="C", config="dutch")
    )
    return GinIndex(document, name=INDEX_NAME)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        from news.search_index import TABLE, index_articles

        assert TABLE == SQLITE_TABLE
        schema_editor.execute(f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(title, lead, body)")
        using = schema_editor.connection.alias
        articles = apps.get_model("news", "Article").objects.using(using)
        batch = []
        for article in articles.only("title", "lead", "body").iterator(chunk_size=500):
            batch.append(article)
            if len(batch) == 500:
                index_articles(batch, using)
                batch = []
        index_articles(batch, using)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for sql in POSTGRESQL_BACK:
            schema_editor.execute(sql)
        schema_editor.add_index(apps.get_model("news", "Article"), _old_index())
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("news", "0011_pages")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
