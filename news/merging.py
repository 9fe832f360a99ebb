"""Merging topics, and keeping the merged topics' links and feeds alive."""

from functools import wraps

from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import TopicAlias, TopicTag
from .models.vocabulary import name_key

# The query parameter that narrows a country's page or feed to a topic.
TOPIC_PARAM = "onderwerp"


@transaction.atomic
def merge_topics(target, topics):
    """Move every article of `topics` onto `target`, delete them; return articles moved."""
    moved = 0
    for topic in topics:
        if topic.pk == target.pk:
            continue
        # An article with both topics keeps one row, on the target.
        TopicTag.objects.filter(
            tag=topic,
            content_object__in=TopicTag.objects.filter(tag=target).values("content_object"),
        ).delete()
        moved += TopicTag.objects.filter(tag=topic).update(tag=target)
        TopicAlias.objects.filter(topic=topic).update(topic=target)
        TopicAlias.objects.update_or_create(
            slug=topic.slug, defaults={"topic": target, "name": topic.name}
        )
        topic.delete()
    TopicAlias.objects.filter(slug=target.slug).delete()
    TopicAlias.objects.filter(key=name_key(target.name)).update(name="", key="")
    return moved


def follow_topic_alias(view, in_path=True):
    """Answer 301 to the surviving topic when a merged topic's slug is asked for: in the
    URL (`in_path`, topic pages and feeds) or as `?onderwerp=` (a country narrowed to it)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            asked = request.GET.get(TOPIC_PARAM)
            survivor = _survivor(asked) if asked else None
            query = request.GET.copy()
            if survivor:
                query[TOPIC_PARAM] = survivor
            elif in_path and (survivor := _survivor(kwargs.get("slug"))):
                kwargs = {**kwargs, "slug": survivor}
            else:
                raise
            url = reverse(request.resolver_match.view_name, kwargs=kwargs)
            return HttpResponsePermanentRedirect(f"{url}?{query.urlencode()}" if query else url)

    return wrapper


def _survivor(slug):
    """Return the slug of the topic that `slug` was merged into, or None."""
    return TopicAlias.objects.filter(slug=slug).values_list("topic__slug", flat=True).first()
