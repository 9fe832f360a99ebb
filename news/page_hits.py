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

from .caching import LOOKUP_ENVIRON_KEY, lookup_page


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
                elif _conditional(environ):
                    # A feed reader polling with its ETag: 304 or the page, by Django's rules.
                    response = page.response(request, "hit")
                    start_response(
                        f"{response.status_code} {response.reason_phrase}", list(response.items())
                    )
                    return [response.content]
                else:
                    status, headers, body = page.wsgi_response("hit")
                    start_response(status, headers)
                    return [body]
        return self.application(environ, start_response)


def _conditional(environ):
    return "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
