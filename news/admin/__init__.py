"""The newsroom: the Django admin, in Dutch."""

from django.contrib import admin
from taggit.models import Tag

# Importing each module registers its model admins (library: the images, with focal points).
from . import articles, chooser, library, pages, vocabulary  # noqa: F401

# Our vocabularies have their own tables; taggit's generic tags are unused.
admin.site.unregister(Tag)
