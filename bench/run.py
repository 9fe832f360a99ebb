"""Load the site with wrk at two database sizes and report requests/s, latency and queries.

`python -m bench.run` (or `make bench`): for 1,000 and 100,000 articles, fill a
database (kept in var/bench/ and reused), start gunicorn on loopback, and measure
each page against a static file served by the same server, in interleaved rounds
(medians, with the spread). Writes var/bench/results.json and var/bench/bench.png and
prints a table.

"Cached" is what a reader gets from the page cache. "Uncached" is the request path a
reader meets after an edit elsewhere on the site: the page cache misses (every edit makes
every page stale there), and the page is served from its kept render, found by what it
shows (news/render_cache.py). It is measured on a second server that keeps no pages
(PAGE_CACHE_SECONDS=0), with a query string that differs per request, so that readers of
one cold page never wait for each other's render. "Rendered afresh" is a page whose own
content changed (or a server that keeps no renders): a third server with
RENDER_CACHE_SECONDS=0 as well, which renders every request from the database.
"""

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import closing
from pathlib import Path

from bench import edge

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
# As browsers and feed readers send it: compressed where the server can.
ACCEPT = "Accept-Encoding: br, gzip"
PAGES = [
    # (label, url key, how)
    ("static file", "static", "plain"),
    ("article, cached", "article", "cached"),
    ("article, uncached", "article", "uncached"),
    ("article, rendered afresh", "article", "afresh"),
    ("front page, cached", "front", "cached"),
    ("front page, uncached", "front", "uncached"),
    ("front page, rendered afresh", "front", "afresh"),
    ("topic page, cached", "topic", "cached"),
    ("topic page, uncached", "topic", "uncached"),
    ("topic page, rendered afresh", "topic", "afresh"),
    ("feed, cached", "feed", "cached"),
    ("feed, uncached", "feed", "uncached"),
    ("feed, rendered afresh", "feed", "afresh"),
    ("feed 304, cached", "feed", "if-none-match"),
    ("search", "search", "plain"),
]
QUERY_KINDS = ("afresh", "uncached", "cached")
# Each request a URL of its own (see the module docstring); wrk runs this per thread.
UNIQUE_QUERY = """
counter = 0
function setup(thread) thread:set("id", tostring(math.random(1, 1000000000))) end
function request()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench=" .. id .. "-" .. counter)
end
"""


def server_env(size, keep_pages=True, keep_renders=True):
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
        DJANGO_CACHE_DIR=str(OUT / "cache"),
        # Each run and server its own keys, also in a shared Redis.
        DJANGO_CACHE_KEY_PREFIX=f"bench-{size}-{uuid.uuid4().hex[:8]}",
    )
    if not keep_pages:
        env["PAGE_CACHE_SECONDS"] = "0"
    if not keep_renders:
        env["RENDER_CACHE_SECONDS"] = "0"
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
            # Start again from an empty database: a flush would also remove the countries
            # that a migration put there.
            recreate(env)
            manage(env, "manage.py", "migrate", "--noinput", "-v0")
        manage(env, "-m", "bench.fill", str(size))
        probe = json.loads(manage(env, "-m", "bench.probe", capture=True).stdout)
    return probe


def recreate(env):
    url = env["DATABASE_URL"]
    if not url.startswith("postgres"):
        Path(url.removeprefix("sqlite:///")).unlink()
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


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


def wrk(url, headers, duration, connections, script=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def latency(percentile):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    amount, unit = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", output).groups()
    per_second = float(amount) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]
    return {
        "rps": rps,
        # Headers included, as wrk counts them.
        "bytes": round(per_second / rps) if rps else 0,
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
    script = OUT / "unique-query.lua"
    script.write_text(UNIQUE_QUERY)
    cached, cached_server = start_server(env, args.workers)
    uncached, uncached_server = start_server(server_env(size, keep_pages=False), args.workers)
    afresh, afresh_server = start_server(
        server_env(size, keep_pages=False, keep_renders=False), args.workers
    )
    try:
        with urllib.request.urlopen(cached + probe["urls"]["feed"], timeout=30) as response:
            etag = response.headers["ETag"]
        rounds = {label: [] for label, _, _ in PAGES}
        for _ in range(args.rounds):
            # Interleaved: a slow moment of the machine falls on every row alike.
            for label, key, how in PAGES:
                base = {"uncached": uncached, "afresh": afresh}.get(how, cached)
                headers = [ACCEPT]
                if how == "if-none-match":
                    headers.append(f"If-None-Match: {etag}")
                unique = how in ("uncached", "afresh")
                url, lua = base + probe["urls"][key], script if unique else None
                wrk(url, headers, 1, args.connections, lua)  # warm up
                rounds[label].append(wrk(url, headers, args.duration, args.connections, lua))
        renders = stampede(cached, probe["urls"]["topic"])
    finally:
        for server in (cached_server, uncached_server, afresh_server):
            server.terminate()
            server.wait(timeout=30)
    return {
        "articles": probe["articles"],
        "pages": {label: summary(runs, rounds["static file"]) for label, runs in rounds.items()},
        "queries": probe["queries"],
        "stampede_renders": renders,
        # What one edit makes stale in Django's own page cache, on a server of its own.
        "page_cache": edge.page_cache(env, ROOT, start_server, args),
        # Varnish in front (bench/edge.py), on a server of its own once the others stopped.
        "edge": edge.measure(env, ROOT, start_server, free_port, wrk, probe["urls"], [ACCEPT], args)
        if edge.available()
        else None,
    }


def summary(runs, static_runs):
    """Medians over the rounds; the ratio to the static file is taken within each round."""
    ratios = [run["rps"] / static["rps"] for run, static in zip(runs, static_runs, strict=True)]
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
        "bytes": statistics.median(run["bytes"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "vs_static": statistics.median(ratios),
        "vs_static_min": min(ratios),
        "vs_static_max": max(ratios),
        "rounds": runs,
    }


def report(results):
    sizes = sorted(results, key=int)
    lines = []
    head = f"{'page':28}" + "".join(
        f"{f'{int(s):,} art. req/s':>20}{'p50 ms':>8}{'vs static':>11}" for s in sizes
    )
    lines.append(head + f"{'bytes':>8}")
    for label, _, _ in PAGES:
        row = f"{label:28}"
        for size in sizes:
            page = results[size]["pages"][label]
            row += f"{page['rps']:>20,.0f}{page['p50_ms']:>8.1f}{page['vs_static']:>11.3f}"
        errors = sum(results[s]["pages"][label]["errors"] for s in sizes)
        row += f"{results[sizes[-1]]['pages'][label]['bytes']:>8,}"
        lines.append(row + (f"  ({errors} non-2xx/3xx)" if errors else ""))
    lines.append("")
    lines.append(
        "queries per page (rendered afresh / uncached / cached), "
        + ", ".join(f"{int(s):,}" for s in sizes)
    )
    for name in results[sizes[-1]]["queries"]:
        counts = "  ".join(
            "/".join(str(results[s]["queries"][name][how]) for how in QUERY_KINDS) for s in sizes
        )
        lines.append(f"  {name:14} {counts}")
    lines.append(
        "stampede: 50 concurrent requests for one cold page rendered it "
        + ", ".join(f"{results[s]['stampede_renders']}x ({int(s):,})" for s in sizes)
    )
    for size in sizes:
        found = results[size]["page_cache"]
        lines.append(
            f"page cache ({int(size):,}): one edit left "
            f"{found['warm_pages'] - found['stale_after_one_edit']:,} of {found['warm_pages']:,} "
            f"warm pages hits ({100 * found['still_warm_share']:.2f}%), stale: "
            + " ".join(found["stale_pages"][:12])
        )
    for size in sizes:
        found = results[size].get("edge")
        if found is None:
            lines.append(f"edge ({int(size):,}): Varnish is not installed, not measured")
            continue
        lines.append(
            f"edge ({int(size):,}): a Varnish hit {found['hit_rps']:,.0f} req/s = "
            f"{found['hit_vs_static']:.1f}x the static file from gunicorn; one edit left "
            f"{found['warm_pages'] - found['stale_after_one_edit']:,} of {found['warm_pages']:,} "
            f"warm pages hits ({100 * found['still_warm_share']:.2f}%), stale: "
            + " ".join(found["stale_pages"][:12])
        )
    return "\n".join(lines)


def chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results, key=int)
    labels = [label for label, _, _ in PAGES]
    fig, ax = plt.subplots(figsize=(11, 6))
    width = 0.8 / len(sizes)
    for i, size in enumerate(sizes):
        pages = [results[size]["pages"][label] for label in labels]
        ratios = [page["vs_static"] for page in pages]
        spread = [
            [r - page["vs_static_min"] for r, page in zip(ratios, pages, strict=True)],
            [page["vs_static_max"] - r for r, page in zip(ratios, pages, strict=True)],
        ]
        ax.barh([y + i * width for y in range(len(labels))], ratios, height=width, xerr=spread,
                capsize=2, label=f"{int(size):,} artikelen")  # fmt: skip
    ax.axvline(1.0, color="grey", linewidth=0.8)
    ax.set_yticks([y + width / 2 for y in range(len(labels))], labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("verzoeken per seconde, als deel van het statische bestand (mediaan, spreiding)")
    ax.set_title("Elke pagina naast een statisch bestand van dezelfde server")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def machine():
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = found.group(1) if found else ""
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def meta(args):
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    database = os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0]
    return {
        "commit": commit or None,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "database": "postgresql" if database.startswith("postgres") else "sqlite",
        "cache": "redis" if os.environ.get("REDIS_URL") else "diskcache",
        "workers": args.workers,
        "connections": args.connections,
        "rounds": args.rounds,
        "seconds_per_run": args.duration,
        "machine": machine(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--duration", type=int, default=5, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {str(size): measure(size, args) for size in args.sizes}
    (OUT / "results.json").write_text(json.dumps({"meta": meta(args), **results}, indent=2))
    table = report(results)
    (OUT / "results.txt").write_text(table + "\n")
    chart(results, OUT / "bench.png")
    print(table)
    print(f"\nWritten: {OUT / 'results.json'}, {OUT / 'results.txt'}, {OUT / 'bench.png'}")


if __name__ == "__main__":
    main()
