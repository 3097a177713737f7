"""Which store `pos-app` opens, and the questions it asks to make a real one (`--new-store`)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import ArgumentError

from pos_app.bootstrap import NewStore, manager_id_problem, manager_name_problem, manager_pin_problem
from pos_app.config import default_database_url
from pos_app.infrastructure.db import database_path
from pos_app.infrastructure.stores import is_postgres_url

PIN_VARIABLE = "POS_MANAGER_PIN"
"""The environment variable a script gives the new store's manager PIN in (a flag would show in `ps`)."""


class UsageError(Exception):
    """A wrong option or a store that is not there: one line, exit 2."""


@dataclass(frozen=True, slots=True)
class StoreChoice:
    url: str
    new_store: NewStore | None
    create: bool
    """Whether a missing store may be made (a demo store unless `new_store`)."""


def choose_store(args: argparse.Namespace) -> StoreChoice:
    """Which store to open, and whether to make it; asks for a new store's manager. Raises `UsageError`."""
    url = args.database_url or default_database_url()
    try:
        on_server = is_postgres_url(url)
        path = None if on_server else database_path(url)
    except (ValueError, ArgumentError) as error:
        raise UsageError(f"--database-url {url}: {error}") from error
    if on_server:
        return _server_store(url, args)
    if path is None:
        raise UsageError(
            f"--database-url {url} is an in-memory database, which loses everything when the app ends; "
            "the store must be a file, e.g. sqlite:///store.db"
        )
    _check_flags(args)
    if args.new_store:
        if path.exists():
            raise UsageError(f"there is already a store at {path}; --new-store makes one only where there is none")
        return StoreChoice(url, ask_new_store(args), create=True)
    if args.database_url and not args.demo and not path.exists():
        raise UsageError(
            f"there is no store at {path}; give --demo to make a demo store there, or --new-store for a real one"
        )
    return StoreChoice(url, None, create=args.demo or not args.database_url)


def _server_store(url: str, args: argparse.Namespace) -> StoreChoice:
    """A store on a PostgreSQL server: whether it exists is known once connected (opening it refuses a missing
    store unless --demo or --new-store, and --new-store where there is one)."""
    _check_flags(args)
    if args.new_store:
        return StoreChoice(url, ask_new_store(args), create=True)
    return StoreChoice(url, None, create=bool(args.demo))


def _check_flags(args: argparse.Namespace) -> None:
    if args.demo and args.new_store:
        raise UsageError("give --demo or --new-store, not both")
    if not args.new_store and (args.manager_name is not None or args.manager_id is not None):
        raise UsageError("--manager-name and --manager-id go with --new-store")


def ask_new_store(args: argparse.Namespace) -> NewStore:
    """The new store's manager: from the flags and $POS_MANAGER_PIN (the staff id defaults to the first name's when
    only `--manager-name` is given), else asked: again after a wrong answer on a terminal; from a pipe, one line
    each, and a wrong answer ends it."""
    interactive = sys.stdin.isatty()
    name = _field(args.manager_name, "--manager-name", lambda: _ask("The manager's name: "), manager_name_problem)
    name = name.strip()
    suggested = _suggest_staff_id(name)
    given_id = args.manager_id if args.manager_id is not None or args.manager_name is None else suggested
    manager_id = _field(
        given_id,
        "--manager-id",
        lambda: _ask(f"The manager's staff id, to log in with [{suggested}]: ") or suggested,
        manager_id_problem,
    )
    pin = _field(os.environ.get(PIN_VARIABLE) or None, f"${PIN_VARIABLE}", _ask_pin, manager_pin_problem)
    if not interactive:
        print(f"Making a real store for {name} ({manager_id})", file=sys.stderr)
    return NewStore(manager_id=manager_id, manager_name=name, manager_pin=pin)


def _field(given: str | None, source: str, ask: Callable[[], str], problem: Callable[[str], str | None]) -> str:
    if given is not None:
        found = problem(given)
        if found:
            raise UsageError(f"{source}: {found}")
        return given
    while True:
        value = ask()
        found = problem(value)
        if not found:
            return value
        if not sys.stdin.isatty():
            raise UsageError(found)
        print(found, file=sys.stderr)


def _ask(prompt: str) -> str:
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise UsageError("no answer (the input ended)")
    return line.strip()


def _ask_pin() -> str:
    if not sys.stdin.isatty():
        first, second = _ask("The manager's PIN (4 to 8 digits): "), _ask("The PIN again: ")
    else:
        first = getpass.getpass("The manager's PIN (4 to 8 digits): ")
        second = getpass.getpass("The PIN again: ")
    if first != second:
        if not sys.stdin.isatty():
            raise UsageError("the two PINs differ")
        print("The two PINs differ", file=sys.stderr)
        return _ask_pin()
    return first


def _suggest_staff_id(name: str) -> str:
    first = "".join(c for c in (name.split() or [""])[0].lower() if c.isascii() and (c.isalnum() or c in "_.-"))
    return first if first and manager_id_problem(first) is None else "manager"
