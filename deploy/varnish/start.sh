#!/bin/sh
# Varnish in the foreground in front of gunicorn on 127.0.0.1:BACKEND_PORT (`make edge`).
#
#   deploy/varnish/start.sh [LISTEN_PORT [BACKEND_PORT]] [-- more varnishd arguments]
#
# VARNISH_LISTEN (address:port), BACKEND_HOST, VARNISH_RUNDIR (its -n directory, where the
# VCL copy goes) and VARNISH_STORAGE (-s) change the defaults. VCL cannot read the
# environment: the backend's .host and .port are written into a copy of default.vcl.
# As root, varnishd runs as Debian's users varnish and vcache: the copy and the
# directories above it must be readable by them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
listen_port=6081
backend_port=${BACKEND_PORT:-8000}
if [ $# -gt 0 ] && [ "$1" != "--" ]; then listen_port=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then backend_port=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi

listen=${VARNISH_LISTEN:-127.0.0.1:$listen_port}
backend_host=${BACKEND_HOST:-127.0.0.1}
rundir=${VARNISH_RUNDIR:-/tmp/varnish-${listen##*:}}
storage=${VARNISH_STORAGE:-malloc,256m}

case $backend_port in
    '' | *[!0-9]*) echo "start.sh: the backend port '$backend_port' is not a number" >&2; exit 2 ;;
esac
command -v varnishd >/dev/null || {
    echo "start.sh: varnishd not found (apt-get install varnish varnish-modules)" >&2; exit 2; }

mkdir -p "$rundir"
chmod 0755 "$rundir"
sed -E \
    -e "s/^([[:space:]]*\.port[[:space:]]*=[[:space:]]*\")[^\"]*(\";)/\1$backend_port\2/" \
    -e "s/^([[:space:]]*\.host[[:space:]]*=[[:space:]]*\")[^\"]*(\";)/\1$backend_host\2/" \
    "$here/default.vcl" > "$rundir/default.vcl"
chmod 0644 "$rundir/default.vcl"

exec varnishd -F -a "$listen" -n "$rundir" -f "$rundir/default.vcl" -s "$storage" "$@"
