"""Changes readers can see make the page cache stale; changes to the vocabulary also make
the renders stale (news/render_cache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .caching import bump_content_version, bump_vocabulary_version
from .models import (
    Article,
    Country,
    CountryTag,
    Page,
    PinnedArticle,
    Topic,
    TopicAlias,
    TopicTag,
)

WATCHED = (Article, Country, CountryTag, Page, PinnedArticle, Topic, TopicAlias, TopicTag)
# Their names and slugs show on pages whose articles did not change (a teaser's date line
# names its country), and their aliases decide where a link leads. Which tags an article
# has is named by each page that shows them.
VOCABULARY = (Country, Topic, TopicAlias)


def content_changed(sender, **kwargs):
    bump_content_version()


def vocabulary_changed(sender, **kwargs):
    bump_vocabulary_version()


def connect():
    for model in WATCHED:
        post_save.connect(
            content_changed, sender=model, dispatch_uid=f"cache-save-{model.__name__}"
        )
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"cache-delete-{model.__name__}"
        )
    for through in (CountryTag, TopicTag):
        m2m_changed.connect(
            content_changed, sender=through, dispatch_uid=f"cache-m2m-{through.__name__}"
        )
    for model in VOCABULARY:
        post_save.connect(
            vocabulary_changed, sender=model, dispatch_uid=f"render-save-{model.__name__}"
        )
        post_delete.connect(
            vocabulary_changed, sender=model, dispatch_uid=f"render-delete-{model.__name__}"
        )
