"""Merging topics, and keeping the merged topics' links and feeds alive."""

from functools import wraps

from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import TopicAlias, TopicTag


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
        TopicAlias.objects.update_or_create(slug=topic.slug, defaults={"topic": target})
        topic.delete()
    TopicAlias.objects.filter(slug=target.slug).delete()
    return moved


def follow_topic_alias(view):
    """Answer 301 to the surviving topic's URL when a merged topic's slug is asked for."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            alias = TopicAlias.objects.filter(slug=kwargs.get("slug")).select_related("topic")
            alias = alias.first()
            if alias is None:
                raise
            url = reverse(
                request.resolver_match.view_name, kwargs={**kwargs, "slug": alias.topic.slug}
            )
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return wrapper
