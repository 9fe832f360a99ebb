"""gunicorn's settings for `make serve` (gunicorn -c config/gunicorn.py config.wsgi), from the
environment like the rest of the configuration."""

import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)
accesslog = "-"
# Several instances on one machine would clash on the control socket in ~/.gunicorn/.
control_socket_disable = True

# gunicorn takes the scheme (X-Forwarded-Proto) and client address from these addresses'
# headers. Only behind a proxy that sets them (DJANGO_BEHIND_PROXY=1): otherwise anyone
# on this machine could claim https.
_behind_proxy = os.environ.get("DJANGO_BEHIND_PROXY", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if _behind_proxy else ""
)
