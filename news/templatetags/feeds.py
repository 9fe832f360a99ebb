"""Feed autodiscovery: the <link rel="alternate"> elements in every page's <head>."""

from django import template
from django.utils.html import format_html_join

from ..feed_scope import FeedScope
from ..models import Article

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context):
    """Link the site's feeds, those of the page's scope (`feed_scope`), and those of the
    article's countries and topics."""
    scopes = [FeedScope()]
    page_scope = context.get("feed_scope")
    if isinstance(page_scope, FeedScope) and page_scope.tags:
        scopes.append(page_scope)
    article = context.get("article")
    if isinstance(article, Article):
        # Prefetched: no queries on the article page.
        for kind in (article.country_list, article.topic_list):
            scopes += [FeedScope.of(t) for t in sorted(kind, key=lambda t: t.name.lower())]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        (
            (feed.mime_type, f"{scope.title} ({feed.name})", feed.url)
            for scope in scopes
            for feed in scope.feeds
        ),
    )
