"""Renditions off the request: queued on the real database backend, made by the worker.

These tests commit (transaction=True), as the site does: jobs are queued when a save commits
and the worker runs in this process (news.tasks.run_queued_tasks), on SQLite or PostgreSQL.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django_tasks_db.models import DBTaskResult
from PIL import Image as Pillow

from news import images, tasks
from news.models import Article, Image

from .conftest import form_data, make_article
from .imagefiles import image_file, upload

# serialized_rollback: the countries and groups made by migrations are back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RED, WHITE = (230, 0, 0), (255, 255, 255)


@pytest.fixture
def editor(admin_user, client):
    client.force_login(admin_user)
    return admin_user


def on_disk(name):
    return (Path(settings.MEDIA_ROOT) / name).is_file()


def queued():
    return DBTaskResult.objects.filter(task_path="news.tasks.make_renditions").count()


def post_article_with_upload(client, **overrides):
    data = form_data(
        title="Een stuk met een foto",
        slug="een-stuk-met-een-foto",
        image=upload(image_file("JPEG", size=(2400, 1600), quality=90)),
        image_alt="Rood en blauw, naast elkaar.",
        **overrides,
    )
    response = client.post("/admin/news/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Article.objects.get(slug="een-stuk-met-een-foto")


def img_tags(html):
    return re.findall(r"<img\b[^>]*>", html)


def library_image(size=(1600, 900), focal=(0.5, 0.5), marker=True):
    """Return a saved library Image: white, with a red square at the focal point."""
    picture = Pillow.new("RGB", size, WHITE)
    if marker:
        x, y = round(focal[0] * (size[0] - 1)), round(focal[1] * (size[1] - 1))
        half = max(8, size[0] // 40)  # 2.5 % of the width: a few pixels at 320 wide
        picture.paste(RED, (max(0, x - half), max(0, y - half), x + half + 1, y + half + 1))
    image = Image(alt="Een rood vierkant.", focal_x=focal[0], focal_y=focal[1])
    image.file = upload(_jpeg(picture), "vierkant.jpg")
    image.save()
    return image


def _jpeg(picture):
    from io import BytesIO

    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


# --- The request: at once, never a broken image --------------------------------------


def test_an_upload_returns_pending_and_the_page_shows_the_cleaned_original(client, editor):
    article = post_article_with_upload(client)
    image = article.lead_image
    assert image.renditions_status == "pending"
    assert image.renditions == []
    assert on_disk(image.file.name)  # the cleaned original exists when the save returns
    assert queued() == 1

    client.logout()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    tags = [tag for tag in img_tags(page) if image.file.url in tag]
    assert tags, "the lead image is shown from its cleaned original"
    assert f'width="{image.width}"' in tags[0] and f'height="{image.height}"' in tags[0]
    for src in re.findall(r'\bsrc="([^"]+)"', page):
        if src.startswith(settings.MEDIA_URL):
            assert on_disk(src.removeprefix(settings.MEDIA_URL)), src  # no broken image


def test_the_worker_makes_the_renditions_and_the_page_shows_srcsets(client, editor):
    article = post_article_with_upload(client)
    before = article.updated_at
    tasks.run_queued_tasks()

    image = Image.objects.get(pk=article.lead_image_id)
    assert image.renditions_status == "ready" and image.renditions_error == ""
    kinds = {r["kind"] for r in image.renditions}
    assert kinds == {images.FULL, images.CROP, *images.SHARE_CROPS}
    assert all(on_disk(r["name"]) for r in image.renditions)
    assert Article.objects.get(pk=article.pk).updated_at > before  # its cached page is stale

    client.logout()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "srcset=" in page
    widest = images.nearest(image.renditions, images.FULL, "webp", 1920)
    assert images.url(widest) in page


def test_a_body_image_is_refreshed_when_its_renditions_are_ready(client):
    image = library_image()
    article = make_article(body=f"Voor.\n\n[[afbeelding:{image.pk}]]\n\nNa.")
    before = Article.objects.get(pk=article.pk).updated_at
    tasks.run_queued_tasks()
    article.refresh_from_db()
    assert article.updated_at > before
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    widest = images.nearest(Image.objects.get(pk=image.pk).renditions, images.FULL, "webp", 1920)
    assert images.url(widest) in page  # the body's figure names the renditions


# --- Failing jobs: retried, then visible ---------------------------------------------


def test_a_failing_job_is_retried_then_marked_failed_with_the_reason(settings, client, editor):
    settings.RENDITION_RETRY_SECONDS = [0, 0]  # three attempts, no waiting
    image = library_image()
    default_storage.delete(image.file.name)  # the original is lost: every attempt fails
    tasks.run_queued_tasks()

    image.refresh_from_db()
    assert image.renditions_status == "failed"
    assert image.renditions_attempts == 3
    assert "niet gevonden" in image.renditions_error
    results = DBTaskResult.objects.filter(task_path="news.tasks.make_renditions")
    assert results.count() == 3  # the first job and two retries
    assert results.filter(status="FAILED").count() == 1  # the last one says so for ops

    page = client.get(f"/admin/news/image/{image.pk}/change/")
    if page.status_code == 200:  # the library's admin shows it to the editor
        assert "niet gevonden" in page.content.decode()

    # The editor's "try again", once the file is back: the worker makes them.
    default_storage.save(image.file.name, ContentFile(_jpeg(Pillow.new("RGB", (800, 600)))))
    tasks.enqueue_renditions(image)
    tasks.run_queued_tasks()
    image.refresh_from_db()
    assert image.renditions_status == "ready" and image.renditions_attempts == 0


def test_a_storage_error_is_retried_and_leaves_no_half_made_files(settings, monkeypatch):
    settings.RENDITION_RETRY_SECONDS = [0]
    image = library_image()
    saved, real_save = [], FileSystemStorage.save

    def failing_save(storage, name, content, **kwargs):
        if len(saved) == 3:
            saved.append("schijf vol")
            raise OSError("schijf vol")
        stored = real_save(storage, name, content, **kwargs)
        saved.append(stored)
        return stored

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    tasks.run_queued_tasks()

    image.refresh_from_db()
    assert image.renditions_status == "ready"
    assert image.renditions_attempts == 1  # one failed attempt, then the retry made them
    # What the failed attempt had stored is gone: only the original and the renditions remain.
    root = Path(settings.MEDIA_ROOT)
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert files == {image.file.name, *(r["name"] for r in image.renditions)}


# --- Focal point ---------------------------------------------------------------------

POINTS = [(0.5, 0.5), (0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0), (0.1, 0.85), (0.93, 0.2)]
SIZES = [(1600, 900), (1600, 1200), (900, 1600), (1000, 1000), (4000, 1000), (7, 5)]
RATIOS = {images.CROP: images.CROP_RATIO, **images.SHARE_CROPS}


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("focal", POINTS)
def test_every_crop_contains_the_focal_point_and_is_centred_on_it_where_it_can(size, focal):
    width, height = size
    x, y = min(width - 1, int(focal[0] * width)), min(height - 1, int(focal[1] * height))
    for kind, ratio in RATIOS.items():
        left, top, right, bottom = images.crop_box(size, ratio, focal)
        assert 0 <= left < right <= width and 0 <= top < bottom <= height, kind
        assert left <= x < right and top <= y < bottom, (kind, focal, size)
        assert abs((right - left) / (bottom - top) - ratio) < 0.02 or min(size) < 10
        # Centred on the point, unless an edge is in the way.
        centre_x = (left + right) / 2
        if left > 0 and right < width:
            assert abs(centre_x - focal[0] * width) <= 1
        centre_y = (top + bottom) / 2
        if top > 0 and bottom < height:
            assert abs(centre_y - focal[1] * height) <= 1


@pytest.mark.parametrize("focal", [(0.0, 0.0), (1.0, 1.0), (0.15, 0.8), (0.9, 0.1)])
def test_the_crops_the_worker_makes_show_the_focal_point(focal):
    image = library_image(size=(1600, 1200), focal=focal)
    tasks.run_queued_tasks()
    image.refresh_from_db()
    crops = [r for r in image.renditions if r["kind"] != images.FULL and r["format"] == "jpeg"]
    assert {r["kind"] for r in crops} == set(RATIOS)
    for rendition in crops:
        with default_storage.open(rendition["name"]) as file, Pillow.open(file) as picture:
            picture = picture.convert("RGB")
            assert picture.size == (rendition["width"], rendition["height"])
            if picture.width > 400:
                picture = picture.resize((400, round(400 * picture.height / picture.width)))
            red = [(r, g, b) for r, g, b in picture.getdata() if r > 150 and g < 100 and b < 100]
            assert red, f"the red focal point is not in {rendition['name']}"


def test_a_new_focal_point_gives_new_crop_names_and_the_old_crops_go():
    image = library_image(size=(1600, 1200), focal=(0.2, 0.2), marker=False)
    tasks.run_queued_tasks()
    image.refresh_from_db()
    first = {r["name"]: r["kind"] for r in image.renditions}
    digest = images.focal_digest((0.2, 0.2))
    assert all(digest in name for name, kind in first.items() if kind != images.FULL)

    image.focal_x, image.focal_y = 0.8, 0.7
    image.save()
    image.refresh_from_db()
    assert image.renditions_status == "pending"
    assert image.renditions  # readers keep the previous crops meanwhile
    tasks.run_queued_tasks()
    image.refresh_from_db()
    second = {r["name"]: r["kind"] for r in image.renditions}

    old_crops = {name for name, kind in first.items() if kind != images.FULL}
    new_crops = {name for name, kind in second.items() if kind != images.FULL}
    assert new_crops and not old_crops & new_crops
    assert all(images.focal_digest((0.8, 0.7)) in name for name in new_crops)
    assert not any(on_disk(name) for name in old_crops)  # deleted once the swap committed
    assert all(on_disk(name) for name in second)
    # The full widths do not depend on the point: kept, not made again.
    assert {n for n, k in first.items() if k == images.FULL} == {
        n for n, k in second.items() if k == images.FULL
    }


def test_a_job_for_a_focal_point_that_moved_meanwhile_changes_nothing(monkeypatch):
    image = library_image(focal=(0.2, 0.2), marker=False)
    real = images.make_renditions

    def moved_while_working(*args, **kwargs):
        made = real(*args, **kwargs)
        Image.objects.filter(pk=image.pk).update(focal_x=0.9)  # the editor clicked again
        return made

    monkeypatch.setattr(images, "make_renditions", moved_while_working)
    before = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    assert tasks.render_image(image.pk, retry=True) == "superseded"
    image.refresh_from_db()
    assert image.renditions == [] and image.renditions_status == "pending"
    after = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    assert after == before  # what it made is deleted; the next job makes the right ones


def test_make_renditions_now_works_without_a_worker():
    image = library_image()
    DBTaskResult.objects.all().delete()
    assert tasks.make_renditions_now(image) == "ready"
    assert image.renditions_status == "ready" and image.renditions
