"""Memory stays bounded for a 50-megapixel upload: in the editor's request and in the worker.

Each case runs in a fresh Python process and reads its peak resident memory (Linux's VmHWM):
Pillow's pixels live outside Python's allocator, where tracemalloc cannot see them. The
bounds are in decoded copies of the image (Pillow keeps 4 bytes a pixel for RGB and RGBA
alike: 50 megapixels are 190 MB): the request holds one copy (two, briefly, for a photo
turned by EXIF), the worker a fraction of one. Before, the request held about three.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from news import images

from .imagefiles import ORIENTATION

ROOT = Path(__file__).resolve().parent.parent
MEGAPIXELS_50 = (8660, 5773)  # 49.99 megapixels: the most an upload may have
MB = 1024 * 1024

MEASURE = r"""
import json, sys
from django.conf import settings
settings.configure(MEDIA_ROOT=sys.argv[3])
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from news import images

def peak():
    # VmHWM, not ru_maxrss: a child starts with its parent's maximum in ru_maxrss.
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024

what, path = sys.argv[1], sys.argv[2]
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak starts from here: imports and settings are not measured
baseline = peak()
if what == "request":
    with open(path, "rb") as handle:
        upload = File(handle, name="foto")
        decoded = images.check(upload)
        source_format = decoded.format
        pixels = images.clean(decoded)
        del decoded
        content, extension = images.encode_original(pixels, source_format)
        size = pixels.size
else:
    made = images.make_renditions(path, (0.3, 0.7), storage=FileSystemStorage(sys.argv[3]))
    size = (made[0]["width"], made[0]["height"])
print(json.dumps({"baseline": baseline, "peak": peak(), "size": size}))
"""


def measure(what, path, media):
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, what, str(path), str(media)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return (result["peak"] - result["baseline"]) / MB


def photo(mode="RGB"):
    """Return a 50-megapixel image: smooth colour, like a sky, cheap to make."""
    small = (MEGAPIXELS_50[0] // 16, MEGAPIXELS_50[1] // 16)
    bands = [Image.linear_gradient("L").resize(small), Image.radial_gradient("L").resize(small)]
    bands.append(bands[0].transpose(Image.Transpose.ROTATE_180))
    if mode == "RGBA":
        bands.append(Image.radial_gradient("L").resize(small))
    return Image.merge(mode, bands).resize(MEGAPIXELS_50, Image.Resampling.BILINEAR)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    picture = photo()
    picture.save(folder / "photo.jpg", "JPEG", quality=90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    picture.save(folder / "turned.jpg", "JPEG", quality=90, exif=exif)
    photo("RGBA").save(folder / "photo.png", "PNG", compress_level=1)
    for name in ("photo.jpg", "turned.jpg", "photo.png"):
        assert (folder / name).stat().st_size <= 20 * MB, name  # an acceptable upload
    return folder


def decoded_mb():
    return MEGAPIXELS_50[0] * MEGAPIXELS_50[1] * 4 / MB


def test_the_request_holds_one_decoded_copy_of_a_50_megapixel_jpeg(files, tmp_path):
    extra = measure("request", files / "photo.jpg", tmp_path)
    assert extra < 1.25 * decoded_mb(), f"{extra:.0f} MB"


def test_a_photo_turned_by_exif_needs_two_copies_at_most(files, tmp_path):
    extra = measure("request", files / "turned.jpg", tmp_path)
    assert extra < 2.25 * decoded_mb(), f"{extra:.0f} MB"


def test_the_request_holds_one_decoded_copy_of_a_50_megapixel_png(files, tmp_path):
    extra = measure("request", files / "photo.png", tmp_path)
    assert extra < 1.25 * decoded_mb(), f"{extra:.0f} MB"


def test_the_worker_decodes_a_50_megapixel_jpeg_at_the_scale_it_needs(files, tmp_path):
    (tmp_path / "photo.jpg").write_bytes((files / "photo.jpg").read_bytes())
    extra = measure("worker", "photo.jpg", tmp_path)
    assert extra < 0.3 * decoded_mb(), f"{extra:.0f} MB"


def test_the_worker_holds_one_copy_of_a_50_megapixel_png_at_most(files, tmp_path):
    (tmp_path / "photo.png").write_bytes((files / "photo.png").read_bytes())
    extra = measure("worker", "photo.png", tmp_path)
    assert extra < 1.4 * decoded_mb(), f"{extra:.0f} MB"


def test_renditions_from_a_draft_decode_have_the_sizes_of_the_original():
    """Decoding at a quarter of the size changes no rendition's width or height."""
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 6000), (40, 90, 200)).save(buffer, "JPEG", quality=80)
    buffer.seek(0)
    image = Image.open(buffer)
    planned = images.plan(image.size, (0.3, 0.7))
    pixels, scale = images.decode_for(image, planned)
    assert pixels.width < 8000 and scale == pixels.width / 8000
    assert pixels.width >= 1920  # fine enough for the widest rendition
    sizes = {(kind, width, height) for kind, _box, width, height, _f in planned}
    assert (images.FULL, 1920, 1440) in sizes and (images.CROP, 1920, 1080) in sizes
    assert ("share-1x1", 1200, 1200) in sizes and ("share-4x3", 1200, 900) in sizes
