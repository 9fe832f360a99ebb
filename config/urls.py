from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Redactie"
admin.site.site_title = "Redactie"
admin.site.index_title = "Nieuwsredactie"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("news.urls")),
]
