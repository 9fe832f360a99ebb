"""Django's reverse(), remembered: every page links the same few hundred URLs again and again.

reverse() costs some 40 µs (it looks up the resolver, the language and the script prefix
each time); an article page asks for about fifty URLs. The cache key holds what the answer
depends on besides the arguments: the URLconf and the script prefix.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

SIZE = 16_384


def reverse(viewname, kwargs=None):
    """Return the path of `viewname` with `kwargs`, as django.urls.reverse does."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    items = tuple(kwargs.items()) if kwargs else ()
    return _reverse(viewname, items, urlconf, get_script_prefix())


@lru_cache(maxsize=SIZE)
def _reverse(viewname, kwargs, urlconf, prefix):
    return django_reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))
