"""The cache backends: a Redis cache that degrades instead of failing, and DiskCache kept
open; both can tag what they keep, for the page cache's exact invalidation.

When Redis does not answer, reads miss and writes are skipped, so pages come from the
database (slower, never a 500). After a failure the process leaves Redis alone for
RETRY_SECONDS (a hung Redis would otherwise cost every request its timeouts), then tries
again. `cache_recovered` is sent when Redis answers again after a failure, so that what
could not be written meanwhile (news.caching's content version) is written then.

Tags (`set_many_tagged`, `invalidate_tags`): values kept under tags are deleted when one of
their tags is invalidated. Each invalidation is numbered (a counter the caller keeps); a
value computed from before an invalidation of one of its tags is never kept, however the
two interleave: keeping and invalidating are each atomic (a Redis transaction, an SQLite
one), and whichever comes second sees the other.
"""

import hashlib
import logging
import os
import sqlite3
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
        self._keep_tagged_script = None

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

    def set_many_tagged(self, data, timeout, tags, stamps, also, since, tag_seconds):
        """Unless a tag's stamp (in `stamps`) is above `since`: set_many(data, timeout) and
        add its keys and `also` to each set in `tags`; return whether it did. Atomic (a
        script): nobody reads what is not kept."""
        client = self.get_client(None, write=True)
        script = self._keep_tagged_script
        if script is None:
            script = self._keep_tagged_script = client.register_script(KEEP_TAGGED)
        return bool(
            script(
                keys=[*stamps, *data, *tags, *also],
                args=[
                    len(stamps),
                    len(data),
                    len(also),
                    str(since),
                    timeout or 0,
                    tag_seconds,
                    *(self._serializer.dumps(value) for value in data.values()),
                ],
                client=client,
            )
        )

    def invalidate_tags(self, tags, stamps, number, tag_seconds):
        """Stamp each tag with `number` and delete the members of their sets, and the sets."""
        client = self.get_client(None, write=True)
        pipeline = client.pipeline(transaction=True)
        for stamp in stamps:
            pipeline.set(stamp, number, ex=tag_seconds)
        pipeline.sunion(tags)
        pipeline.delete(*tags)
        members = pipeline.execute()[-2]
        if members:
            client.delete(*members)
        return len(members)


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

    def set_many_tagged(self, data, timeout, tags, since, also=()):
        """set_many(data, timeout), kept under each of `tags` (with the keys `also`, deleted
        with them); if a tag was invalidated after number `since`, keep nothing and return
        False."""
        return self._call(
            self._cache.set_many_tagged,
            {self.make_key(key): value for key, value in data.items()},
            self.get_backend_timeout(timeout),
            [self.make_key(TAG_KEY.format(tag)) for tag in tags],
            [self.make_key(STAMP_KEY.format(tag)) for tag in tags],
            [self.make_key(key) for key in also],
            since,
            tag_life(timeout),
            fallback=False,
        )

    def invalidate_tags(self, tags, number):
        """Delete what is kept under any of `tags`; numbered `number` (see set_many_tagged).
        Raise CacheUnavailable if that could not be done."""
        if not tags:
            return 0
        return self._call(
            self._cache.invalidate_tags,
            [self.make_key(TAG_KEY.format(tag)) for tag in tags],
            [self.make_key(STAMP_KEY.format(tag)) for tag in tags],
            number,
            tag_life(None),
            strict=True,
        )

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


# KEYS: tags' stamps (n), the keys to set (m), the tags' sets (n), more keys to delete with
# the tags (k). ARGV: n, m, k, since, timeout (0: none), the sets' life, the values (m).
# The counters are 19-digit numbers, past a Lua number's precision: compared as strings.
KEEP_TAGGED = """
local n, m, k, since = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
for i = 1, n do
  local stamp = redis.call('GET', KEYS[i])
  if stamp and (#stamp > #since or (#stamp == #since and stamp > since)) then
    return 0
  end
end
local timeout = tonumber(ARGV[5])
local members = {}
for j = 1, m do
  local key = KEYS[n + j]
  if timeout > 0 then
    redis.call('SET', key, ARGV[6 + j], 'EX', timeout)
  else
    redis.call('SET', key, ARGV[6 + j])
  end
  members[#members + 1] = key
end
for j = 1, k do
  members[#members + 1] = KEYS[2 * n + m + j]
end
for i = 1, n do
  local tag = KEYS[n + m + i]
  redis.call('SADD', tag, unpack(members))
  redis.call('EXPIRE', tag, ARGV[6])
end
return 1
"""
# Where tags live on Redis: a set of the keys kept under the tag, and its last invalidation.
TAG_KEY = "tag:{}"
STAMP_KEY = "tag-invalidated:{}"


def tag_life(timeout):
    """Seconds a tag (and its last invalidation) is remembered: as long as anything kept
    under it can live (the page cache's pages live PAGE_CACHE_SECONDS at most), and longer
    than any render takes."""
    from django.conf import settings

    return max(timeout or 0, settings.PAGE_CACHE_SECONDS, 600)


class DiskCache(DjangoCache):
    """DiskCache (SQLite files shared by the worker processes), kept open between requests,
    and its tags in one more SQLite file beside the shards (tags.sqlite3).

    What is kept under tags is one row per set of keys (`kept`: a page, its codings and its
    lock) and a row per tag naming it (`tagged`). Keeping a page again writes the one row:
    its tags are there already.
    """

    TAG_SCHEMA = (
        "CREATE TABLE IF NOT EXISTS kept (member TEXT PRIMARY KEY, keys TEXT NOT NULL, "
        "expires REAL NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS tagged (tag TEXT NOT NULL, member TEXT NOT NULL, "
        "PRIMARY KEY (tag, member)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS invalidated (tag TEXT PRIMARY KEY, "
        "number INTEGER NOT NULL, at REAL NOT NULL) WITHOUT ROWID",
    )
    # Keeping a page waits this long for another process's invalidation (then it is not
    # kept); an invalidation waits longer before it gives up (CacheUnavailable).
    KEEP_WAIT = 0.5
    INVALIDATE_WAIT = 5.0
    # How often an invalidation also forgets what expired.
    PRUNE_SECONDS = 300

    def __init__(self, directory, params):
        super().__init__(directory, params)
        self._tags = threading.local()
        self._pruned = 0.0

    def close(self, **kwargs):
        # Django closes every cache after each request. Reopening DiskCache's SQLite files
        # (a connection and its pragmas per shard) cost more than serving a cached page.
        pass

    def _tag_db(self, wait):
        # One connection per process and thread: connections must not cross a fork.
        db = getattr(self._tags, "db", None)
        if db is None or self._tags.pid != os.getpid():
            db = sqlite3.connect(
                os.path.join(self.directory, "tags.sqlite3"),
                timeout=wait,
                isolation_level=None,
                check_same_thread=False,
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in self.TAG_SCHEMA:
                db.execute(statement)
            self._tags.db, self._tags.pid, self._tags.wait = db, os.getpid(), wait
        if self._tags.wait != wait:
            db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            self._tags.wait = wait
        return db

    def set_many_tagged(self, data, timeout, tags, since, also=()):
        """set_many(data, timeout), kept under each of `tags` (with the keys `also`, deleted
        with them); if a tag was invalidated after number `since`, keep nothing and return
        False."""
        if not tags:
            self.set_many(data, timeout)
            return True
        keys = "\n".join((*data, *also))
        member = hashlib.blake2b(keys.encode(), digest_size=12).hexdigest()
        try:
            db = self._tag_db(self.KEEP_WAIT)
            with _immediate(db):
                db.execute(
                    "INSERT INTO kept VALUES (?, ?, ?) ON CONFLICT (member) DO UPDATE "
                    "SET keys = excluded.keys, expires = max(expires, excluded.expires)",
                    (member, keys, time.time() + tag_life(timeout)),
                )
                db.executemany(
                    "INSERT OR IGNORE INTO tagged VALUES (?, ?)", [(tag, member) for tag in tags]
                )
                if _invalidated_after(db, tags, since):
                    return False
            self.set_many(data, timeout)
            # An invalidation between the two found the tags but may have deleted before the
            # values were set: it is seen here.
            if _invalidated_after(db, tags, since):
                self.delete_many(data)
                return False
        except sqlite3.Error as error:
            # Kept untagged, the values could outlive an invalidation: not kept at all.
            log.warning("Tags not written (%s): not keeping %s", error, list(data))
            self.delete_many(data)
            return False
        return True

    def invalidate_tags(self, tags, number):
        """Delete what is kept under any of `tags`; numbered `number` (see set_many_tagged).
        Raise CacheUnavailable if that could not be done."""
        if not tags:
            return 0
        now = time.time()
        marks = ", ".join("?" * len(tags))
        try:
            db = self._tag_db(self.INVALIDATE_WAIT)
            with _immediate(db):
                db.executemany(
                    "INSERT INTO invalidated VALUES (?, ?, ?) ON CONFLICT (tag) "
                    "DO UPDATE SET number = max(number, excluded.number), at = excluded.at",
                    [(tag, number, now) for tag in tags],
                )
                found = db.execute(
                    "SELECT DISTINCT keys FROM kept WHERE member IN "
                    f"(SELECT member FROM tagged WHERE tag IN ({marks}))",
                    tags,
                ).fetchall()
                db.execute(f"DELETE FROM tagged WHERE tag IN ({marks})", tags)
                if now > self._pruned + self.PRUNE_SECONDS:
                    self._prune(db, now)
        except sqlite3.Error as error:
            raise CacheUnavailable(f"tags not invalidated: {error}") from error
        keys = [key for (joined,) in found for key in joined.split("\n")]
        self.delete_many(keys)
        return len(found)

    def _prune(self, db, now):
        # What expired, and invalidations no render still running can have begun before.
        db.execute("DELETE FROM kept WHERE expires < ?", (now,))
        db.execute("DELETE FROM tagged WHERE member NOT IN (SELECT member FROM kept)")
        db.execute("DELETE FROM invalidated WHERE at < ?", (now - tag_life(None),))
        self._pruned = now

    def clear(self):
        cleared = super().clear()
        try:
            with _immediate(self._tag_db(self.INVALIDATE_WAIT)) as db:
                for table in ("kept", "tagged", "invalidated"):
                    db.execute(f"DELETE FROM {table}")
        except sqlite3.Error as error:
            log.warning("Tags not cleared: %s", error)
        return cleared


def _invalidated_after(db, tags, number):
    marks = ", ".join("?" * len(tags))
    query = f"SELECT max(number) FROM invalidated WHERE tag IN ({marks})"
    (last,) = db.execute(query, tags).fetchone()
    return last is not None and last > number


class _immediate:
    """A write transaction on `db` taken at once (BEGIN IMMEDIATE): what it reads, no other
    process writes before it commits."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, error, traceback):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
