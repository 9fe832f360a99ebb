"""The newsroom: the Django admin, in Dutch."""

from django.contrib import admin
from taggit.models import Tag

from . import articles, pages, vocabulary  # noqa: F401  (registers the model admins)

# Our vocabularies have their own tables; taggit's generic tags are unused.
admin.site.unregister(Tag)
