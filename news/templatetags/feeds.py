"""Feed autodiscovery: the <link rel="alternate"> elements in every page's <head>."""

from django import template
from django.utils.html import format_html_join

from ..feeds import FORMATS, feed_path, feed_title
from ..models import Article, Country, Topic

register = template.Library()

NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


@register.simple_tag(takes_context=True)
def feed_links(context):
    """Link the site's feeds, those of the page's country or topic, and those of the article's."""
    scopes = [()]
    tag, narrowed_by = context.get("tag"), context.get("filter_tag")
    if isinstance(tag, (Country, Topic)):
        # /onderwerp/defensie/?land=marokko shows what /land/marokko/?onderwerp=defensie does.
        tags = {tag, narrowed_by} if isinstance(narrowed_by, (Country, Topic)) else {tag}
        scopes.append(tuple(sorted(tags, key=lambda t: isinstance(t, Topic))))
    article = context.get("article")
    if isinstance(article, Article):
        # Prefetched: no queries on the article page.
        for kind in (article.country_list, article.topic_list):
            scopes += [(t,) for t in sorted(kind, key=lambda t: t.name.lower())]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        (
            (FORMATS[fmt].mime_type, f"{feed_title(s)} ({name})", feed_path(s, fmt))
            for s in scopes
            for fmt, name in NAMES.items()
        ),
    )
