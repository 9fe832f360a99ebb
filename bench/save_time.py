"""The editor's save time for a 48-megapixel upload, now and before the worker existed.

`python -m bench.save_time [--before /tmp/before] [--rounds 3]`: posts the admin's "add
article" form with an 8000 x 6000 JPEG (noise over soft colour, about 12 MB, as a camera
writes one) to this tree and to another checkout (make one with `git worktree add /tmp/before
<commit>`), each round in a fresh process on a fresh SQLite database, the two trees
interleaved. Reports medians of the POST's wall time and of the process's peak memory (RSS)
over what it held before the POST; for this tree also the worker's job that follows (its own
process). Writes var/bench/save_time.json and prints a table.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PHOTO = OUT / "photo-48mp.jpg"
SIZE = (8000, 6000)


def make_photo(path=PHOTO, size=SIZE):
    """Write a JPEG of `size` that compresses as a photo does (not a flat test card)."""
    if path.exists():
        return path
    from PIL import Image, ImageFilter

    small = (size[0] // 8, size[1] // 8)
    colour = Image.merge("RGB", [Image.effect_noise(small, 80) for _ in range(3)])
    colour = colour.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BILINEAR)
    grain = Image.merge("RGB", [Image.effect_noise(size, 12) for _ in range(3)])
    photo = Image.blend(colour, grain, 0.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "JPEG", quality=92)
    return path


def environment(var_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "TASKS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="benchmark-only",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_VAR_DIR=str(var_dir),
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    return env


def migrated(tree, work):
    """Return a folder with a migrated SQLite database of `tree`, made once per run."""
    template = work / f"template-{abs(hash(str(tree)))}"
    if not template.exists():
        template.mkdir()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=tree,
            env=environment(template),
            check=True,
        )
    return template


def child(tree, var_dir, *args):
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(tree), *args],
        cwd=tree,
        env=environment(var_dir),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_round(tree, work, photo, worker):
    var_dir = Path(tempfile.mkdtemp(dir=work))
    shutil.copytree(migrated(tree, work), var_dir, dirs_exist_ok=True)
    result = {"save": child(tree, var_dir, "post", str(photo))}
    if worker:
        result["worker"] = child(tree, var_dir, "worker")
    shutil.rmtree(var_dir)
    return result


# --- In the child process: one Django, one request ------------------------------------


def rss_mb():
    """Return this process's peak resident memory so far, in MB (Linux's VmHWM).

    Not ru_maxrss: a child process starts with its parent's maximum there.
    """
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child_main(tree, what, *args):
    sys.path.insert(0, tree)
    import django
    from django.conf import settings

    django.setup()
    # No collectstatic in a checkout made for this: static files as they are.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    from django.contrib.auth import get_user_model
    from django.test import Client

    if what == "worker":
        from news.tasks import run_queued_tasks

        before = rss_mb()
        start = time.perf_counter()
        run_queued_tasks()
        seconds = time.perf_counter() - start
        from news.models import Image

        statuses = sorted(Image.objects.values_list("renditions_status", flat=True))
        return {"seconds": seconds, "rss_before": before, "rss_peak": rss_mb(), "ok": statuses}

    from django.core.files.uploadedfile import SimpleUploadedFile

    from news.models import Article, Country

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client = Client()
    client.force_login(user)
    client.get("/admin/news/article/add/", secure=True)  # warm: templates, admin, imports
    morocco = Country.objects.get(code="MA").pk
    data = {
        "title": "Een stuk met een grote foto",
        "slug": "een-stuk-met-een-grote-foto",
        "lead": "De intro.",
        "body": "De tekst.",
        "status": "published",
        "country": morocco,
        "countries": [morocco],
        "topics": "defensie",
        "pins-TOTAL_FORMS": "0",
        "pins-INITIAL_FORMS": "0",
        "pins-MIN_NUM_FORMS": "0",
        "pins-MAX_NUM_FORMS": "1000",
        "image_alt": "Een grote foto.",
        "image": SimpleUploadedFile("foto.jpg", Path(args[0]).read_bytes(), "image/jpeg"),
    }
    before = rss_mb()
    start = time.perf_counter()
    response = client.post("/admin/news/article/add/", data, secure=True)
    seconds = time.perf_counter() - start
    ok = response.status_code == 302 and Article.objects.filter(slug=data["slug"]).exists()
    if not ok:
        sys.stderr.write(response.content.decode()[:5000])
    return {"seconds": seconds, "rss_before": before, "rss_peak": rss_mb(), "ok": ok}


# --- The report ------------------------------------------------------------------------


def summary(rounds, part):
    found = [r[part] for r in rounds if part in r]
    if not found:
        return None
    return {
        "seconds_median": statistics.median(r["seconds"] for r in found),
        "seconds_all": [round(r["seconds"], 3) for r in found],
        "peak_rss_mb_median": statistics.median(r["rss_peak"] for r in found),
        "extra_rss_mb_median": statistics.median(r["rss_peak"] - r["rss_before"] for r in found),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="/tmp/before", help="checkout of the earlier code")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    before = Path(options.before).resolve()
    if not (before / "manage.py").exists():
        sys.exit(f"No checkout at {before}: git worktree add {before} <commit>")
    photo = make_photo()
    trees = {"now": ROOT, "before": before}
    rounds = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="save-time-") as work:
        work = Path(work)
        for number in range(options.rounds):
            # Interleaved, the order turned each round: drift hits both alike.
            order = list(trees) if number % 2 == 0 else list(reversed(trees))
            for name in order:
                result = one_round(trees[name], work, photo, worker=name == "now")
                rounds[name].append(result)
                print(f"round {number + 1} {name}: {result}", file=sys.stderr)
    report = {
        "photo": {"path": str(photo), "size": SIZE, "bytes": photo.stat().st_size},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "rounds": options.rounds,
        "now": {"save": summary(rounds["now"], "save"), "worker": summary(rounds["now"], "worker")},
        "before": {"save": summary(rounds["before"], "save")},
        "raw": rounds,
    }
    now, then = report["now"]["save"], report["before"]["save"]
    report["ratio_save_seconds"] = now["seconds_median"] / then["seconds_median"]
    report["ratio_save_extra_rss"] = now["extra_rss_mb_median"] / then["extra_rss_mb_median"]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "save_time.json").write_text(json.dumps(report, indent=2))

    megabytes = photo.stat().st_size / 1e6
    print(
        f"Admin save of an article with a {SIZE[0]}x{SIZE[1]} JPEG ({megabytes:.1f} MB), "
        f"medians of {options.rounds} rounds"
    )
    print(f"{'':24} {'seconds':>8} {'peak RSS MB':>12} {'extra MB':>9}")
    worker = report["now"]["worker"]
    rows = [("save, before", then), ("save, now", now), ("worker job, now", worker)]
    for label, row in rows:
        if row:
            print(
                f"{label:24} {row['seconds_median']:8.2f} {row['peak_rss_mb_median']:12.0f}"
                f" {row['extra_rss_mb_median']:9.0f}"
            )
    print(
        f"save time now/before: {report['ratio_save_seconds']:.2f}; "
        f"extra memory now/before: {report['ratio_save_extra_rss']:.2f}"
    )
    print(f"Written: {OUT / 'save_time.json'}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child_main(*sys.argv[2:])))
    else:
        main()
