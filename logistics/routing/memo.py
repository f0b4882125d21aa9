"""A bounded memo that threads may share: when full, the least recently used entry goes first.

One `Planner` serves every thread of a gunicorn worker, so its memo is read and written
concurrently. Every look-up and insertion holds a lock for a few dictionary operations; the value
itself is computed outside it, so a slow computation never holds up quotes for other keys.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruMemo(Generic[K, V]):
    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("an LRU memo holds at least one entry")
        self.maxsize = maxsize
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The value memoised for `key`, or `compute()`'s, which is then memoised.

        Two threads missing the same key at once both compute it and the later one is kept: meant
        for values that depend on the key alone (then both are equal), so store immutable values.
        """
        with self._lock:
            try:
                value = self._entries[key]
            except KeyError:
                pass
            else:
                self._entries.move_to_end(key)
                return value
        value = compute()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries
