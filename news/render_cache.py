"""Renders kept by what they show: after an edit, a page whose content did not change is
served from its earlier render, not rendered again.

The page cache (news/caching.py) keys pages by URL and one content version, so any edit
makes every page stale. Here a render is keyed by a digest of everything the page shows:
the view names it (`inputs`: ids and `updated_at` of the articles on the page, the tags
and counts it shows), cheaply, before the costly part of the page is loaded. After an
edit only the pages whose inputs changed are rendered; the rest cost the few queries that
name their inputs. Nothing is ever invalidated: a changed page has another digest, and
old renders leave the cache by age.

The digest also holds the release (templates, code, static file names and the settings
pages show), so a deploy never serves a render of the previous one.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from .caching import render_counters
from .stored_pages import compress

# Not "news:render:", the page cache's render locks (news/caching.py LOCK_KEY).
KEY = "news:rendered:{digest}"
# The settings that reader pages and feeds show.
SHOWN_SETTINGS = (
    "SITE_NAME",
    "SITE_DESCRIPTION",
    "NEWSROOM_BYLINE",
    "FEED_TAG_AUTHORITY",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "STATIC_URL",
    "MEDIA_URL",
)
ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def release():
    """Return a digest of what renders are made of besides the content."""
    digest = hashlib.sha256()
    sources = [
        *sorted((ROOT / "templates").rglob("*.html")),
        *sorted((ROOT / "templates").rglob("*.xml")),
        *sorted((ROOT / "news").rglob("*.py")),
        *sorted((ROOT / "news").rglob("*.html")),
    ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        sources.append(manifest)
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(repr([getattr(settings, name, None) for name in SHOWN_SETTINGS]).encode())
    return digest.hexdigest()


def digest(request, params, inputs):
    """Return the key of the render of `request`'s page, or None where renders are not
    kept (editors, a cache that does not answer, RENDER_CACHE_SECONDS = 0).

    `params` names the query parameters the page uses (the rest, utm_source and the like,
    change nothing); `inputs` names the content it shows.
    """
    lookup = getattr(request, "page_cache", None)
    if lookup is None or not enabled():
        # Editors (a session) and requests PageCacheMiddleware did not look up: fresh.
        return None
    vocabulary, generation = render_counters()
    if vocabulary is None or generation is None:
        return None  # the cache does not answer: nothing to keep renders in either
    used = [(name, request.GET.getlist(name)) for name in params]
    name = repr(
        (
            release(),
            vocabulary,
            generation,
            request.scheme,
            request.get_host(),
            request.path,
            used,
            inputs,
        )
    )
    return KEY.format(digest=hashlib.sha256(name.encode()).hexdigest())


class Render:
    """A kept render: the page's bytes in one piece, compressed once, and its type."""

    __slots__ = ("body", "content_type", "compressed")

    def __init__(self, body, content_type, compressed):
        self.body, self.content_type, self.compressed = body, content_type, compressed

    def response(self):
        response = HttpResponse(self.body, content_type=self.content_type)
        # The page cache stores these rather than compressing the body again.
        response.compressed = self.compressed
        response["X-Render-Cache"] = "hit"
        return response


def enabled():
    return settings.RENDER_CACHE_SECONDS > 0


def respond(request, key, render):
    """Return the kept render for `key`, or call `render()` and return its response, to be
    kept by PageCacheMiddleware once every middleware has passed (`keep`). A `key` of
    None (see `digest`) renders afresh and keeps nothing."""
    if key is None:
        response = _rendered(render())
        response["X-Render-Cache"] = "bypass"
        return response
    found = cache.get(key)
    if found is not None:
        return found.response()
    response = _rendered(render())
    response["X-Render-Cache"] = "miss"
    if response.status_code == 200 and not response.streaming:
        response.keep_render = functools.partial(keep, key)
    return response


def keep(key, response):
    """Keep `response` under `key`, compressed once; PageCacheMiddleware calls this only for
    a page without cookies or a CSRF token, which any reader may get."""
    body = response.content  # joined: however the view wrote it, one piece
    response.compressed = compress(body, response.get("Content-Type"))
    cache.set(
        key,
        Render(body, response["Content-Type"], response.compressed),
        settings.RENDER_CACHE_SECONDS,
    )


def _rendered(response):
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response
