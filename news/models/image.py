"""An article's lead image, read through the library: the names templates and feeds know."""

from django.db import models


class LeadImage(models.Model):
    """Read-only views of `lead_image` under the names of the article's former image fields."""

    class Meta:
        abstract = True

    @property
    def image_renditions(self):
        """The lead image's renditions; while they are being made, the cleaned original."""
        image = self.lead_image if self.lead_image_id else None
        return image.usable_renditions() if image else []
