"""Every URL pattern of the site, and concrete URLs made from them (for the URL and CSRF sweeps)."""

import re
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from news.models import Article, Revision

# <int:pk>, <pk> (str), and (?P<year>...) with nested parentheses unrolled below.
ROUTE_PARAM = re.compile(r"(?<!\?P)<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>")


def all_routes():
    """Return [(route, name)] for every URL pattern, with its resolvers' prefixes joined."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.name

    return list(walk(get_resolver().url_patterns, ""))


def params(route):
    """Return [(name, converter)] of `route`; a regex group's converter is "regex"."""
    found = [(m["name"], m["converter"] or "str") for m in ROUTE_PARAM.finditer(route)]
    return found + [(m["name"], "regex") for m in REGEX_PARAM.finditer(route)]


def fill(route, values):
    """Return the path of `route` with each parameter replaced by values[name], URL-quoted."""

    def value(name):
        return quote(str(values[name]), safe="")

    path = ROUTE_PARAM.sub(lambda m: value(m["name"]), route)
    while (m := REGEX_PARAM.search(path)) is not None:
        depth, end = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(path[end], 0)
            end += 1
        path = path[: m.start()] + value(m["name"]) + path[end:]
    # What is left of a regex: anchors, and the admin's catch-all.
    path = path.replace("^", "").replace("$", "").replace(".*", "")
    return "/" + path


def valid_values(route, site):
    """Return values that make `route` point at something that exists."""
    article = site["article"]
    # Archive URLs name the day in the site's time zone, not in UTC.
    local = timezone.localtime(article.published_at)
    slug = {"land/": "marokko", "onderwerp/": site["topic"].slug}
    return {
        "pk": article.pk,
        "article_id": article.pk,
        "revision_id": Revision.objects.filter(article_id=article.pk).first().pk,
        "slug": next((s for p, s in slug.items() if route.startswith(p)), article.slug),
        "object_id": article.pk,
        "id": site["superuser"].pk,
        "content_type_id": ContentType.objects.get_for_model(Article).pk,
        "year": f"{local:%Y}",
        "month": f"{local:%m}",
        "day": f"{local:%d}",
        "app_label": "news",
        "url": "bestaat-niet/",
    }
