"""What search engines and link previews read: canonical URLs, share images, JSON-LD."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from . import images
from .text import ELLIPSIS, teaser

DEFAULT_IMAGE = "img/share.png"
LOGO = "img/logo.png"
# Query parameters that select different content; anything else (tracking
# parameters, typos) shares the canonical URL of the page without it.
CANONICAL_PARAMS = ("onderwerp", "land", "q", "page")

# django.utils.html.json_script's escapes: it only writes type="application/json".
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def canonical_url(request):
    """Return the absolute URL of this page without parameters that don't change it."""
    params = [
        (name, request.GET[name])
        for name in CANONICAL_PARAMS
        if request.GET.get(name) and not (name == "page" and request.GET[name] == "1")
    ]
    query = f"?{urlencode(params)}" if params else ""
    return request.build_absolute_uri(request.path + query)


# The site's share image (static/img/share.png), for pages without an image of their own.
DEFAULT_IMAGE_SIZE = (1200, 630)
# JSON-LD `image`: Google asks for 16:9, 4:3 and 1:1 versions of an article's image.
JSON_LD_CROPS = (images.CROP, *images.SHARE_CROPS)


def share_image(request, article=None):
    """Return {url, width, height, alt} of the image that represents `article` or the site."""
    image = lead_image(article)
    found = image.share(images.CROP) if image else None
    if found:
        # A storage on another host gives absolute URLs already; build_absolute_uri keeps them.
        url = request.build_absolute_uri(found["url"])
        return {
            "url": url,
            "width": found["width"],
            "height": found["height"],
            "alt": image.alt,
        }
    width, height = DEFAULT_IMAGE_SIZE
    url = request.build_absolute_uri(static(DEFAULT_IMAGE))
    return {"url": url, "width": width, "height": height, "alt": settings.SITE_NAME}


def image_urls(request, article=None):
    """Return absolute URLs of `article`'s 16:9, 4:3 and 1:1 crops, else of its whole image,
    else of the site's image."""
    image = lead_image(article)
    renditions = image.renditions if image else None
    found = [images.share(renditions, kind) for kind in JSON_LD_CROPS]
    urls = [request.build_absolute_uri(images.url(r)) for r in found if r]
    if not urls and image:  # no crops (yet): the whole image, or its cleaned original
        urls = [request.build_absolute_uri(image.share(images.FULL)["url"])]
    return urls or [request.build_absolute_uri(static(DEFAULT_IMAGE))]


def lead_image(article):
    """Return `article`'s library image, or None (also for no article)."""
    return article.lead_image if article is not None and article.lead_image_id else None


# Google shows at most this much of a NewsArticle's headline.
HEADLINE_LENGTH = 110


def title(article):
    """Return the title search engines and link previews show: the SEO title, else the title."""
    return article.seo_title or article.title


def description(article):
    """Return the description search engines and link previews show: the SEO description,
    else the lead's teaser."""
    return article.seo_description or teaser(article.lead)


def headline(article):
    """Return title(article) cut on a word boundary to at most HEADLINE_LENGTH characters."""
    text = " ".join(title(article).split())
    if len(text) <= HEADLINE_LENGTH:
        return text
    return teaser(text, HEADLINE_LENGTH - len(ELLIPSIS))


def is_newsroom(byline):
    """Return whether `byline` names the newsroom (or no one) rather than a person."""
    byline = (byline or "").strip().casefold()
    return not byline or byline == settings.NEWSROOM_BYLINE.strip().casefold()


def news_article(request, article):
    """Return schema.org NewsArticle data for `article`."""
    url = request.build_absolute_uri(article.get_absolute_url())
    site = {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri("/"),
        "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static(LOGO))},
    }
    author = site if is_newsroom(article.byline) else {"@type": "Person", "name": article.byline}
    # A scheduled article is saved before it appears: it was last modified no earlier.
    modified = max(filter(None, (article.updated_at, article.published_at)))
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline(article),
        "description": article.seo_description or article.lead,
        "inLanguage": "nl",
        "datePublished": timezone.localtime(article.published_at or modified).isoformat(),
        "dateModified": timezone.localtime(modified).isoformat(),
        "author": author,
        "publisher": site,
        "image": image_urls(request, article),
    }


def json_ld(data):
    """Return `data` as a JSON-LD script element that no string inside it can close."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
