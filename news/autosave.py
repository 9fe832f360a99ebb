"""Autosave in the article form: each editor's unsaved text, kept on the server until she
saves the article or throws it away. Never the live article, never a revision."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .models import Article, AutosavedDraft
from .revisions import word_diff
from .text import dutch_date

# The form's plain text fields: not the file, the dates, the tags or the choices.
FIELDS = [
    "title", "slug", "lead", "body", "byline", "source", "image_alt", "image_caption",
    "image_credit", "seo_title", "seo_description",
]  # fmt: skip
MAX_SIZE = 1024 * 1024
TOO_LARGE = (
    "De tekst is te groot om automatisch te bewaren (meer dan 1 MB). Sla het artikel op, "
    "of maak de tekst korter."
)
NOT_ALLOWED = "U mag dit artikel niet bewerken: er wordt niets automatisch bewaard."


def urls(model_admin):
    """Return the admin URLs: keep, read and throw away the editor's own unsaved text."""
    view = model_admin.admin_site.admin_view

    @require_http_methods(["GET", "POST"])
    def keep(request, article_id=None):
        return draft_view(model_admin, request, article_id)

    @require_POST
    def discard(request, article_id=None):
        return discard_view(model_admin, request, article_id)

    return [
        path("klad/", view(keep), name="news_article_autosave_new"),
        path("klad/weggooien/", view(discard), name="news_article_autosave_discard_new"),
        path("<int:article_id>/klad/", view(keep), name="news_article_autosave"),
        path(
            "<int:article_id>/klad/weggooien/",
            view(discard),
            name="news_article_autosave_discard",
        ),
    ]


def _article(model_admin, request, article_id):
    """Return the article (None for a new one) if `request.user` may edit it, else raise."""
    if article_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied(NOT_ALLOWED)
        return None
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404("Dit artikel bestaat niet (meer).")
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied(NOT_ALLOWED)
    return article


def _refusal(message, status):
    return JsonResponse({"error": message}, status=status)


def drafts(user, article):
    return AutosavedDraft.objects.filter(user=user, article=article)


def saved_values(article):
    """Return the fields as stored: empty for a new article."""
    # The image fields belong to a new upload: the article itself has none of them.
    return {name: "" if article is None else getattr(article, name, "") or "" for name in FIELDS}


def _clean(data):
    if not isinstance(data, dict):
        return None
    return {name: str(data[name]) for name in FIELDS if isinstance(data.get(name), str)}


def draft_view(model_admin, request, article_id=None):
    """GET: the editor's own unsaved text as JSON (404: none). POST (JSON): keep it."""
    try:
        article = _article(model_admin, request, article_id)
    except PermissionDenied:
        return _refusal(NOT_ALLOWED, 403)
    if request.method == "GET":
        draft = drafts(request.user, article).first()
        if draft is None:
            return _refusal("Er is geen niet-opgeslagen tekst.", 404)
        return JsonResponse({"data": draft.data, "saved_at": draft.saved_at.isoformat()})
    # Refused before reading the body; the body is checked again in case no length was sent.
    length = request.META.get("CONTENT_LENGTH") or "0"
    if (int(length) if length.isdigit() else 0) > MAX_SIZE or len(request.body) > MAX_SIZE:
        return _refusal(TOO_LARGE, 413)
    try:
        data = _clean(json.loads(request.body))
    except ValueError:
        data = None
    if data is None:
        return _refusal("Ongeldige gegevens: er is niets bewaard.", 400)
    if all(value == saved_values(article)[name] for name, value in data.items()):
        # Typed back to what is saved: nothing to offer later.
        drafts(request.user, article).delete()
        return JsonResponse({"saved_at": None})
    now = timezone.now()
    AutosavedDraft.objects.update_or_create(
        user=request.user, article=article, defaults={"data": data, "saved_at": now}
    )
    return JsonResponse({"saved_at": now.isoformat(), "time": f"{timezone.localtime(now):%H:%M}"})


def discard_view(model_admin, request, article_id=None):
    """Throw away the editor's own unsaved text (only ever hers: nothing else to check)."""
    if not model_admin.has_view_or_change_permission(request):
        return _refusal(NOT_ALLOWED, 403)
    drafts(request.user, article_id).delete()
    return JsonResponse({"discarded": True})


def clear(user, article, *, added):
    """Forget the unsaved text once the article is saved (for a new one: the new-article text)."""
    drafts(user, article).delete()
    if added:
        drafts(user, None).delete()


def saved_when(moment, now=None):
    """Return "14:02" today, "gisteren 14:02", else "4 mei 2014 14:02" (local time)."""
    local = timezone.localtime(moment)
    today = timezone.localdate(now)
    if local.date() == today:
        return f"{local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"gisteren {local:%H:%M}"
    return f"{dutch_date(local)} {local:%H:%M}"


def offer(draft, article):
    """Return the restore offer for `draft`, or None if it holds what is saved."""
    saved = saved_values(article)
    changed = [name for name, value in draft.data.items() if name in saved and value != saved[name]]
    if not changed:
        return None
    return {
        "when": saved_when(draft.saved_at),
        "changes": [
            (Article._meta.get_field(name).verbose_name, word_diff(saved[name], draft.data[name]))
            for name in changed
        ],
        "data": {name: draft.data[name] for name in changed},
    }


def context(model_admin, request, article_id=None):
    """Return the form's context: where to autosave and, when opening it, the restore offer."""
    try:
        article_id = None if article_id is None else int(article_id)
        article = _article(model_admin, request, article_id)
    except (ValueError, PermissionDenied, Http404):
        return {}  # the admin answers for itself: read-only form or not found
    args, new = ([], "_new") if article is None else ([article.pk], "")
    autosave = {
        "url": reverse(f"admin:news_article_autosave{new}", args=args),
        "discard_url": reverse(f"admin:news_article_autosave_discard{new}", args=args),
        "delay": settings.AUTOSAVE_DELAY_MS,
        "fields": " ".join(FIELDS),
        "offer": None,
    }
    if request.method == "GET":
        draft = drafts(request.user, article).first()
        autosave["offer"] = draft and offer(draft, article)
    return {"autosave": autosave}
