"""Cached pages answered in front of Django: a WSGI wrapper (config/wsgi.py) serves a page
cache hit before Django's handler runs, the way WhiteNoise serves static files.

On a hit, Django's handler (its request signals, the URL configuration, a response object
and its headers checked one by one) cost more than the cache look-up itself: a third of a
hit on Redis. The stored page already carries every header the middleware gave it.
Whatever is not a hit (a miss, an editor, HEAD, a host Django would refuse, anything
unexpected) goes to Django, where PageCacheMiddleware takes the
look-up made here rather than asking the cache again.
"""

from django.core.handlers.wsgi import WSGIRequest
from django.utils.http import parse_etags

from .caching import LOOKUP_ENVIRON_KEY, lookup_page
from .stored_pages import conditional


class CachedPages:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            try:
                request = WSGIRequest(environ)
                found = lookup_page(request)
            except Exception:  # noqa: BLE001 - Django answers it (a refused host: 400)
                found = None
            if found is not None:
                page, lookup = found
                if page is None:
                    environ[LOOKUP_ENVIRON_KEY] = lookup
                elif not conditional(environ):
                    return _hit(page, start_response)
                elif (etags := _if_none_match_decides(environ)) is not None:
                    # A feed reader polling with its ETag: a 304 as cheap as a hit.
                    if (headers := page.not_modified(etags)) is not None:
                        start_response("304 Not Modified", headers)
                        return [b""]
                    return _hit(page, start_response)
                else:
                    # Any other precondition: 304, 412 or the page, by Django's own rules.
                    response = page.response(request, "hit")
                    start_response(
                        f"{response.status_code} {response.reason_phrase}", list(response.items())
                    )
                    return [response.content]
        return self.application(environ, start_response)


def _hit(page, start_response):
    status, headers, body = page.wsgi_response("hit")
    start_response(status, headers)
    return [body]


def _if_none_match_decides(environ):
    """Return the ETags of the request's If-None-Match where, by Django's rules
    (get_conditional_response), they alone decide between 304 and the page; else None."""
    if "HTTP_IF_MATCH" in environ or "HTTP_IF_UNMODIFIED_SINCE" in environ:
        return None
    # Malformed (no ETag parsed): Django then looks at If-Modified-Since.
    return parse_etags(environ.get("HTTP_IF_NONE_MATCH", "")) or None
