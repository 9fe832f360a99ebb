"""Request limits and the login lockout page; the rest of the protection is in settings."""

import logging

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse

log = logging.getLogger(__name__)

TOO_LARGE = "Het verzoek is te groot."
BAD_REQUEST = "Ongeldig verzoek."


class RequestLimitsMiddleware:
    """Refuse what no page can answer, before any view reads it.

    - 413 for a body larger than MAX_REQUEST_BODY_SIZE, unread: Django limits form
      fields itself (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any file upload to disk;
    - 400 for a NUL character in the path or the query string: PostgreSQL refuses it
      in a query, which would otherwise end in a 500 wherever a parameter is looked up;
    - 400 for a number too large for the database, posted where a key is expected
      (SQLite raises OverflowError for it where PostgreSQL finds nothing).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > settings.MAX_REQUEST_BODY_SIZE:
            return HttpResponse(TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            return HttpResponseBadRequest(BAD_REQUEST, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Answer 400 to a number too large for the database (SQLite raises OverflowError)."""
        if isinstance(exception, OverflowError):
            log.warning("Bad request %s: %s", request.path, exception)
            return HttpResponseBadRequest(BAD_REQUEST, content_type="text/plain; charset=utf-8")
        return None


def lockout_response(request, original_response=None, credentials=None):
    """Return the Dutch page for a login refused by django-axes (settings.AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return TemplateResponse(
        request,
        "lockout.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    ).render()
