"""Tile caching: a server-side cache per data version, strong ETags, HTTP headers.

Server side, tiles are kept in Django's cache alias ``tiles``: by default
``ogc.tiles.lru.ByteBoundedCache``, an in-process LRU bounded in bytes
(``spatial.settings.CACHES``); a deployment with several machines can point
the alias at memcached or Redis instead. The key holds the layer's data
version, so a write never needs to purge anything: the next request reads the
new version, misses, and the stale entries age out of the LRU.

Client side (RFC 9111): ``Cache-Control: public, max-age=60,
stale-while-revalidate=300``. Sixty seconds is how stale an edit in the admin
may look on a map already open; after that the browser revalidates with
``If-None-Match`` and gets a 304 for the price of one version query, and
stale-while-revalidate lets a panning map draw the old tile meanwhile instead
of waiting.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

import morecantile
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

from layers.registry import LayerDeclaration
from ogc.versions import DataVersion
from ogc.visibility import PUBLIC, view_key

CACHE_ALIAS = "tiles"
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
#: Bump when the tile SQL or encoding changes, so clients drop old ETags.
TILE_FORMAT = "mvt-1"


def tile_cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def cache_key(layer: LayerDeclaration, tms_id: str, tile: morecantile.Tile,
              version: DataVersion) -> str:
    """The key names the rows it was built from too (``ogc.visibility.view_key``):
    a tile built for staff, drafts included, is never found by a public request."""
    view = view_key(layer)
    scope = "" if view == PUBLIC else f":{view}"
    return (f"tile:{TILE_FORMAT}:{layer.id}{scope}:{version.token}:{tms_id}:"
            f"{tile.z}:{tile.x}:{tile.y}")


def etag(layer: LayerDeclaration, tms_id: str, tile: morecantile.Tile,
         version: DataVersion) -> str:
    """A strong ETag: the tile's bytes are a function of (layer, version, tile).

    The tile properties are hashed in too, so changing a declaration changes
    every ETag even though the data did not change.
    """
    properties = ",".join(p.name for p in layer.tile_property_list())
    digest = hashlib.sha256(
        f"{cache_key(layer, tms_id, tile, version)}:{properties}".encode()
    ).hexdigest()
    return f'"{digest[:32]}"'


def get_cached(key: str) -> bytes | None:
    return tile_cache().get(key)


def put_cached(key: str, content: bytes) -> None:
    tile_cache().set(key, content, timeout=None)


_building: dict[str, threading.Lock] = {}
_building_guard = threading.Lock()


def build_once(key: str, build: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str] | None:
    """Run ``build`` for a missing tile in one thread of this process at a time.

    When a map opens, many threads ask for the same uncached tile at once;
    without this each would run the same tile query. The waiting threads then
    find the tile in the cache and get ``None`` back (read it from the cache).
    """
    with _building_guard:
        lock = _building.setdefault(key, threading.Lock())
    try:
        with lock:
            if get_cached(key) is not None:
                return None
            return build()
    finally:
        with _building_guard:
            _building.pop(key, None)


def not_modified(request: HttpRequest, tag: str) -> HttpResponse | None:
    """A 304 when ``If-None-Match`` carries the current ETag (RFC 9110 §13.1.2)."""
    response = get_conditional_response(request, etag=tag)
    if response is not None:
        add_caching_headers(response, tag)
    return response


def add_caching_headers(response: HttpResponse, tag: str) -> None:
    """ETag and Cache-Control; no Last-Modified on purpose: ``changed_at`` is a
    transaction's start, which can precede the commit of a later-started
    write, so ``If-Modified-Since`` could wrongly answer 304. ETags are exact.
    """
    response["ETag"] = tag
    response["Cache-Control"] = CACHE_CONTROL
