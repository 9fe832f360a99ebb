"""An article's lead image: its fields, and what happens to the files when it changes."""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import slugify

from .. import images

logger = logging.getLogger(__name__)

# What changes together when an image is added, replaced or removed.
STORED_FIELDS = ("image", "image_width", "image_height", "image_renditions")


class LeadImage(models.Model):
    """The lead image of an article, with its cleaned original and renditions.

    The upload is checked, turned upright and stripped of its metadata, and its renditions
    are made, when the article is saved; replaced or removed files go once the save commits.
    """

    image = models.ImageField(
        "afbeelding",
        upload_to="afbeeldingen/%Y/%m/",
        max_length=255,
        blank=True,
        help_text="JPEG, PNG, WebP of GIF; hoogstens 20 MB en 50 megapixel. Lezers krijgen "
        "kleinere versies; de plaats- en cameragegevens in het bestand worden verwijderd.",
    )
    image_alt = models.CharField(
        "alt-tekst",
        max_length=250,
        blank=True,
        help_text="Verplicht bij een afbeelding: wat is erop te zien? Voor wie de afbeelding "
        "niet kan zien, bijvoorbeeld: 'Twee generaals geven elkaar een hand op een vliegveld.'",
    )
    image_caption = models.CharField(
        "bijschrift",
        max_length=300,
        blank=True,
        help_text="Optioneel. Staat onder de afbeelding bij het artikel.",
    )
    image_credit = models.CharField(
        "maker",
        max_length=200,
        blank=True,
        help_text="Optioneel. Zoals het onder de afbeelding staat, bijvoorbeeld: 'Foto: ANP'.",
    )
    image_width = models.PositiveIntegerField("breedte", null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField("hoogte", null=True, blank=True, editable=False)
    # [{"kind", "format", "width", "height", "name", "size"}]: read with the article, no query.
    image_renditions = models.JSONField("versies", default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_image()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_image()

    def _remember_image(self):
        """Note the stored image, to know at the next save what changed and what to delete."""
        if "image" in self.get_deferred_fields():
            self._stored_image = None
        else:
            self._stored_image = (self.image.name or "", list(self.image_renditions or ()))

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": images.MISSING_ALT})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        stale = None
        if update_fields is None or "image" in update_fields:
            stale = self._prepare_image()
            if stale is not None and update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *STORED_FIELDS}
        super().save(*args, **kwargs)
        if stale:
            # Only once the new state is committed: a rolled-back save still shows the old files.
            transaction.on_commit(partial(images.delete_files, stale), robust=True)
        self._remember_image()

    def _prepare_image(self):
        """Store a new image and its renditions; return the old files to delete, or None."""
        old_name, old_renditions = self._old_image()
        if self.image and not self.image._committed:
            self._store_upload(self.image.file)
        elif (self.image.name or "") != old_name:
            self._rebuild_renditions()  # a restored revision names another stored file
        else:
            return None
        current = {self.image.name, *(r["name"] for r in self.image_renditions)}
        old = [old_name, *(r["name"] for r in old_renditions)]
        return [name for name in old if name and name not in current]

    def _old_image(self):
        if self._state.adding:
            return "", []
        stored = getattr(self, "_stored_image", None)
        if stored is None:  # loaded without its image field
            row = (
                type(self)._base_manager.filter(pk=self.pk).values_list("image", "image_renditions")
            )
            name, renditions = row.first() or ("", [])
            stored = (name or "", renditions or [])
        return stored

    def _store_upload(self, upload):
        # The admin form has checked (and decoded) the upload already; other callers have not.
        decoded = getattr(upload, "checked_image", None) or images.check(upload)
        upload.checked_image = None  # let the decoded pixels go once cleaned
        source_format = decoded.format
        pixels = images.clean(decoded)
        del decoded
        content, extension = images.encode_original(pixels, source_format)
        stem = slugify(self.slug or self.title)
        if len(stem) > 40:  # a short name, cut between words
            stem = stem[:41].rsplit("-", 1)[0]
        stem = stem or "afbeelding"
        name = f"{stem}-{images.digest(content)}.{extension}"
        self.image.save(name, ContentFile(content), save=False)
        self._set_renditions(pixels)

    def _rebuild_renditions(self):
        """Make renditions of the stored file the image names; without one, clear the image."""
        pixels = None
        if self.image:
            try:
                with self.image.storage.open(self.image.name) as file:
                    pixels = images.clean(images.check(file))
            except (OSError, ValidationError) as error:
                logger.warning("Image %s unusable, cleared: %s", self.image.name, error)
        if pixels is None:
            self.image = ""
            self.image_width = self.image_height = None
            self.image_renditions = []
        else:
            self._set_renditions(pixels)

    def _set_renditions(self, pixels):
        self.image_width, self.image_height = pixels.size
        self.image_renditions = images.make_renditions(pixels, self.image.name)


@receiver(post_delete, sender="news.Article", dispatch_uid="lead-image-renditions")
def delete_renditions(sender, instance, **kwargs):
    """Delete a deleted article's renditions; keep its original, so a revision can restore it."""
    if instance.image_renditions:
        names = [r["name"] for r in instance.image_renditions]
        transaction.on_commit(partial(images.delete_files, names), robust=True)
