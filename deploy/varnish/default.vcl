vcl 4.1;

# The edge cache in front of the news site: Varnish 7 (Debian's varnish) with vmod_xkey
# (Debian's varnish-modules). Readers' pages are kept by their surrogate keys and purged
# by them (news/edge.py); editors pass. `make edge` runs it (deploy/varnish/start.sh).
#
#   backend  gunicorn on 127.0.0.1:8000; start.sh writes the port it is given into a copy
#   keys     Surrogate-Key: site a12 front     -> indexed by xkey (its header "xkey")
#   life     Surrogate-Control: max-age=N      -> how long the edge keeps the page (the
#            page cache's own life for it, never past the next scheduled change);
#            Cache-Control is for browsers (max-age=0 behind an edge: they ask again)
#   purge    PURGE + "xkey-purge: k1 k2"       -> xkey.purge; only from `purgers`
#   debug    X-Edge-Cache: HIT, MISS or PASS

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

# Who may purge: the site's own servers. Behind a TLS terminator on this host that talks
# plain HTTP to Varnish every reader comes from 127.0.0.1: it must refuse PURGE itself.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.xkey-purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "PURGE needs an xkey-purge or xkey-softpurge header"));
        }
        return (synth(200, "Purged"));
    }
    # Forms, logins, autosave: to Django untouched.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors: a Django session (or CSRF) cookie, or the editorial and account pages.
    if (req.url ~ "^/(admin|beheer|accounts)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|csrftoken)=") {
        return (pass);
    }
    # A reader: no cookie reaches Django (readers get none), so the page can be kept.
    unset req.http.Cookie;
}

sub vcl_hash {
    # Django's answer depends on the scheme a TLS terminator in front reports.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_synth {
    if (req.method == "PURGE" && resp.status == 200) {
        set resp.http.xkey-purged = req.http.xkey-purged;
        set resp.http.Content-Type = "application/json";
        set resp.http.Cache-Control = "no-store";
        set resp.body = {"{"purged": "} + req.http.xkey-purged + {"}
"};
        return (deliver);
    }
}

sub vcl_backend_fetch {
    # Always a whole page: a 304 from Django would keep the stored Surrogate-Control.
    unset bereq.http.If-None-Match;
    unset bereq.http.If-Modified-Since;
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        unset beresp.http.Surrogate-Key;
    }
    # The edge's life of the page, before the builtin rules (which would make a page with
    # Cache-Control max-age=0 a hit-for-miss).
    if (beresp.http.Surrogate-Control ~ "(?i)(^|[\s,])max-age\s*=\s*\d+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control,
                   "(?i)^(.*[\s,])?max-age\s*=\s*(\d+).*$", "\2") + "s",
            0s);
    } elsif (!beresp.http.Cache-Control && !beresp.http.Expires) {
        # Said nothing about caching (search, errors): not kept.
        set beresp.ttl = 0s;
    }
    if (beresp.ttl <= 0s) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Never keep what sets a cookie or is meant for one person.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(?i)private|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
    # A browser's max-age starts now: the edge is purged on every change.
    if (resp.http.Surrogate-Control) {
        unset resp.http.Age;
        set resp.http.Date = now;
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Surrogate-Control;
}
