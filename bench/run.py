"""Load the site with wrk at two database sizes and report requests/s, latency and queries.

`python -m bench.run` (or `make bench`): for 1,000 and 100,000 articles, fill a
database (kept in var/bench/ and reused), start gunicorn on loopback, and measure
each page against a static file served by the same server. Writes
var/bench/results.json and var/bench/bench.png and prints a table.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
# Cookie that sends a request past the page cache, as a logged-in editor's would.
BYPASS_COOKIE = "sessionid=bench"
BYPASS = f"Cookie: {BYPASS_COOKIE}"
PAGES = [
    # (label, url key, extra wrk header)
    ("static file", "static", None),
    ("article, cached", "article", None),
    ("article, uncached", "article", BYPASS),
    ("front page, cached", "front", None),
    ("front page, uncached", "front", BYPASS),
    ("topic page, uncached", "topic", BYPASS),
    ("feed, cached", "feed", None),
    ("feed, uncached", "feed", BYPASS),
    ("feed 304, uncached", "feed", "if-none-match"),
    ("search", "search", None),
]


def server_env(size):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/news_bench_{size}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{OUT / f'bench-{size}.sqlite3'}"
    env.update(
        DJANGO_SECRET_KEY="benchmark-only",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    return env


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip


def prepare(size, env):
    """Make sure the database for `size` holds exactly `size` published articles."""
    if env["DATABASE_URL"].startswith("postgres"):
        import psycopg

        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    manage(env, "manage.py", "migrate", "--noinput", "-v0")
    probe = json.loads(manage(env, "-m", "bench.probe", capture=True).stdout or "{}")
    if probe.get("articles") != size:
        if probe.get("articles"):
            manage(env, "manage.py", "flush", "--noinput", "-v0")
            manage(env, "manage.py", "migrate", "--noinput", "-v0")
        manage(env, "-m", "bench.fill", str(size))
        probe = json.loads(manage(env, "-m", "bench.probe", capture=True).stdout)
    return probe


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, workers):
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return base, process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def wrk(url, headers, duration, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def latency(percentile):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def stampede(base, path, n=50):
    """Send n requests for one cold page at once; return how many rendered it."""
    url = f"{base}{path}?koud={uuid.uuid4().hex}"
    barrier = threading.Barrier(n)
    results = []

    def one():
        barrier.wait()
        with urllib.request.urlopen(url, timeout=30) as response:
            results.append(response.headers["X-Page-Cache"])

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results.count("miss")


def measure(size, args):
    env = server_env(size)
    probe = prepare(size, env)
    base, server = start_server(env, args.workers)
    try:
        # The feed's ETag as this server makes it (it covers the absolute links).
        request = urllib.request.Request(
            base + probe["urls"]["feed"], headers={"Cookie": BYPASS_COOKIE}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            etag = response.headers["ETag"]
        rows = {}
        for label, key, header in PAGES:
            url = base + probe["urls"][key]
            headers = [header] if header else []
            if header == "if-none-match":
                # Past the page cache, so that the feed's own validators answer.
                headers = [f"If-None-Match: {etag}", BYPASS]
            wrk(url, headers, 1, args.connections)  # warm up
            rows[label] = wrk(url, headers, args.duration, args.connections)
        renders = stampede(base, probe["urls"]["topic"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"articles": probe["articles"], "pages": rows, "queries": probe["queries"],
            "stampede_renders": renders}  # fmt: skip


def report(results):
    sizes = sorted(results, key=int)
    small, large = sizes[0], sizes[-1]
    lines = []
    head = f"{'page':24}" + "".join(
        f"{f'{int(s):,} art. req/s':>20}{'p50 ms':>9}{'p99 ms':>9}" for s in sizes
    )
    lines.append(head + f"{'vs static':>11}{'cost x':>9}")
    for label, _, _ in PAGES:
        row = f"{label:24}"
        for size in sizes:
            page = results[size]["pages"][label]
            row += f"{page['rps']:>20,.0f}{page['p50_ms']:>9.2f}{page['p99_ms']:>9.2f}"
        static = results[large]["pages"]["static file"]["rps"]
        ratio = results[large]["pages"][label]["rps"] / static
        cost = results[small]["pages"][label]["rps"] / results[large]["pages"][label]["rps"]
        lines.append(row + f"{ratio:>11.2f}{cost:>9.2f}")
    lines.append("")
    lines.append("queries per page (uncached / cached), " + ", ".join(f"{int(s):,}" for s in sizes))
    for name in results[large]["queries"]:
        counts = "  ".join(
            f"{results[s]['queries'][name]['uncached']}/{results[s]['queries'][name]['cached']}"
            for s in sizes
        )
        lines.append(f"  {name:14} {counts}")
    lines.append(
        "stampede: 50 concurrent requests for one cold page rendered it "
        + ", ".join(f"{results[s]['stampede_renders']}x ({int(s):,})" for s in sizes)
    )
    return "\n".join(lines)


def chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results, key=int)
    labels = [label for label, _, _ in PAGES]
    fig, (left, right) = plt.subplots(1, 2, figsize=(15, 6))
    width = 0.8 / len(sizes)
    for i, size in enumerate(sizes):
        rps = [results[size]["pages"][label]["rps"] for label in labels]
        left.barh([y + i * width for y in range(len(labels))], rps, height=width,
                  label=f"{int(size):,} artikelen")  # fmt: skip
    left.set_yticks([y + width / 2 for y in range(len(labels))], labels)
    left.invert_yaxis()
    left.set_xscale("log")
    left.set_xlabel("verzoeken per seconde (log)")
    left.set_title("Verzoeken per seconde, per pagina en naast een statisch bestand")
    left.legend()
    for label in labels:
        cost = [1000 / results[size]["pages"][label]["rps"] for size in sizes]
        right.plot([int(s) for s in sizes], cost, marker="o", label=label)
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("aantal artikelen")
    right.set_ylabel("ms per verzoek (1000 / verzoeken per seconde)")
    right.set_title("Kosten tegen aantal artikelen")
    right.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--duration", type=int, default=5, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {str(size): measure(size, args) for size in args.sizes}
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    table = report(results)
    (OUT / "results.txt").write_text(table + "\n")
    chart(results, OUT / "bench.png")
    print(table)
    print(f"\nWritten: {OUT / 'results.json'}, {OUT / 'results.txt'}, {OUT / 'bench.png'}")


if __name__ == "__main__":
    main()
