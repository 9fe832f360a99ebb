"""The image library: each image once, with its cleaned original, focal point and renditions.

The request checks and cleans an upload and stores the original; the renditions are made
by the background worker (news.tasks.make_renditions) once the save commits. Until they
exist, readers get the cleaned original: never a broken image.
"""

import logging
import os
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import slugify

from .. import images
from ..body import refresh_articles
from ..text import single_line

logger = logging.getLogger(__name__)

# What readers see of an image: a change to one of these reaches every article using it.
VISIBLE_FIELDS = ("alt", "caption", "credit", "focal_x", "focal_y")


class Image(models.Model):
    """An image in the library, usable as lead image and in the body of any article."""

    class RenditionStatus(models.TextChoices):
        PENDING = "pending", "Wordt verwerkt"
        READY = "ready", "Klaar"
        FAILED = "failed", "Mislukt"

    file = models.ImageField(
        "bestand",
        upload_to="afbeeldingen/%Y/%m/",
        max_length=255,
        help_text="JPEG, PNG, WebP of GIF; hoogstens 20 MB en 50 megapixel. Lezers krijgen "
        "kleinere versies; de plaats- en cameragegevens in het bestand worden verwijderd.",
    )
    alt = models.CharField(
        "alt-tekst",
        max_length=250,
        help_text="Wat is erop te zien? Voor wie de afbeelding niet kan zien, bijvoorbeeld: "
        "'Twee generaals geven elkaar een hand op een vliegveld.'",
    )
    caption = models.CharField(
        "bijschrift",
        max_length=300,
        blank=True,
        help_text="Optioneel. Staat onder de afbeelding bij het artikel.",
    )
    credit = models.CharField(
        "maker",
        max_length=200,
        blank=True,
        help_text="Optioneel. Zoals het onder de afbeelding staat, bijvoorbeeld: 'Foto: ANP'.",
    )
    width = models.PositiveIntegerField("breedte", null=True, editable=False)
    height = models.PositiveIntegerField("hoogte", null=True, editable=False)
    focal_x = models.FloatField(
        "brandpunt (horizontaal)",
        default=0.5,
        help_text="0 is de linkerrand, 1 de rechterrand.",
    )
    focal_y = models.FloatField(
        "brandpunt (verticaal)",
        default=0.5,
        help_text="0 is de bovenrand, 1 de onderrand.",
    )
    # [{"kind", "format", "width", "height", "name", "size"}]: read with the image, no query.
    renditions = models.JSONField("versies", default=list, blank=True, editable=False)
    renditions_status = models.CharField(
        "verwerking",
        max_length=10,
        choices=RenditionStatus.choices,
        default=RenditionStatus.PENDING,
        editable=False,
    )
    renditions_error = models.TextField("foutmelding", blank=True, editable=False)
    renditions_attempts = models.PositiveSmallIntegerField("pogingen", default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="geüpload door",
    )
    created_at = models.DateTimeField("geüpload", auto_now_add=True)
    updated_at = models.DateTimeField("bijgewerkt", auto_now=True)

    class Meta:
        verbose_name = "afbeelding"
        verbose_name_plural = "afbeeldingen"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="news_image_created_idx")]

    def __str__(self):
        return self.caption or self.alt or os.path.basename(self.file.name or "") or "afbeelding"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember()

    def _remember(self):
        """Note what is stored, to know at the next save what changed and what to delete."""
        deferred = self.get_deferred_fields()
        if deferred & {"file", "renditions", *VISIBLE_FIELDS}:
            self._stored = None
        else:
            self._stored = {
                "file": self.file.name or "",
                "renditions": list(self.renditions or ()),
                **{name: getattr(self, name) for name in VISIBLE_FIELDS},
            }

    def _stored_state(self):
        if self._state.adding:
            return None
        stored = getattr(self, "_stored", None)
        if stored is None:  # loaded without those fields
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values("file", "renditions", *VISIBLE_FIELDS)
                .first()
            )
        return stored

    # --- Saving ----------------------------------------------------------------------

    def clean(self):
        super().clean()
        if self.file and not (self.alt or "").strip():
            raise ValidationError({"alt": images.MISSING_ALT})
        for name in ("focal_x", "focal_y"):
            value = getattr(self, name)
            if value is None or not 0 <= value <= 1:
                raise ValidationError({name: "Het brandpunt ligt op de afbeelding: 0 tot 1."})

    def save(self, *args, **kwargs):
        for name in ("alt", "caption", "credit"):
            setattr(self, name, single_line(getattr(self, name)))
        self.focal_x, self.focal_y = (_unit(self.focal_x), _unit(self.focal_y))
        stored = self._stored_state()
        new_file = bool(self.file) and not self.file._committed
        stale = []
        if new_file:
            if stored:
                stale = [stored["file"], *(r["name"] for r in stored["renditions"])]
            self._store_upload(self.file.file)
        focal_moved = bool(stored) and (stored["focal_x"], stored["focal_y"]) != (
            self.focal_x,
            self.focal_y,
        )
        # A new row naming a stored file without renditions (a test, a script) needs them too.
        wanted = new_file or focal_moved or (stored is None and not self.renditions)
        if wanted:
            # The worker replaces the list; until then readers get the cleaned original
            # (a new file) or the renditions of the previous focal point (same pixels).
            self.renditions_status = self.RenditionStatus.PENDING
            self.renditions_error = ""
            self.renditions_attempts = 0
            if new_file:
                self.renditions = []
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (new_file or wanted):
            kwargs["update_fields"] = {
                *update_fields,
                "file", "width", "height", "renditions", "renditions_status",
                "renditions_error", "renditions_attempts",
            }  # fmt: skip
        super().save(*args, **kwargs)
        current = {self.file.name, *(r["name"] for r in self.renditions or ())}
        stale = [name for name in stale if name and name not in current]
        if stale:
            # Only once the new state is committed: a rolled-back save still shows the old files.
            transaction.on_commit(partial(images.delete_files, stale), robust=True)
        if wanted:
            transaction.on_commit(partial(enqueue_renditions, self.pk), robust=True)
        if stored and any(stored[name] != getattr(self, name) for name in VISIBLE_FIELDS):
            self.touch_usages()
        elif stored and new_file:
            self.touch_usages()
        self._remember()

    def _store_upload(self, upload):
        """Check and clean the upload, and store the cleaned original in its place."""
        # The admin form has checked (and decoded) the upload already; other callers have not.
        decoded = getattr(upload, "checked_image", None) or images.check(upload)
        upload.checked_image = None  # let the decoded pixels go once cleaned
        source_format = decoded.format
        pixels = images.clean(decoded)
        del decoded
        content, extension = images.encode_original(pixels, source_format)
        self.width, self.height = pixels.size
        del pixels
        name = f"{_stem(getattr(self, 'name_stem', '') or upload.name)}-{images.digest(content)}"
        self.file.save(f"{name}.{extension}", ContentFile(content), save=False)

    def reprocess(self):
        """Ask the worker for the renditions again (after a failure, or to be sure)."""
        from ..tasks import enqueue_renditions as enqueue

        enqueue(self)
        self.refresh_from_db()

    def delete(self, *args, **kwargs):
        # Body images are a many-to-many, which Django would simply unlink: refuse as the
        # lead image's PROTECT does.
        in_body = list(self.in_body_of.all()[:20]) if self.pk else []
        if in_body:
            raise models.ProtectedError(
                "Deze afbeelding staat in de tekst van een artikel.", set(in_body)
            )
        return super().delete(*args, **kwargs)

    # --- Who uses it -----------------------------------------------------------------

    def usages(self):
        """Return the articles using this image, as lead image or in their body."""
        from .article import Article

        if self.pk is None:
            return Article.objects.none()
        ids = models.Q(lead_image=self) | models.Q(body_images=self)
        return Article.objects.filter(pk__in=Article.objects.filter(ids).values("pk")).order_by(
            "-updated_at", "-pk"
        )

    def touch_usages(self):
        """Show readers what changed: the articles using this image are made again (their
        bodies re-rendered, updated_at touched) and the page cache's version bumped."""
        refresh_articles(self)

    # --- What readers get ------------------------------------------------------------

    def usable_renditions(self):
        """Return the renditions; without any yet, the cleaned original as the only one."""
        if self.renditions:
            return self.renditions
        if not self.file:
            return []
        return [
            {
                "kind": ORIGINAL,
                "format": _format_of(self.file.name),
                "width": self.width,
                "height": self.height,
                "name": self.file.name,
                "size": None,
            }
        ]

    def picture(self, kind, max_width=None):
        """Return what a <picture> of `kind` needs (see images.picture); never a broken image.

        Without renditions of that kind (still being made, or failed), the cleaned original.
        """
        found = images.picture(self.renditions, kind, max_width) if self.renditions else None
        if found is not None or not self.file:
            return found
        return {
            "webp": "",
            "jpeg": "",
            "src": self.file.url,
            "width": self.width,
            "height": self.height,
        }

    def share(self, kind=images.CROP):
        """Return {url, width, height, size, format} of the JPEG for link previews and feeds."""
        found = images.share(self.renditions, kind) or images.share(self.renditions, images.FULL)
        if found is not None:
            return {**found, "url": images.url(found)}
        if not self.file:
            return None
        return {
            "kind": ORIGINAL,
            "format": _format_of(self.file.name),
            "width": self.width,
            "height": self.height,
            "name": self.file.name,
            "size": None,
            "url": self.file.url,
        }

    def thumbnail_full(self):
        """Return (url, width, height) of the whole image, about 640 px wide, for the admin."""
        found = images.nearest(self.renditions, images.FULL, "webp", 640)
        if found is not None:
            return images.url(found), found["width"], found["height"]
        if not self.file:
            return None
        return self.file.url, self.width, self.height

    def thumbnail(self):
        """Return (url, width, height) of a small version for the admin, or None."""
        found = images.thumbnail(self.renditions) or images.nearest(
            self.renditions, images.FULL, "webp", images.THUMBNAIL_WIDTH
        )
        if found is not None:
            return images.url(found), found["width"], found["height"]
        if not self.file:
            return None
        return self.file.url, self.width, self.height


# Stands for the cleaned original in a list of renditions, while there are none.
ORIGINAL = "original"
FORMATS_BY_EXTENSION = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}


def _format_of(name):
    return FORMATS_BY_EXTENSION.get(os.path.splitext(name or "")[1].lower(), "jpeg")


def _unit(value):
    try:
        return min(1.0, max(0.0, float(value)))
    except (TypeError, ValueError):
        return 0.5


def _stem(name):
    """Return a short file name stem: the upload's name, cut between words."""
    stem = slugify(os.path.splitext(os.path.basename(name or ""))[0])
    if len(stem) > 40:
        stem = stem[:41].rsplit("-", 1)[0]
    return stem or "afbeelding"


def enqueue_renditions(image_id):
    """Ask the background worker (news.tasks) for the renditions of image `image_id`."""
    from ..tasks import make_renditions  # the task module imports the models' module

    make_renditions.enqueue(image_id)


@receiver(post_delete, sender=Image, dispatch_uid="library-image-files")
def delete_files(sender, instance, **kwargs):
    """Delete a deleted image's original and renditions, once the deletion is committed."""
    names = [instance.file.name, *(r["name"] for r in instance.renditions or ())]
    names = [name for name in names if name]
    if names:
        transaction.on_commit(partial(images.delete_files, names), robust=True)
