"""Which rows of the store changed: the durable store writes only those.

Every table of the store that is kept is a ``Table`` (a dict), a ``TrackedList`` or a
``TrackedSet`` that marks the key of each entry set, replaced or removed in one
``ChangeLog``. A record that changes in place (a session, a render job, an MCP project or
generation) is ``Watched``: once it sits in a ``Table``, setting any of its attributes,
or changing a list it holds (made a ``WatchedList``), marks its row too. Frozen records
are replaced, never changed, so the table sees them. What the log gathers between two
writes is what the next write encodes: its cost follows the changes, not the state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, SupportsIndex, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")
Mark = Callable[[], None]


class ChangeLog:
    """(table name, key) of every row changed since the last ``drain``; thread-safe."""

    def __init__(self) -> None:
        self._changed: set[tuple[str, Hashable]] = set()
        self._lock = threading.Lock()

    def mark(self, table: str, key: Hashable) -> None:
        with self._lock:
            self._changed.add((table, key))

    def drain(self) -> set[tuple[str, Hashable]]:
        """What changed since the last drain (and forget it)."""
        with self._lock:
            changed, self._changed = self._changed, set()
        return changed

    def __len__(self) -> int:
        return len(self._changed)


class Watched:
    """A mutable record that marks its row whenever one of its attributes is set."""

    _watch: Mark | None = None

    def watch(self, mark: Mark | None) -> None:
        """From now on ``mark`` is called on every change (lists held become watched)."""
        object.__setattr__(self, "_watch", mark)
        for name, value in list(vars(self).items()):
            if name != "_watch":
                object.__setattr__(self, name, _watched(value, mark))

    def __setattr__(self, name: str, value: Any) -> None:
        mark = self._watch
        if mark is None:
            object.__setattr__(self, name, value)
            return
        object.__setattr__(self, name, _watched(value, mark))
        mark()


def _watched(value: Any, mark: Mark | None) -> Any:
    if isinstance(value, Watched):
        value.watch(mark)
    elif isinstance(value, WatchedList):
        value.mark = mark
    elif type(value) is list:
        return WatchedList(value, mark)
    return value


def attach(value: Any, mark: Mark) -> None:
    """Have a record just put in a table mark its row when it changes in place."""
    if isinstance(value, Watched):
        value.watch(mark)


class WatchedList(list[T]):
    """A list held by a watched record: each change marks the record's row."""

    def __init__(self, items: Iterable[T] = (), mark: Mark | None = None) -> None:
        super().__init__(items)
        self.mark = mark

    def _changed(self) -> None:
        if self.mark is not None:
            self.mark()

    def append(self, item: T) -> None:
        super().append(item)
        self._changed()

    def extend(self, items: Iterable[T]) -> None:
        super().extend(items)
        self._changed()

    def insert(self, index: SupportsIndex, item: T) -> None:
        super().insert(index, item)
        self._changed()

    def remove(self, item: T) -> None:
        super().remove(item)
        self._changed()

    def pop(self, index: SupportsIndex = -1) -> T:
        item = super().pop(index)
        self._changed()
        return item

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def __iadd__(self, items: Iterable[T]) -> WatchedList[T]:  # type: ignore[override,misc]
        super().__iadd__(items)
        self._changed()
        return self

    def __imul__(self, times: SupportsIndex) -> WatchedList[T]:
        super().__imul__(times)
        self._changed()
        return self


class Table(dict[K, V]):
    """A table of the store: a dict that marks each key set or removed in the log, and has
    the records put in it mark their own key when they change in place."""

    def __init__(self, log: ChangeLog, name: str, items: Iterable[tuple[K, V]] = ()) -> None:
        super().__init__()
        self.log = log
        self.name = name
        self.update(items)

    def touch(self, key: K) -> None:
        """Mark ``key`` changed (its value was changed in place by its owner)."""
        self.log.mark(self.name, key)

    def _mark_of(self, key: K) -> Mark:
        log, name = self.log, self.name
        return lambda: log.mark(name, key)

    def __setitem__(self, key: K, value: V) -> None:
        attach(value, self._mark_of(key))
        super().__setitem__(key, value)
        self.log.mark(self.name, key)

    def __delitem__(self, key: K) -> None:
        super().__delitem__(key)
        self.log.mark(self.name, key)

    def pop(self, key: K, *default: Any) -> Any:
        if key in self:
            self.log.mark(self.name, key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[K, V]:
        key, value = super().popitem()
        self.log.mark(self.name, key)
        return key, value

    def setdefault(self, key: K, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Table[K, V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        for key in list(self):
            self.log.mark(self.name, key)
        super().clear()


class TrackedList(list[T]):
    """An append-mostly table (the usage history): marks the key of each entry added or
    removed (``key`` gives an entry's)."""

    def __init__(self, log: ChangeLog, name: str, key: Callable[[T], Hashable]) -> None:
        super().__init__()
        self.log, self.name, self.key = log, name, key

    def _mark(self, items: Iterable[T]) -> None:
        for item in items:
            self.log.mark(self.name, self.key(item))

    def append(self, item: T) -> None:
        super().append(item)
        self.log.mark(self.name, self.key(item))

    def extend(self, items: Iterable[T]) -> None:
        added = list(items)
        super().extend(added)
        self._mark(added)

    def clear(self) -> None:
        self._mark(self)
        super().clear()

    def __setitem__(self, index: Any, value: Any) -> None:
        self._mark(self)
        super().__setitem__(index, value)
        self._mark(self)

    def __delitem__(self, index: Any) -> None:
        self._mark(self)
        super().__delitem__(index)

    def _refused(self, *_: Any, **__: Any) -> Any:
        raise TypeError(f"the {self.name} table only grows by append/extend")

    insert = remove = pop = sort = reverse = __iadd__ = __imul__ = _refused


class TrackedSet(set[K]):
    """A table of bare keys (the MCP creator accounts): marks each key added or removed."""

    def __init__(self, log: ChangeLog, name: str, items: Iterable[K] = ()) -> None:
        super().__init__(items)
        self.log, self.name = log, name

    def add(self, key: K) -> None:
        super().add(key)
        self.log.mark(self.name, key)

    def discard(self, key: object) -> None:
        super().discard(key)
        self.log.mark(self.name, key)

    def remove(self, key: K) -> None:
        super().remove(key)
        self.log.mark(self.name, key)

    def update(self, *others: Iterable[K]) -> None:
        for other in others:
            for key in other:
                self.add(key)

    def clear(self) -> None:
        for key in list(self):
            self.log.mark(self.name, key)
        super().clear()

    def _refused(self, *_: Any, **__: Any) -> Any:
        raise TypeError(f"the {self.name} table changes by add/discard/remove/update/clear")

    pop = difference_update = intersection_update = symmetric_difference_update = _refused
    __ior__ = __iand__ = __isub__ = __ixor__ = _refused
