"""The heartbeat of an open article form (news/presence.py, static/admin/presence.js)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import newsroom, presence
from ..models import Article


def heartbeat_view(model_admin):
    """Return the view for ArticleAdmin.get_urls: POST tab (and leaving=1 at the end).

    Answers who else has the article open. Only for those who may open the article; only
    those who may also change it count as editing it.
    """

    @never_cache
    @require_POST
    def view(request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not model_admin.has_view_permission(request, article):
            raise PermissionDenied
        tab = request.POST.get("tab", "")
        if not presence.TAB.fullmatch(tab):
            return HttpResponseBadRequest("Onbekend tabblad.")
        if request.POST.get("leaving"):
            presence.leave(article, request.user, tab)
        elif newsroom.may_edit(request.user, article):
            presence.beat(article, request.user, tab)
        return JsonResponse({"others": presence.others(article, request.user)})

    return view
