"""The article form's image chooser: library images to put in the text as [[afbeelding:ID]].

static/admin/writing-aid.js opens this page in a dialog ("Afbeelding" in the toolbar) and
reads its list; opened on its own, it shows the same list with each image's code to copy.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path

from ..models import Image

PER_PAGE = 40
QUERY_LENGTH = 200


def image_chooser(request):
    """List the newest library images, or those whose alt text, caption or credit match ?q=."""
    user = request.user
    if not (user.has_perm("news.add_article") or user.has_perm("news.change_article")):
        raise PermissionDenied
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    found = Image.objects.all()
    for word in query.split():
        found = found.filter(
            Q(alt__icontains=word) | Q(caption__icontains=word) | Q(credit__icontains=word)
        )
    context = {
        **admin.site.each_context(request),
        "title": "Afbeelding kiezen",
        "images": [(image, image.thumbnail()) for image in found[:PER_PAGE]],
        "query": query,
        "is_popup": True,  # no header, menu or breadcrumbs around the list
    }
    return TemplateResponse(request, "admin/news/image_chooser.html", context)


def _with_chooser(get_urls):
    def urls():
        view = admin.site.admin_view(image_chooser)  # staff who are logged in only
        return [path("news/image/kiezen/", view, name="news_image_chooser"), *get_urls()]

    return urls


# The site's URLs are read when the URLconf first loads, after the admin modules are
# imported: the chooser goes in front of them (before the image admin's catch-all).
admin.site.get_urls = _with_chooser(admin.site.get_urls)
