from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from news.health import healthz
from news.sitemaps import news_sitemaps, sitemap_view, sitemaps

admin.site.site_header = "Redactie"
admin.site.site_title = "Redactie"
admin.site.index_title = "Nieuwsredactie"
# The article list needs the width for its countries and topics; the breadcrumbs and the
# index lead to the rest.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap_view, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "sitemap-nieuws.xml",
        sitemap_view,
        {"sitemaps": news_sitemaps, "template_name": "news/sitemap_news.xml"},
        name="sitemap_news",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("", include("news.urls")),
]

if settings.DEBUG:
    # `make run` serves uploaded images itself; production serves them from object
    # storage or the proxy (see README, "Images").
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

# Dutch, in the site's layout, and without touching the database, which may be down.
handler500 = "news.views.server_error"
