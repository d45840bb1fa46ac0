"""Querysets that Django compiles once per database connection instead of on every request.

Compiling a queryset to SQL is most of the cost of a simple read: on PostgreSQL, a request's
profile (`Profile` with its preferences, by id and household) costs about 1 ms, of which the
database's answer is 0.15. A `Prepared` query builds its queryset once with a marker in place of
each value, compiles it, and then runs the same SQL with the values of each call. Rows become
model instances (or values) through Django's own iterables, so converters, `select_related` and
`values_list` behave as in the queryset it was built from.

Values are ints or strs and each must reach the SQL unchanged, once (a comparison such as `pk=`
or `__lte`, not `__icontains`, which wraps it in wildcards): a queryset that transforms or
repeats a value is refused when it is first compiled.
"""

import threading
import weakref
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# In every integer field's range (Django answers a lookup outside it without asking the database,
# which would leave no place for the value in the SQL); a queryset with the same constant is
# refused, never mistaken.
_INT_MARKER = 32_767
_STR_MARKER = "\x1fprepared:{}\x1f"


class _Query:
    """The built query, answering `get_compiler` with one call's compiler; every other attribute
    (the iterables read a few) is the built query's."""

    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class _Compiled:
    def __init__(self, queryset: QuerySet, connection, markers: dict):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()  # also fills select, klass_info, ...
        self.params = list(params)
        self.slots = []  # (index in params, argument name)
        for name, marker in markers.items():
            found = [i for i, value in enumerate(self.params) if value == marker]
            if len(found) != 1:
                raise ValueError(f"prepared query: {name!r} must reach the SQL once, unchanged")
            self.slots.append((found[0], name))

    def queryset_for(self, values: dict) -> QuerySet:
        params = list(self.params)
        for index, name in self.slots:
            params[index] = values[name]
        compiler = object.__new__(type(self.compiler))
        compiler.__dict__ = self.compiler.__dict__.copy()
        compiler.as_sql = lambda *args, **kwargs: (self.sql, tuple(params))
        queryset = object.__new__(type(self.queryset))
        queryset.__dict__ = self.queryset.__dict__.copy()
        # `_query`: the `query` setter would reset a values queryset's iterable
        queryset._query = _Query(self.queryset.query, compiler)
        queryset._result_cache, queryset._prefetch_done = None, False
        return queryset


class Prepared:
    """`build(**markers)` -> the queryset; `prepared.all(**values)` its rows as a list,
    `prepared.one(**values)` the first or None. `types` names each argument's type."""

    def __init__(self, build: Callable[..., QuerySet], **types: type):
        if any(kind not in (int, str) for kind in types.values()):
            raise TypeError("prepared query arguments are int or str")
        self._build, self._types = build, types
        self._markers = {
            name: _INT_MARKER - i if kind is int else _STR_MARKER.format(name)
            for i, (name, kind) in enumerate(types.items())
        }
        self._queryset = None  # built on first use, with the markers for the values
        self._compiled = weakref.WeakKeyDictionary()  # per connection: one per thread and alias
        self._lock = threading.Lock()

    def _compiled_for_thread(self) -> _Compiled:
        queryset = self._queryset
        if queryset is None:
            with self._lock:
                queryset = self._queryset = self._build(**self._markers)
        connection = connections[queryset.db]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = _Compiled(queryset, connection, self._markers)
            with self._lock:
                self._compiled[connection] = compiled
        return compiled

    def all(self, **values) -> list:
        if values.keys() != self._types.keys():
            raise TypeError(f"prepared query takes {sorted(self._types)}, got {sorted(values)}")
        values = {name: kind(values[name]) for name, kind in self._types.items()}
        if any(type(v) is int and not -(2**63) <= v < 2**63 for v in values.values()):
            return list(self._build(**values))  # Django answers these without the database
        return list(self._compiled_for_thread().queryset_for(values))

    def one(self, **values):
        rows = self.all(**values)
        return rows[0] if rows else None
