from django import template

from .. import seo

register = template.Library()


@register.filter
def search_title(article):
    """The title search engines and link previews show (news.seo.title)."""
    return seo.title(article)


@register.filter
def search_description(article):
    """The description search engines and link previews show (news.seo.description)."""
    return seo.description(article)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical URL; empty where there is no request (the 500 page)."""
    request = context.get("request")
    return seo.canonical_url(request) if request else ""


@register.simple_tag(takes_context=True)
def share_image(context, article=None):
    """The shared image's {url, width, height, alt}; None where there is no request."""
    request = context.get("request")
    return seo.share_image(request, article) if request else None


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return seo.json_ld(seo.news_article(context["request"], article))


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)
