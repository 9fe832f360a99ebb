"""A GIN index for Dutch full-text search, on PostgreSQL only.

The indexed expression is written out here, as migrations must not change with
the code, and must equal news.search.DOCUMENT for the planner to use it.
SQLite searches by containment and gets no index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "news_article_search_idx"


def _index():
    document = (
        SearchVector("title", weight="A", config="dutch")
        + SearchVector("lead", weight="B", config="dutch")
        + SearchVector("body", weight="C", config="dutch")
    )
    return GinIndex(document, name=INDEX_NAME)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("news", "Article"), _index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("news", "Article"), _index())


class Migration(migrations.Migration):
    dependencies = [("news", "0002_load_countries")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
