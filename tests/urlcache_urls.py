"""A URLconf that mounts the site under /anders/, for tests/test_urlcache.py."""

from django.urls import include, path

urlpatterns = [path("anders/", include("news.urls"))]
