"""Settings for the news site, read from environment variables.

Embedded defaults (SQLite, local-memory cache) need nothing installed;
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # SystemExit prints one clear line instead of a settings traceback.
        sys.exit(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

SITE_NAME = os.environ.get("SITE_NAME", "Marokko & Wereld")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION", "Nieuws over Marokko en de wereld, in het Nederlands."
)
# The byline of unsigned newsroom work ("Door Redactie"): in structured data the
# site's organisation is its author, not a person of that name. Any case matches.
NEWSROOM_BYLINE = os.environ.get("NEWSROOM_BYLINE", "Redactie")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "axes",
    "csp",
    # Background work (image renditions): Django's tasks API, backported to Django 5.2,
    # with the queue kept in the site's own database (django-tasks-db; README, "Worker").
    "django_tasks",
    "news.task_queue.TaskQueueConfig",
    "news",
]

MIDDLEWARE = [
    # First: a cached page is answered before anything else runs; it was kept with the
    # headers that all the middleware below gave it (news/caching.py).
    "news.caching.PageCacheMiddleware",
    # The security headers first: every response gets them, the limits' early 400 and
    # 413 included.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "news.security.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags on pages, and 304 for a reader who has the page already.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "news.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

if not os.environ.get("DATABASE_URL"):
    # The embedded SQLite database lives in a git-ignored folder.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writes take the lock when their transaction begins and wait up to 20 s for it:
        # two editors saving at once queue up, and the second one gets the conflict
        # message instead of "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Readers are not blocked by a writer (write-ahead log).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sites (or benchmark servers) that share one cache keep apart by this prefix.
CACHE_KEY_PREFIX = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "")
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis that is down or hangs costs readers speed,
            # never a 500 (news/cache_backends.py).
            "BACKEND": "news.cache_backends.FailSoftRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    # One machine, no server: a cache in SQLite files (DiskCache), shared by every worker
    # process, with atomic add and incr. Django's local-memory cache is one per process,
    # so a worker would go on serving a page that another worker's save made stale.
    CACHES = {
        "default": {
            "BACKEND": "news.cache_backends.DiskCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(VAR_DIR / "cache")),
            "SHARDS": 4,
            # How long one look-up waits for another worker's write; a get that waits
            # longer is a miss (the page is rendered), a write retries.
            "DATABASE_TIMEOUT": 0.1,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Anonymous readers' pages: kept this long in the cache (an edit makes them stale
# at once), max-age for browsers and a CDN, and how long a CDN may serve a stale
# copy while it fetches a fresh one.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# How long a render is kept by what it shows (news/render_cache.py); 0: not at all.
RENDER_CACHE_SECONDS = int(os.environ.get("RENDER_CACHE_SECONDS", "86400"))

# The edge cache in front (news/edge.py, deploy/varnish/): each reader response names what
# it shows in SURROGATE_KEY_HEADER ("Surrogate-Key" for Fastly and Varnish's VCL here,
# "xkey" for Varnish without it, "Cache-Tag" for Cloudflare), and Surrogate-Control gives
# the edge the page's whole life. EDGE_PURGE: "none", "varnish" (PURGE to EDGE_PURGE_URL
# with an xkey-purge header), "http" (POST to EDGE_PURGE_URL, the keys in
# EDGE_PURGE_KEY_HEADER, as Fastly's purge API takes them) or "cloudflare" (POST to
# EDGE_PURGE_URL, the keys as JSON tags); EDGE_PURGE_HEADERS adds "Name: value" lines,
# such as the API token.
SURROGATE_KEY_HEADER = os.environ.get("SURROGATE_KEY_HEADER", "Surrogate-Key")
EDGE_PURGE = os.environ.get("EDGE_PURGE", "none")
if EDGE_PURGE not in ("none", "varnish", "http", "cloudflare"):
    raise ImproperlyConfigured("EDGE_PURGE is none, varnish, http or cloudflare")
EDGE_PURGE_URL = os.environ.get("EDGE_PURGE_URL", "http://127.0.0.1:6081/")
EDGE_PURGE_KEY_HEADER = os.environ.get("EDGE_PURGE_KEY_HEADER", "Surrogate-Key")
EDGE_PURGE_HEADERS = [
    tuple(part.strip() for part in line.split(":", 1))
    for line in os.environ.get("EDGE_PURGE_HEADERS", "").splitlines()
    if ":" in line
]
# Browsers: behind a purged edge, they ask again each time (a 304 from the edge), and see
# a correction as soon as the edge has it.
PAGE_BROWSER_SECONDS = int(
    os.environ.get("PAGE_BROWSER_SECONDS", "60" if EDGE_PURGE == "none" else "0")
)
PAGE_STALE_SECONDS = int(os.environ.get("PAGE_STALE_SECONDS", "300"))

# Background tasks: queued in the site's own database (SQLite or PostgreSQL, no other
# service), run by `manage.py db_worker` (`make run` starts one). TASKS_BACKEND=immediate
# runs each task inside the request that queues it, for a machine without a worker.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS[os.environ.get("TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}
# A failed rendition job is tried again after each of these waits, then marked failed.
RENDITION_RETRY_SECONDS = [
    int(seconds) for seconds in env_list("RENDITION_RETRY_SECONDS", "30,120,600")
]

# --- Language and time ------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# Corrections to Django's Dutch: its country picker and messages ("De artikel ...").
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Feeds ------------------------------------------------------------------

# The host in feed item GUIDs (tag:HOST,DATE:artikel/ID). Set it once in
# production and never change it, or every feed reader sees every item again.
FEED_TAG_AUTHORITY = os.environ.get("FEED_TAG_AUTHORITY", "")

# --- Tags -------------------------------------------------------------------

# Topics are typed as "Verenigde Staten, defensie": split on commas only.
TAGGIT_TAGS_FROM_STRING = "news.tagging.parse_tags"
TAGGIT_STRING_FROM_TAGS = "news.tagging.join_tags"
TAGGIT_CASE_INSENSITIVE = True

# --- Newsroom -----------------------------------------------------------------

# "Karim bewerkt dit artikel sinds 14:02": an open article form reports every
# PRESENCE_HEARTBEAT_SECONDS; one not heard from for PRESENCE_TIMEOUT_SECONDS is gone.
PRESENCE_HEARTBEAT_SECONDS = int(os.environ.get("PRESENCE_HEARTBEAT_SECONDS", "20"))
PRESENCE_TIMEOUT_SECONDS = int(os.environ.get("PRESENCE_TIMEOUT_SECONDS", "60"))

# The article form keeps an editor's unsaved text this long after her last key
# (news/autosave.py); 0 turns autosave off.
AUTOSAVE_DELAY_MS = int(os.environ.get("AUTOSAVE_DELAY_MS", "3000"))

# --- Security ---------------------------------------------------------------

# Production (DEBUG off) is secure by default; `make run` (DEBUG on) serves plain http.
# Behind a proxy that terminates HTTPS, set DJANGO_BEHIND_PROXY=1 so that Django
# trusts its X-Forwarded-Proto (and axes its X-Forwarded-For), and
# DJANGO_SECURE_SSL_REDIRECT=0 if the proxy already redirects http to https.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check may come over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
# No script of ours reads either cookie (forms carry the CSRF token).
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites see where a reader came from, not which page.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The editors' admin lives here; a less obvious path keeps casual scanners away from it.
ADMIN_PATH = (os.environ.get("DJANGO_ADMIN_PATH") or "admin").strip("/") + "/"


def origin(url):
    """Return "https://host" for an absolute URL, None for a path on this site."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Content Security Policy (django-csp): only this site's own files, no inline
# scripts or styles, nothing from other sites; static and media files may come from
# the site's own CDN or object storage when STATIC_URL or MEDIA_URL is absolute.
# The admin works under the same policy: its inline data blocks
# (<script type="application/json">) are not run.
_STATIC_ORIGINS = [o for o in [origin(STATIC_URL)] if o]
_MEDIA_ORIGINS = [o for o in [origin(MEDIA_URL)] if o]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_STATIC_ORIGINS],
        "style-src": ["'self'", *_STATIC_ORIGINS],
        "img-src": ["'self'", *_STATIC_ORIGINS, *_MEDIA_ORIGINS],
        "font-src": ["'self'", *_STATIC_ORIGINS],
        "connect-src": ["'self'"],
        # The video players of embeds, loaded only when a reader clicks (news/embeds.py,
        # FRAME_ORIGINS); no other frame, not even this site's own.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Limits -------------------------------------------------------------------

# Beyond these, Django answers 400 (RequestDataTooBig, TooManyFieldsSent).
# Uploaded files do not count towards DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields (an article's text is far less)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploads larger than this are written to a temporary file rather than kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# news.security.RequestLimitsMiddleware answers 413 to a larger body before it is
# read: room for a 20 MB image and the form around it.
MAX_REQUEST_BODY_SIZE = int(os.environ.get("DJANGO_MAX_REQUEST_BODY_SIZE", 25 * 1024 * 1024))

# --- Accounts ---------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# account, or from one IP address, further tries are refused for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# No "AXES: BEGIN ..." banner on every manage.py command.
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_LOCKOUT_CALLABLE = "news.security.lockout_response"
# The lock ends when the page says it does, even if someone keeps trying meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
if BEHIND_PROXY:
    # The proxy appends the address it sees to X-Forwarded-For: the right-most
    # entry is the client's; anything to its left the client may have made up.
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own console handler would print every message a second time.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
