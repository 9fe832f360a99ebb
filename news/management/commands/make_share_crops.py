import logging

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from news import images
from news.models import Image

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Make the 4:3 and 1:1 share crops of library images stored before they existed. "
        "Safe to run again: images that have them are left alone."
    )

    def handle(self, *args, **options):
        made = 0
        # Images whose renditions are still being made get every crop from the worker.
        ready = Image.objects.filter(renditions_status=Image.RenditionStatus.READY)
        fields = ("pk", "file", "renditions", "focal_x", "focal_y")
        for image in ready.only(*fields).iterator():
            if not images.missing_share_crops(image.renditions):
                continue
            try:
                renditions = images.add_missing_share_crops(
                    image.renditions,
                    image.file.name,
                    (image.focal_x, image.focal_y),
                    storage=image.file.storage,
                )
            except (OSError, ValidationError) as error:
                logger.warning("No share crops for %s: %s", image.file.name, error)
                continue
            # Derived files, not an editor's change: no new version or revision; the pages
            # that name them are made again (their articles' updated_at is touched).
            Image.objects.filter(pk=image.pk).update(renditions=renditions)
            image.touch_usages()
            made += 1
        self.stdout.write(f"Share crops made for {made} image(s).")
