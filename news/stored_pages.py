"""A page as the page cache keeps it: the bytes and headers that left the middleware, in
one piece, compressed once (gzip and Brotli) rather than for every reader."""

import gzip
from datetime import timedelta
from functools import lru_cache

import brotli
from django.http import HttpResponse
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
# Set for each response, never copied from the stored one.
OWN_HEADERS = {"content-length", "content-encoding", "x-page-cache"}


class StoredPage:
    __slots__ = ("version", "expires", "status", "headers", "bodies")

    def __init__(self, version, expires, status, headers, bodies):
        self.version, self.expires, self.status = version, expires, status
        self.headers, self.bodies = headers, bodies

    @classmethod
    def from_response(cls, response, version, now, timeout):
        """Keep `response` (rendered under content `version`) for `timeout` seconds."""
        body = response.content  # joined: however the view wrote it, one piece
        bodies = {"identity": body}
        if len(body) >= MIN_SIZE and compressible(response.get("Content-Type")):
            bodies["br"] = brotli.compress(body, quality=BROTLI_QUALITY)
            bodies["gzip"] = gzip.compress(body, GZIP_LEVEL, mtime=0)
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = [(k, v) for k, v in response.items() if k.lower() not in OWN_HEADERS]
        return cls(version, now + timedelta(seconds=timeout), response.status_code, headers, bodies)

    def serves(self, version, now):
        """Return whether this page may answer for content `version` at `now`."""
        return self.version == version and now < self.expires

    def response(self, request, cache_state):
        """Return this page for `request`, in the encoding it accepts best."""
        encoding = choose_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""), self.bodies)
        body = self.bodies[encoding]
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
            # Another representation: its ETag is weak, as Django's GZipMiddleware makes it.
            etag = response.get("ETag")
            if etag and not etag.startswith("W/"):
                response.headers["ETag"] = "W/" + etag
        response.headers["Content-Length"] = str(len(body))
        response.headers["X-Page-Cache"] = cache_state
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            last_modified = response.get("Last-Modified")
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=last_modified and parse_http_date_safe(last_modified),
                response=response,
            )
        return response


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


def choose_encoding(header, bodies):
    accepted = _accepted(header[:200])
    for coding in ("br", "gzip"):
        if coding in bodies and (coding in accepted or "*" in accepted):
            return coding
    return "identity"
