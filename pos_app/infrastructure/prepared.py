"""Writes of prebuilt statements straight to the driver: what SQLAlchemy does for each, done once per statement.

A command's transaction runs some twenty prebuilt INSERT, UPDATE and upsert statements (the order, its events and
every read model's projection). SQLAlchemy spends most of their time in its own machinery, not in SQLite: for each
call it keys its compiled cache, builds an execution context, orders and converts the parameters, runs the
connection's event hooks, and makes a result object (tests/benchmarks/bench_write_path.py measures the write path).
`PreparedConnection` does the same work once per statement and shape of parameters, the first time it runs (compiled
by SQLAlchemy for the connection's dialect, its parameters converted by the same bind processors), and after that
hands the SQL and converted parameters to the driver's cursor. A driver error is reported exactly as SQLAlchemy
reports it (the same exception types, the same handling of a lost connection).

Only statements whose whole effect is in the SQL and the parameters take this path: a write with no RETURNING, no
Python-side column default, no expanding or literal parameters, run inside a begun transaction with no execution
options. Everything else, and every read (whose rows need SQLAlchemy's result processing), goes through SQLAlchemy
as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

_UNSET = object()
MAX_PREPARED = 1024
"""Statements kept prepared at most (the store's prebuilt ones are far fewer; a statement built per call would
otherwise pile up)."""
_prepared: dict[tuple[int, str, tuple[str, ...], bool], tuple[Any, Prepared | None]] = {}


@dataclass(frozen=True, slots=True)
class Prepared:
    """One statement compiled for one dialect and one set of parameter names."""

    sql: str
    slots: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]
    """Per positional parameter: the caller's key, the value bound in the statement if the caller gives none, and
    the type's bind processor."""

    def values(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for key, default, process in self.slots:
            value = params.get(key, default)
            if value is _UNSET:
                raise KeyError(key)
            out.append(value if process is None else process(value))
        return tuple(out)


def prepare(statement: Any, dialect: Dialect, keys: Sequence[str], many: bool) -> Prepared | None:
    """The statement compiled for direct execution, or None when it needs SQLAlchemy's execution machinery."""
    if not isinstance(statement, UpdateBase) or statement._execution_options:
        return None
    compiled = statement.compile(dialect=dialect, column_keys=sorted(keys), for_executemany=many)
    if not isinstance(compiled, SQLCompiler) or not compiled.positional or compiled.positiontup is None:
        return None
    if (
        compiled.effective_returning
        or compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.escaped_bind_names
    ):
        return None
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    processors = compiled._bind_processors
    slots = []
    for name in compiled.positiontup:
        bind = by_name[name]
        if bind.callable is not None or bind.type._is_tuple_type:
            return None
        default = bind.value if (bind.key not in keys and not bind.required) else _UNSET
        process = processors.get(name)
        if process is not None and not callable(process):
            return None
        slots.append((bind.key, default, process))
    return Prepared(str(compiled), tuple(slots))


class WriteResult:
    """What a direct write returns: the number of rows it changed, as `CursorResult.rowcount` gives it."""

    __slots__ = ("rowcount",)

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount


class PreparedConnection(Connection):
    """A SQLAlchemy connection that runs prebuilt writes straight on the driver's cursor (see the module's text)."""

    def execute(self, statement: Any, parameters: Any = None, *, execution_options: Any = None) -> Any:
        if execution_options or not isinstance(statement, UpdateBase) or not self.in_transaction():
            return super().execute(statement, parameters, execution_options=execution_options)
        many = isinstance(parameters, list) and len(parameters) > 1
        rows: list[Mapping[str, Any]]
        if parameters is None:
            rows = [{}]
        elif isinstance(parameters, Mapping):
            rows = [parameters]
        elif isinstance(parameters, list) and parameters and all(isinstance(p, Mapping) for p in parameters):
            rows = parameters
        else:
            return super().execute(statement, parameters, execution_options=execution_options)
        keys = tuple(rows[0])
        cache_key = (id(statement), self.dialect.name, keys, many)
        entry = _prepared.get(cache_key)
        if entry is None or entry[0] is not statement:  # the statement is kept, so its id is not reused
            if len(_prepared) >= MAX_PREPARED:
                _prepared.clear()
            entry = _prepared[cache_key] = (statement, prepare(statement, self.dialect, keys, many))
        prepared = entry[1]
        if prepared is None:
            return super().execute(statement, parameters, execution_options=execution_options)
        return self._write(prepared, rows, many)

    def _write(self, prepared: Prepared, rows: list[Mapping[str, Any]], many: bool) -> WriteResult:
        values: Any = [prepared.values(row) for row in rows] if many else prepared.values(rows[0])
        cursor = None
        try:
            cursor = self.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            if many:
                cursor.executemany(prepared.sql, values)
            else:
                cursor.execute(prepared.sql, values)
            count = int(cursor.rowcount)
            cursor.close()
        except BaseException as error:
            self._handle_dbapi_exception(error, prepared.sql, values, cursor, None)
            raise  # not reached: the handler raises the wrapped error
        return WriteResult(count)
