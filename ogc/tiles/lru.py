"""A Django cache backend for tiles: in-process LRU bounded by bytes.

Django's ``LocMemCache`` bounds its size by entry *count*, which says nothing
about memory when one z12 tile over a province-sized layer is 2 MB and a z16
tile 200 bytes. This backend counts the bytes of the values (tiles are
``bytes``), evicts least-recently-used entries past ``MAX_BYTES``, and refuses
single values above ``MAX_ITEM_BYTES`` so one huge tile cannot flush the rest.
Values are kept as they are, not pickled: a hit is a dictionary lookup.

Timeouts are ignored: a tile entry is keyed by the data version it was built
from and never becomes wrong, only unused, and then LRU drops it.
One instance per process (per worker), shared by its threads under a lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_STORES: dict[str, _Store] = {}
_STORES_LOCK = threading.Lock()


class _Store:
    def __init__(self, max_bytes: int) -> None:
        self.data: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0
        self.max_bytes = max_bytes
        self.lock = threading.Lock()


class ByteBoundedCache(BaseCache):
    """``OPTIONS``: ``MAX_BYTES`` (default 64 MiB), ``MAX_ITEM_BYTES`` (default 1/8 of it)."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        max_bytes = int(options.get("MAX_BYTES", 64 * 2**20))
        self.max_item_bytes = int(options.get("MAX_ITEM_BYTES", max_bytes // 8))
        with _STORES_LOCK:
            self._store = _STORES.setdefault(location, _Store(max_bytes))

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        store = self._store
        with store.lock:
            value = store.data.get(key)
            if value is None:
                return default
            store.data.move_to_end(key)
            return value

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        if not isinstance(value, bytes):
            raise TypeError("ByteBoundedCache stores bytes only")
        key = self.make_and_validate_key(key, version=version)
        store = self._store
        with store.lock:
            self._pop(key)
            if len(value) > self.max_item_bytes:
                return
            store.data[key] = value
            store.size += len(value)
            while store.size > store.max_bytes:
                _, evicted = store.data.popitem(last=False)
                store.size -= len(evicted)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        if self.has_key(key, version=version):
            return False
        self.set(key, value, timeout, version=version)
        return True

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self.has_key(key, version=version)

    def delete(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            return self._pop(key)

    def has_key(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            return key in self._store.data

    def clear(self) -> None:
        with self._store.lock:
            self._store.data.clear()
            self._store.size = 0

    @property
    def size_bytes(self) -> int:
        return self._store.size

    def _pop(self, key: str) -> bool:
        """Remove ``key`` (lock held by the caller)."""
        old = self._store.data.pop(key, None)
        if old is None:
            return False
        self._store.size -= len(old)
        return True
