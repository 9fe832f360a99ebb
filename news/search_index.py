"""The terms search compares (words without accents, Dutch-stemmed), and SQLite's index of them.

PostgreSQL folds and stems by itself (the `news_dutch` configuration and the generated
`search_document` column of migration 0012_search). SQLite cannot take a tokenizer from
Python, so its FTS5 table holds the terms of each article's title, lead and body, written
here whenever an article is saved or deleted (the admin, its bulk actions and the newsroom
service all save or delete one article at a time). `QuerySet.update()` of those fields and
`bulk_create()` send no signals: call `index_articles()` after them.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models.signals import post_delete, post_save

from .text import fold

TABLE = "news_article_search"
FIELDS = ("title", "lead", "body")
# Letters and digits: what FTS5's unicode61 tokenizer also takes as one token.
WORD = re.compile(r"[^\W_]+")

_local = threading.local()


def normalize(text):
    """Return `text` in NFC, so that "ë" is one character, as WORD expects."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=100_000)
def term(word):
    """Return the term `word` is indexed and searched as: "Raketten" gives "raket"."""
    # A stemmer keeps state while it works: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch")
    return stemmer.stemWord(fold(word))


def terms(text):
    """Return the terms of the words of `text`, in order."""
    return [term(match[0]) for match in WORD.finditer(normalize(text))]


def _uses_fts(using):
    return connections[using].vendor == "sqlite"


def index_articles(articles, using="default"):
    """Write the terms of `articles` into SQLite's index (nothing to do on PostgreSQL)."""
    if not _uses_fts(using):
        return
    rows = [(a.pk, *(" ".join(terms(getattr(a, f) or "")) for f in FIELDS)) for a in articles]
    with connections[using].cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [row[:1] for row in rows])
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, lead, body) VALUES (%s, %s, %s, %s)", rows
        )


def _saved(sender, instance, using, update_fields=None, **kwargs):
    if update_fields is not None and not set(FIELDS) & set(update_fields):
        return
    index_articles([instance], using)


def _deleted(sender, instance, using, **kwargs):
    if _uses_fts(using):
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [instance.pk])


def connect():
    from .models import Article

    post_save.connect(_saved, sender=Article, dispatch_uid="search-index-save")
    post_delete.connect(_deleted, sender=Article, dispatch_uid="search-index-delete")
