"""A page as the page cache keeps it: the bytes and headers that left the middleware, in
one piece, compressed once (gzip and Brotli) rather than for every reader."""

import gzip
from datetime import timedelta
from functools import lru_cache
from http import HTTPStatus

import brotli
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/feed+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)
# Smaller bodies do not get smaller.
MIN_SIZE = 256
# Fast enough to pay once per page and version, and smaller than gzip -9.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Each stored under a key of its own: a hit fetches only the bytes it sends.
CODINGS = ("br", "gzip", "identity")
# Set for each response, never copied from the stored one.
OWN_HEADERS = {
    "content-length",
    "content-encoding",
    "x-page-cache",
    "x-render-cache",
    "surrogate-control",
}
# What a 304 keeps of the page's headers (Django's get_conditional_response, RFC 9110).
NOT_MODIFIED_KEEPS = frozenset(
    ("cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary")
)


class StoredPage:
    """One representation of a page: its body in one coding ("br", "gzip" or "identity")."""

    __slots__ = ("version", "expires", "status", "headers", "body", "coding")

    def __init__(self, version, expires, status, headers, body, coding):
        self.version, self.expires, self.status = version, expires, status
        self.headers, self.body, self.coding = headers, body, coding

    @classmethod
    def from_response(cls, response, version, now, timeout):
        """Return {coding: StoredPage} for `response`, rendered under content `version` and
        kept `timeout` seconds; a page that does not compress is stored for every coding."""
        body = response.content  # joined: however the view wrote it, one piece
        bodies = dict.fromkeys(CODINGS, (body, "identity"))
        # A kept render (news/render_cache.py) comes compressed already.
        compressed = getattr(response, "compressed", None)
        if compressed is None:
            compressed = compress(body, response.get("Content-Type"))
        if compressed:
            bodies.update((coding, (data, coding)) for coding, data in compressed.items())
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [(k, v) for k, v in response.items() if k.lower() not in OWN_HEADERS]
        expires = now + timedelta(seconds=timeout)
        return {
            coding: cls(version, expires, response.status_code, headers, *bodies[coding])
            for coding in CODINGS
        }

    def serves(self, version, now):
        """Return whether this page may answer for content `version` at `now`."""
        return self.version == version and now < self.expires

    def headers_for(self, cache_state):
        """Return the headers this page is sent with, as [(name, value)]."""
        headers = list(self.headers)
        if self.coding != "identity":
            headers.append(("Content-Encoding", self.coding))
            # Another representation: its ETag is weak, as Django's GZipMiddleware makes it.
            headers = [
                (name, "W/" + value)
                if name.lower() == "etag" and not value.startswith("W/")
                else (name, value)
                for name, value in headers
            ]
        # The edge (news/edge.py) keeps the page as long as the page cache still would: never
        # past the next scheduled change.
        left = max(0, int((self.expires - timezone.now()).total_seconds()))
        headers += [
            ("Content-Length", str(len(self.body))),
            ("X-Page-Cache", cache_state),
            ("Surrogate-Control", f"max-age={left}"),
        ]
        return headers

    def not_modified(self, etags):
        """Return the headers of a 304 if `etags` (a request's If-None-Match, parsed) name
        this page, else None: Django's comparison (weak) without building a response."""
        headers = self.headers_for("hit")
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        if not etag:
            return None
        if etags != ["*"] and etag.removeprefix("W/") not in {e.removeprefix("W/") for e in etags}:
            return None
        return [(name, value) for name, value in headers if name.lower() in NOT_MODIFIED_KEEPS]

    def wsgi_response(self, cache_state):
        """Return (status line, headers, body) to answer with in front of Django."""
        status = f"{self.status} {HTTPStatus(self.status).phrase}"
        return status, self.headers_for(cache_state), self.body

    def response(self, request, cache_state):
        """Return this page for `request` (which accepts its coding)."""
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers_for(cache_state):
            response.headers[name] = value
        if conditional(request.META):
            last_modified = response.get("Last-Modified")
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=last_modified and parse_http_date_safe(last_modified),
                response=response,
            )
        return response


def conditional(meta):
    """Return whether a request (its META or WSGI environ) states a precondition."""
    return any(name in meta for name in CONDITIONS)


CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def compress(body, content_type):
    """Return {coding: bytes} of `body` in Brotli and gzip; {} where that gains nothing."""
    if len(body) < MIN_SIZE or not compressible(content_type):
        return {}
    return {
        "br": brotli.compress(body, quality=BROTLI_QUALITY),
        "gzip": gzip.compress(body, GZIP_LEVEL, mtime=0),
    }


def compressible(content_type):
    return bool(content_type) and content_type.startswith(COMPRESSIBLE)


@lru_cache(maxsize=256)
def _accepted(header):
    """Return the codings an Accept-Encoding header accepts (q > 0), lower-cased."""
    accepted = set()
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        q = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            if float(q) > 0:
                accepted.add(coding.strip())
        except ValueError:
            continue
    return frozenset(accepted)


def coding_for(request):
    """Return the coding of the representation `request` gets: "br", "gzip" or "identity"."""
    accepted = _accepted(request.META.get("HTTP_ACCEPT_ENCODING", "")[:200])
    for coding in ("br", "gzip"):
        if coding in accepted or "*" in accepted:
            return coding
    return "identity"
