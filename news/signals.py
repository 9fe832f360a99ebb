"""Changes readers can see make the page cache stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .caching import bump_content_version
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


def content_changed(sender, **kwargs):
    bump_content_version()


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
