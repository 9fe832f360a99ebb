"""Changes readers can see make the page cache stale; changes to the vocabulary also make
the renders stale (news/render_cache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import edge
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


# --- The edge: what each change purges (news/edge.py) ----------------------------------

TAG_KEYS = {CountryTag: edge.country, TopicTag: edge.topic}


def article_changed(sender, instance, **kwargs):
    # Published, unpublished, moved in time or edited: its lists too, which it may have
    # entered or left (and whose counts changed).
    if edge.purging():
        tags = {
            key(pk)
            for through, key in TAG_KEYS.items()
            for pk in through.objects.filter(content_object=instance).values_list(
                "tag_id", flat=True
            )
        }
        edge.purge(edge.keys_of_article(instance) | tags)


def tagging_changed(sender, instance, **kwargs):
    # A tag row saved or deleted on its own (deleting an article deletes its rows).
    if edge.purging():
        key = TAG_KEYS[sender]
        edge.purge({edge.article(instance.content_object_id), key(instance.tag_id)})


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's countries or topics changed (or a tag's articles): the article and the
    lists it joined or left."""
    if action not in ("post_add", "post_remove", "pre_clear") or not edge.purging():
        return
    key = TAG_KEYS[sender]
    if reverse:  # `instance` is the tag, `pk_set` its articles
        articles = pk_set or sender.objects.filter(tag=instance).values_list(
            "content_object_id", flat=True
        )
        edge.purge({key(instance.pk), *map(edge.article, articles)})
        return
    tags = pk_set or sender.objects.filter(content_object=instance).values_list("tag_id", flat=True)
    edge.purge(edge.keys_of_article(instance) | set(map(key, tags)))


def pin_changed(sender, instance, **kwargs):
    # What Lees meer shows beside the article that pins.
    if edge.purging():
        edge.purge({edge.article(instance.article_id)})


def everything_changed(sender, **kwargs):
    # What every page shows (a country's or topic's name, an editors' page in the footer).
    if edge.purging():
        edge.purge({edge.SITE})


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
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(article_changed, sender=Article, dispatch_uid=f"edge-{name}-article")
        signal.connect(pin_changed, sender=PinnedArticle, dispatch_uid=f"edge-{name}-pin")
        for through in (CountryTag, TopicTag):
            signal.connect(
                tagging_changed, sender=through, dispatch_uid=f"edge-{name}-{through.__name__}"
            )
        for model in (*VOCABULARY, Page):
            signal.connect(
                everything_changed, sender=model, dispatch_uid=f"edge-{name}-{model.__name__}"
            )
    for through in (CountryTag, TopicTag):
        m2m_changed.connect(
            tags_changed, sender=through, dispatch_uid=f"edge-m2m-{through.__name__}"
        )
    for model in VOCABULARY:
        post_save.connect(
            vocabulary_changed, sender=model, dispatch_uid=f"render-save-{model.__name__}"
        )
        post_delete.connect(
            vocabulary_changed, sender=model, dispatch_uid=f"render-delete-{model.__name__}"
        )
