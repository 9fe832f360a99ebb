"""What each change makes stale: the kept pages that show what changed, here and at the
edge (news/caching.py `changed`, by news/edge.py's keys); changes to the vocabulary also
make the renders stale (news/render_cache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import edge
from .caching import bump_vocabulary_version, changed
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

# Their names and slugs show on pages whose articles did not change (a teaser's date line
# names its country), and their aliases decide where a link leads. Which tags an article
# has is named by each page that shows them.
VOCABULARY = (Country, Topic, TopicAlias)
TAG_KEYS = edge.tag_keys()
# Writers make new topics as they tag (countries come with the site).
NEW_TAGS = (Country, Topic)
NEW_TAG_SHOWS = {"follow", "sitemap"}


def article_changed(sender, instance, **kwargs):
    # Published, unpublished, moved in time or edited: its lists too, which it may have
    # entered or left (and whose counts changed).
    changed(edge.keys_of_articles([instance]))


def tagging_changed(sender, instance, **kwargs):
    # A tag row saved or deleted on its own (deleting an article deletes its rows).
    key = TAG_KEYS[sender]
    changed({edge.article(instance.content_object_id), key(instance.tag_id)})


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's countries or topics changed (or a tag's articles): the article and the
    lists it joined or left."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    key = TAG_KEYS[sender]
    if reverse:  # `instance` is the tag, `pk_set` its articles
        articles = pk_set or sender.objects.filter(tag=instance).values_list(
            "content_object_id", flat=True
        )
        changed({key(instance.pk), *map(edge.article, articles)})
        return
    tags = pk_set or sender.objects.filter(content_object=instance).values_list("tag_id", flat=True)
    changed(edge.keys_of_article(instance) | set(map(key, tags)))


def pin_changed(sender, instance, **kwargs):
    # What Lees meer shows beside the article that pins.
    changed({edge.article(instance.article_id)})


def everything_changed(sender, created=False, **kwargs):
    # What every page shows (a country's or topic's name, an editors' page in the footer).
    # A new country or topic shows nowhere yet but in the lists of all of them; its
    # articles' pages are stale when they are tagged with it.
    changed(NEW_TAG_SHOWS if created and sender in NEW_TAGS else {edge.SITE})


def vocabulary_changed(sender, created=False, **kwargs):
    if not (created and sender in NEW_TAGS):
        bump_vocabulary_version()


def receivers():
    """Yield (signal, receiver, sender, dispatch_uid) of every receiver here."""
    for name, signal in (("save", post_save), ("delete", post_delete)):
        yield signal, article_changed, Article, f"pages-{name}-article"
        yield signal, pin_changed, PinnedArticle, f"pages-{name}-pin"
        for through in (CountryTag, TopicTag):
            yield signal, tagging_changed, through, f"pages-{name}-{through.__name__}"
        for model in (*VOCABULARY, Page):
            yield signal, everything_changed, model, f"pages-{name}-{model.__name__}"
        for model in VOCABULARY:
            yield signal, vocabulary_changed, model, f"render-{name}-{model.__name__}"
    for through in (CountryTag, TopicTag):
        yield m2m_changed, tags_changed, through, f"pages-m2m-{through.__name__}"


def connect():
    for signal, receiver, sender, uid in receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def disconnect():
    for signal, receiver, sender, uid in receivers():
        signal.disconnect(receiver, sender=sender, dispatch_uid=uid)
