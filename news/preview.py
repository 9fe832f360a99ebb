"""Staff preview of any article, draft, scheduled or unsaved, in the real article template."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from .models import Article
from .related import lees_meer


@never_cache
def article_preview(request, pk):
    user = request.user
    # Others get the same 404 as for an article that does not exist.
    if not (user.is_active and user.is_staff and user.has_perm("news.view_article")):
        raise Http404
    article = get_object_or_404(Article.objects.for_listing(), pk=pk)
    return preview_response(request, article, lees_meer(article))


def preview_response(request, article, related):
    """Render `article` as readers will see it, for the newsroom only: never kept by a cache
    or a search engine (the page says noindex too)."""
    context = {"article": article, "object": article, "lees_meer": related, "preview": True}
    response = render(request, "news/article_detail.html", context)
    add_never_cache_headers(response)  # private, no-store
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
