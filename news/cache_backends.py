"""A Redis cache that degrades instead of failing: when Redis does not answer, reads miss and
writes are skipped, so pages come from the database (slower, never a 500).

After a failure the process leaves Redis alone for RETRY_SECONDS (a hung Redis would
otherwise cost every request its timeouts), then tries again. `cache_recovered` is sent
when Redis answers again after a failure, so that what could not be written meanwhile
(news.caching's content version) is written then.
"""

import logging
import threading
import time

from diskcache import DjangoCache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
cache_recovered = Signal()


class CacheUnavailable(Exception):
    """The cache did not answer; what was asked of it did not happen."""


class ReusedRedisClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool.

    Django makes a new redis.Redis for every command, and each builds its table of some
    170 response callbacks: that was two thirds of the cost of serving a cached page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Pools live as long as this object (self._pools): their ids are not reused.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def add_and_get_many(self, key, value, timeout, keys):
        """add(key, value, timeout) and get_many(keys) in one round trip (a pipeline)."""
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, self._serializer.dumps(value), ex=timeout, nx=True)
        pipeline.mget(keys)
        added, values = pipeline.execute()
        found = {
            k: self._serializer.loads(v) for k, v in zip(keys, values, strict=True) if v is not None
        }
        return bool(added), found


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient
        self._down_until = 0.0
        self._failed = False
        self._lock = threading.Lock()

    def validate_key(self, key):
        # Django warns of keys memcached would refuse; Redis takes any, and the check reads
        # every character of every key, on every page-cache hit.
        pass

    @property
    def is_up(self):
        """False while this process leaves Redis alone after a failure."""
        return time.monotonic() >= self._down_until

    def _call(self, method, *args, fallback=None, strict=False):
        if not self.is_up:
            if strict:
                raise CacheUnavailable("the cache did not answer a moment ago")
            return fallback
        try:
            result = method(*args)
        except self._cache._lib.RedisError as error:
            with self._lock:
                if not self._failed:
                    log.warning("The cache does not answer (%s); serving from the database", error)
                self._failed = True
                self._down_until = time.monotonic() + RETRY_SECONDS
            if strict:
                raise CacheUnavailable(str(error)) from error
            return fallback
        if self._failed:
            with self._lock:
                recovered, self._failed = self._failed, False
            if recovered:
                log.warning("The cache answers again")
                cache_recovered.send(sender=type(self))
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, fallback=False)

    def add_and_get_many(self, key, value, timeout, keys, version=None):
        """Return (add(key, value, timeout), get_many(keys)), asked in one round trip: the
        page cache's render lock and what a render reads next (news/caching.py)."""
        made = {self.make_and_validate_key(k, version=version): k for k in keys}
        added, found = self._call(
            self._cache.add_and_get_many,
            self.make_and_validate_key(key, version=version),
            value,
            self.get_backend_timeout(timeout),
            list(made),
            fallback=(False, {}),
        )
        return added, {made[k]: v for k, v in found.items()}

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version, fallback=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        # Strict: a counter that silently did not count is worse than an error.
        return self._call(super().incr, key, delta, version, strict=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, fallback=list(data))

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version, fallback=None)

    def clear(self):
        return self._call(super().clear, fallback=False)


class DiskCache(DjangoCache):
    """DiskCache (SQLite files shared by the worker processes), kept open between requests."""

    def close(self, **kwargs):
        # Django closes every cache after each request. Reopening DiskCache's SQLite files
        # (a connection and its pragmas per shard) cost more than serving a cached page.
        pass
