"""Library images as lead images: checked by content, cleaned, rendered in every size by the
worker, shown responsively."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from PIL import Image

from news import images, newsroom, revisions
from news.demo.data import ARTICLES
from news.models import Article, Revision
from news.models import Image as LibraryImage
from news.tasks import make_renditions_now

from .conftest import make_article
from .imagefiles import (
    BODY_SERIAL_NUMBER,
    EXIF_IFD,
    GPS_IFD,
    SVG,
    bomb,
    camera_jpeg,
    encode,
    image_file,
    truncated_jpeg,
    upload,
)
from .library import library_image, with_image
from .library import stored as library_stored

pytestmark = pytest.mark.django_db


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def stored(article):
    return library_stored(article.lead_image)


def opened(name):
    return Image.open(Path(settings.MEDIA_ROOT) / name)


# --- What is accepted, what is refused ------------------------------------------------


@pytest.mark.parametrize(
    "fmt, options, extension",
    [
        ("JPEG", {}, "jpg"),
        ("PNG", {}, "png"),
        ("WEBP", {"quality": 90}, "webp"),
        ("GIF", {}, "png"),  # kept as a lossless PNG of its first frame
    ],
)
def test_each_accepted_format_is_stored_cleaned_with_renditions(fmt, options, extension):
    # Named .bin: the content decides, not the name.
    article = with_image(image_file(fmt, size=(700, 400), **options), name="upload.bin")
    image = article.lead_image
    assert image.file.name.startswith("afbeeldingen/")
    assert image.file.name.endswith(f".{extension}")
    assert (image.width, image.height) == (700, 400)
    assert opened(image.file.name).size == (700, 400)
    assert stored(article) <= media_files()
    assert {r["format"] for r in article.image_renditions} == {"webp", "jpeg"}


def test_transparency_survives_in_webp_and_turns_white_in_jpeg():
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 200, 300))
    article = with_image(encode(image, "PNG"), name="logo.png")
    webp = images.nearest(article.image_renditions, images.FULL, "webp", 400)
    jpeg = images.nearest(article.image_renditions, images.FULL, "jpeg", 400)
    assert opened(webp["name"]).convert("RGBA").getpixel((399, 0))[3] == 0
    assert opened(jpeg["name"]).getpixel((399, 0)) == (255, 255, 255)


# (what, file name, the reason given)
REFUSED = {
    "bomb": (bomb, "bomb.png", images.TOO_MANY_PIXELS.format(megapixels="meer dan 100")),
    "truncated": (truncated_jpeg, "half.jpg", images.DAMAGED),
    "text": (lambda: b"Dit is geen foto, maar tekst.\n" * 40, "tekst.jpg", images.NOT_AN_IMAGE),
    "svg": (lambda: SVG, "tekening.svg", images.NOT_AN_IMAGE),
    "bmp": (lambda: image_file("BMP", size=(50, 50)), "oud.jpg", images.NOT_AN_IMAGE),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_what_is_not_a_safe_image_is_refused_with_a_dutch_reason(kind):
    make, name, message = REFUSED[kind]
    with pytest.raises(ValidationError) as refused:
        images.check(upload(make(), name))
    assert refused.value.messages == [message]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_more_than_50_megapixels_is_refused_before_decoding():
    with pytest.raises(ValidationError) as refused:
        images.check(upload(bomb(size=(8000, 7000)), "groot.png"))
    assert refused.value.messages == [images.TOO_MANY_PIXELS.format(megapixels=56)]


def test_more_than_20_megabytes_is_refused_before_opening():
    content = b"\xff\xd8" + b"\0" * (20 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        images.check(upload(content, "groot.jpg"))
    assert refused.value.messages == [images.TOO_MANY_BYTES.format(megabytes="20,0")]


def test_saving_an_unchecked_bad_file_fails_and_stores_nothing():
    image = LibraryImage(file=upload(truncated_jpeg(), "half.jpg"), alt="Half.")
    with pytest.raises(ValidationError):
        image.save()
    assert media_files() == set() and not LibraryImage.objects.exists()


def test_an_image_needs_alt_text():
    image = LibraryImage(file="afbeeldingen/2026/01/foto.jpg")
    with pytest.raises(ValidationError) as refused:
        image.full_clean()
    assert "alt" in refused.value.message_dict
    image.alt = "Een foto."
    image.full_clean()


# --- Cleaning ------------------------------------------------------------------------


def test_exif_orientation_is_applied_and_gps_and_serial_are_gone_from_every_file():
    article = with_image(camera_jpeg(size=(1600, 1000)))
    # Orientation 6 shows the picture turned clockwise: the red left half is now on top.
    assert (article.lead_image.width, article.lead_image.height) == (1000, 1600)
    uncropped = {article.lead_image.file.name} | {
        r["name"] for r in article.image_renditions if r["kind"] == images.FULL
    }
    for name in stored(article):
        image = opened(name)
        if name in uncropped:
            width, height = image.size
            top = image.convert("RGB").getpixel((width // 2, 5))
            bottom = image.convert("RGB").getpixel((width // 2, height - 5))
            assert height > width, name
            assert top[0] > 150 and top[2] < 100, name  # red
            assert bottom[2] > 150 and bottom[0] < 100, name  # blue
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD), name
        assert BODY_SERIAL_NUMBER not in exif.get_ifd(EXIF_IFD), name
        assert not set(image.info) & {"exif", "xmp", "icc_profile", "comment"}, name
        content = (Path(settings.MEDIA_ROOT) / name).read_bytes()
        assert b"SN-0042" not in content and b"xmpmeta" not in content, name


# --- Renditions ----------------------------------------------------------------------


def test_renditions_have_every_width_up_to_the_original_in_webp_and_jpeg():
    article = with_image(image_file(size=(1600, 1000)))
    found = {(r["kind"], r["format"], r["width"], r["height"]) for r in article.image_renditions}
    full = {(w, round(1000 * w / 1600)) for w in (320, 640, 960, 1280, 1600)}
    crop = {(w, round(w * 9 / 16)) for w in (320, 640, 960, 1280, 1600)}
    assert found == {
        (kind, fmt, w, h)
        for kind, sizes in ((images.FULL, full), (images.CROP, crop))
        for fmt in ("webp", "jpeg")
        for w, h in sizes
    } | {("share-4x3", "jpeg", 1200, 900), ("share-1x1", "jpeg", 1000, 1000)}
    for rendition in article.image_renditions:
        image = opened(rendition["name"])
        assert image.format == rendition["format"].upper()
        assert image.size == (rendition["width"], rendition["height"])
        assert rendition["size"] == (Path(settings.MEDIA_ROOT) / rendition["name"]).stat().st_size


def test_a_large_original_gets_the_five_widths_and_a_small_one_is_never_upscaled():
    def widths(article):
        kinds = (images.FULL, images.CROP)
        return sorted({r["width"] for r in article.image_renditions if r["kind"] in kinds})

    large = with_image(image_file(size=(2400, 1600)))
    assert widths(large) == [320, 640, 960, 1280, 1920]
    small = with_image(image_file(size=(500, 300)))
    assert widths(small) == [320, 500]
    assert all(r["height"] <= 300 for r in small.image_renditions)


def test_the_crop_is_16_by_9_also_of_a_portrait_photo():
    article = with_image(image_file(size=(900, 1200)))
    crops = images.of_kind(article.image_renditions, images.CROP, "jpeg")
    assert [(r["width"], r["height"]) for r in crops] == [(320, 180), (640, 360), (900, 506)]


# --- Replacing, removing, deleting, restoring ------------------------------------------


def test_replacing_the_file_of_a_library_image_deletes_the_old_files(
    django_capture_on_commit_callbacks,
):
    image = library_image(image_file(size=(1000, 800)))
    old = library_stored(image)
    image = LibraryImage.objects.get(pk=image.pk)
    image.file = upload(camera_jpeg(size=(800, 600)))
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert image.renditions == [] and image.renditions_status == "pending"
    make_renditions_now(image)
    assert media_files() == library_stored(image)
    assert not old & media_files()


def test_removing_the_lead_image_keeps_it_in_the_library(django_capture_on_commit_callbacks):
    article = with_image(image_file(size=(1000, 800)))
    files, image = media_files(), article.lead_image
    article = Article.objects.get(pk=article.pk)
    article.lead_image = None
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert media_files() == files and LibraryImage.objects.filter(pk=image.pk).exists()
    article.refresh_from_db()
    assert article.image_renditions == []


def test_deleting_an_unused_library_image_deletes_its_files(django_capture_on_commit_callbacks):
    image = library_image(image_file(size=(1000, 800)))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert media_files() == set()


def test_saving_without_changing_the_image_keeps_its_files(django_capture_on_commit_callbacks):
    article = with_image(image_file(size=(700, 400)))
    files = media_files()
    article = Article.objects.get(pk=article.pk)
    article.title = "Nieuwe titel"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.save()
    assert media_files() == files
    assert not any("enqueue" in repr(callback) for callback in callbacks)


def test_a_save_that_is_rolled_back_deletes_nothing():
    image = library_image(image_file(size=(700, 400)))
    old = library_stored(image)
    with pytest.raises(RuntimeError), transaction.atomic():
        image = LibraryImage.objects.get(pk=image.pk)
        image.file = upload(image_file(size=(600, 300)))
        image.save()
        raise RuntimeError
    assert old <= media_files()


def test_deleting_an_article_keeps_its_image_and_a_restore_chooses_it_again(
    django_capture_on_commit_callbacks,
):
    article = with_image(image_file(size=(700, 400)))
    revisions.record(article)
    files, image = media_files(), article.lead_image
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).delete()
    assert media_files() == files
    restored = newsroom.restore(Revision.objects.get(article_id=article.pk), None)
    assert restored.lead_image == image and not restored.image_kept
    assert len(restored.image_renditions) == 14  # 2 x 6 in WebP and JPEG, 2 share crops


def test_restoring_a_revision_whose_image_is_gone_keeps_the_current_one(
    django_capture_on_commit_callbacks,
):
    article = with_image(image_file(size=(700, 400)))
    old_revision, old_image = revisions.record(article), article.lead_image
    with django_capture_on_commit_callbacks(execute=True):
        article = with_image(camera_jpeg(size=(500, 300)), article=article)
        old_image.delete()
    with django_capture_on_commit_callbacks(execute=True):
        restored = newsroom.restore(old_revision, None)
    assert restored.image_kept
    assert restored.lead_image == article.lead_image
    assert stored(restored) <= media_files()


def test_restoring_a_revision_without_image_restores_that_choice(
    django_capture_on_commit_callbacks,
):
    article = make_article(title="Eerst zonder")
    without = revisions.record(article)
    article = with_image(image_file(size=(700, 400)), article=article)
    image, files = article.lead_image, stored(article)
    with django_capture_on_commit_callbacks(execute=True):
        restored = newsroom.restore(without, None)
    assert restored.title == "Eerst zonder" and not restored.image_kept
    assert restored.lead_image is None
    assert LibraryImage.objects.filter(pk=image.pk).exists() and files <= media_files()


def test_a_revision_from_before_the_library_finds_its_image_by_file_name():
    image = library_image(image_file(size=(700, 400)))
    article = make_article()
    revision = revisions.record(article)
    data = {k: v for k, v in revision.data.items() if k != "lead_image"}
    revision.data = {**data, "image": image.file.name, "image_alt": image.alt}
    revision.save()
    assert newsroom.restore(revision, None).lead_image == image


def test_a_lost_file_fails_visibly_instead_of_breaking_the_save():
    image = LibraryImage(file="afbeeldingen/2020/01/weg.jpg", alt="Weg.")
    image.save()
    assert make_renditions_now(image) == "failed"
    assert image.renditions_status == "failed" and image.renditions_error


# --- Pages, feeds, previews ------------------------------------------------------------


def srcset_urls(srcset):
    return [(url, int(width[:-1])) for url, width in (c.split() for c in srcset.split(", "))]


def test_the_article_page_shows_a_picture_with_srcsets_loaded_at_once(client):
    article = with_image(image_file(size=(1600, 1000)), image_kw={"caption": "Bijschrift."})
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="lead-image">') : html.index("</figure>")]
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
    img = re.search(r"<img ([^>]+)>", figure).group(1)
    expected = {
        fmt: [
            (settings.MEDIA_URL + r["name"], r["width"])
            for r in images.of_kind(article.image_renditions, images.FULL, fmt)
        ]
        for fmt in ("webp", "jpeg")
    }
    assert srcset_urls(webp.group(1)) == expected["webp"]
    assert srcset_urls(re.search(r'srcset="([^"]+)"', img).group(1)) == expected["jpeg"]
    assert 'width="960" height="600"' in img
    assert 'alt="Rood en blauw, naast elkaar."' in img
    assert "loading=" not in img and 'fetchpriority="high"' in img
    assert "Bijschrift." in figure


def test_the_front_page_leads_with_the_crop_and_teasers_load_lazily(client):
    older = with_image(image_file(size=(1600, 1000)), title="Ouder")
    newest = with_image(image_file(size=(1600, 1000)), title="Nieuwst")
    Article.objects.filter(pk=older.pk).update(published_at=newest.published_at.replace(year=2020))
    html = client.get("/").content.decode()
    top = html[html.index('<article class="top-story">') : html.index("</article>")]
    crop = images.nearest(newest.image_renditions, images.CROP, "jpeg", 960)
    assert f'src="{settings.MEDIA_URL}{crop["name"]}"' in top and 'width="960" height="540"' in top
    assert "loading=" not in top
    teaser = html[html.index('<article class="teaser has-image">') :]
    teaser = teaser[: teaser.index("</article>")]
    assert 'loading="lazy"' in teaser and re.search(r"uitsnede-\w+-320\.webp 320w", teaser)
    assert re.search(r"uitsnede-\w+-640\.webp 640w", teaser) and "960w" not in teaser
    assert 'alt=""' in teaser  # the headline says it already


def test_images_add_no_queries_to_reader_pages(client):
    plain = [make_article(title=f"Zonder {i}") for i in range(3)]
    urls = ["/", plain[0].get_absolute_url(), "/feed/", "/land/marokko/"]

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result[url] = len(queries)
        return result

    before = counts()
    for i in range(3):
        with_image(image_file(size=(400, 300)), title=f"Met {i}")
    with_image(image_file(size=(400, 300)), article=plain[0])
    cache.clear()
    assert counts() == before


def test_open_graph_and_json_ld_use_an_absolute_1200_pixel_rendition(client):
    article = with_image(image_file(size=(2400, 1600)))
    html = client.get(article.get_absolute_url()).content.decode()
    crop = images.share(article.image_renditions)
    full = images.share(article.image_renditions, images.FULL)
    assert crop["width"] == full["width"] == 1280 and crop["format"] == "jpeg"
    url = "http://testserver" + settings.MEDIA_URL + crop["name"]
    assert f'<meta property="og:image" content="{url}">' in html
    assert '<meta property="og:image:alt" content="Rood en blauw, naast elkaar.">' in html
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    shares = [images.share(article.image_renditions, kind) for kind in ("share-4x3", "share-1x1")]
    assert data["image"] == [url, *("http://testserver" + images.url(r) for r in shares)]


def test_an_article_without_image_shows_no_picture(client):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in html and "/static/img/share.png" in html


# --- The demo ------------------------------------------------------------------------


def test_the_demo_seed_article_has_its_shipped_image_once(client):
    call_command("load_demo")
    seed = Article.objects.get(title=ARTICLES[0]["title"])
    assert make_renditions_now(seed.lead_image) == "ready"  # the worker's job, done here
    files = media_files()
    call_command("load_demo")
    assert media_files() == files and LibraryImage.objects.count() == 1
    seed = Article.objects.get(title=ARTICLES[0]["title"])
    assert seed.lead_image.alt.startswith("Silhouet") and seed.image_renditions
    assert stored(seed) == files
    assert "<picture>" in client.get(seed.get_absolute_url()).content.decode()
    shipped = Path(settings.BASE_DIR, "news/demo/images/marrakech.jpg")
    assert shipped.stat().st_size < 200 * 1024
    assert max(r["width"] for r in seed.image_renditions) == 1920
