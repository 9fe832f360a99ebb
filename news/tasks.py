"""Background work: the renditions of library images, made off the editor's request.

The editor's save stores the cleaned original and queues `make_renditions` once it commits
(news/models/library.py); a worker process (`manage.py db_worker`, started by `make run`)
makes the renditions around the focal point, swaps them in, and refreshes every page that
shows the image. Until then readers get the cleaned original. A job that fails is tried again
after the waits of settings.RENDITION_RETRY_SECONDS, then the image is marked failed, with
the reason, for the editor to see and retry in the admin.
"""

import logging
import os
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import images

logger = logging.getLogger(__name__)

FAILED = "De versies voor lezers konden niet worden gemaakt ({attempts}× geprobeerd): {reason}"
RETRYING = "Poging {attempts} mislukt, wordt opnieuw geprobeerd: {reason}"


class RenditionsFailed(Exception):
    """The last attempt failed too: the task result records it for whoever runs the site."""


@task()
def make_renditions(image_id):
    """Make the renditions of library image `image_id` (queued when its file or focal moved)."""
    outcome = render_image(image_id, retry=True)
    if outcome == "failed":
        raise RenditionsFailed(f"image {image_id}")
    return outcome


def enqueue_renditions(image):
    """Queue new renditions of `image` (an Image or its id), e.g. the admin's "try again".

    The image shows "being processed" at once; the job is queued when the caller commits.
    """
    from .models import Image

    image_id = getattr(image, "pk", image)
    Image.objects.filter(pk=image_id).update(
        renditions_status=Image.RenditionStatus.PENDING,
        renditions_error="",
        renditions_attempts=0,
    )
    transaction.on_commit(partial(make_renditions.enqueue, image_id), robust=True)


def make_renditions_now(image):
    """Make the renditions of `image` in this process: for commands and the demo loader.

    Returns "ready", "failed" (the image says why), "superseded" or "gone"; `image` is
    reloaded with the result.
    """
    outcome = render_image(image.pk, retry=False)
    if outcome != "gone":
        image.refresh_from_db()
    return outcome


def run_queued_tasks():
    """Run every task that is due, in this process, then return: tests, scripts, demos."""
    if not transaction.get_connection().in_atomic_block:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )
        return
    # Inside a transaction (a test's): the worker's loop would close the connection.
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    while (due := DBTaskResult.objects.ready().get_locked()) is not None:
        due.claim(worker.worker_id)
        worker.run_task(due)


def render_image(image_id, *, retry):
    """Make and swap in the renditions of image `image_id`; return what happened."""
    from .models import Image

    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return "gone"
    focal = (image.focal_x, image.focal_y)
    source = (image.file.name, *focal)
    old = list(image.renditions or ())
    try:
        if not image.file:
            raise ValidationError("Er is geen bestand.")
        made = _renditions(image.file.name, focal, old, image.file.storage)
    except Exception as error:  # storage, unreadable or refused file: each is the same to us
        logger.exception("Renditions of image %s failed", image_id)
        return _failed(image, error, retry)

    with transaction.atomic():
        current = (
            Image.objects.select_for_update()
            .filter(pk=image_id)
            .values_list("file", "focal_x", "focal_y", "renditions")
            .first()
        )
        kept = {r["name"] for r in (current[3] if current else old) or ()}
        if current is None or tuple(current[:3]) != source:
            # Moved or gone while we worked: a newer job makes the renditions that count.
            unused = [r["name"] for r in made if r["name"] not in kept]
            transaction.on_commit(partial(images.delete_files, unused), robust=True)
            return "superseded" if current else "gone"
        Image.objects.filter(pk=image_id).update(
            renditions=made,
            renditions_status=Image.RenditionStatus.READY,
            renditions_error="",
            updated_at=timezone.now(),
        )
        names = {r["name"] for r in made}
        stale = [name for name in kept if name not in names]
        # Only once committed: until then pages name the old files.
        transaction.on_commit(partial(images.delete_files, stale), robust=True)
    image.refresh_from_db()
    image.touch_usages()  # pages and bodies that show it, updated_at, content version
    return "ready"


def _renditions(original_name, focal, old, storage):
    """Return the renditions of `original_name` around `focal`, reusing `old` full widths.

    Full widths do not depend on the focal point: when only the point moved, the ones
    already made of this very original are kept, and only the crops are cut again.
    """
    folder = os.path.splitext(original_name)[0] + "/"
    full = [r for r in old if r["kind"] == images.FULL and r["name"].startswith(folder)]
    if full:
        crops = [images.CROP, *images.SHARE_CROPS]
        return [*full, *images.make_renditions(original_name, focal, crops, storage=storage)]
    return images.make_renditions(original_name, focal, storage=storage)


def _failed(image, error, retry):
    """Note a failed attempt; queue the next one after a wait, or mark the image failed."""
    from .models import Image

    attempts = image.renditions_attempts + 1
    reason = _reason(error)
    waits = list(getattr(settings, "RENDITION_RETRY_SECONDS", ()))
    again = retry and attempts <= len(waits)
    Image.objects.filter(pk=image.pk).update(
        renditions_attempts=attempts,
        renditions_status=Image.RenditionStatus.PENDING if again else Image.RenditionStatus.FAILED,
        renditions_error=(RETRYING if again else FAILED).format(attempts=attempts, reason=reason),
    )
    if not again:
        return "failed"
    later = make_renditions
    if later.get_backend().supports_defer:
        later = later.using(run_after=timezone.now() + timedelta(seconds=waits[attempts - 1]))
    transaction.on_commit(partial(later.enqueue, image.pk), robust=True)
    return "retrying"


def _reason(error):
    """Return a short reason an editor can read (the log has the whole story)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, FileNotFoundError):
        return "het originele bestand is niet gevonden."
    if isinstance(error, OSError):
        return f"het bestand kon niet worden gelezen of bewaard ({error})."[:500]
    return f"{type(error).__name__}: {error}"[:500]
