"""A throwaway PostgreSQL server for the tests: `initdb` in a temporary folder, `pg_ctl` on a free loopback port.

No mock and no SQLite standing in: the tests that run on PostgreSQL talk to this real server. It trusts
connections from loopback only (`listen_addresses=127.0.0.1`, a socket in its own folder), holds nothing but test
data, and is stopped (and its folder removed) when the test session ends. `POS_TEST_POSTGRES_URL` points the tests
at a server of one's own instead (a role allowed to create databases).

Run as root, the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROLE = "pos"
ENV_URL = "POS_TEST_POSTGRES_URL"


class PostgresUnavailableError(RuntimeError):
    """The machine has no PostgreSQL server programs (`make test` installs them on Debian)."""


def server_programs() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    raise PostgresUnavailableError("PostgreSQL is not installed: run `make setup` (it installs postgresql on Debian)")


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayServer:
    """One PostgreSQL cluster for a test session; `new_database()` gives each test a database of its own."""

    def __init__(self) -> None:
        self.port = 0
        self.folder: Path | None = None
        self._bin: Path | None = None
        self._as_user: list[str] = []
        self.base_url = os.environ.get(ENV_URL, "")

    # life cycle -----------------------------------------------------------------------------------------------------
    def start(self) -> ThrowawayServer:
        if self.base_url:
            return self
        self._bin = server_programs()
        self.folder = Path(tempfile.mkdtemp(prefix="pos-pg-"))
        if os.geteuid() == 0:
            self._as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")
        self.port = free_port()
        data = self.folder / "data"
        self._run(
            "initdb", "-D", str(data), "-U", ROLE, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"
        )  # fmt: skip
        self._start_server()
        self.base_url = f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/postgres"
        return self

    def _start_server(self) -> None:
        assert self.folder is not None
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
            " -c max_connections=300 -c shared_buffers=64MB"
        )
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        if self.folder is None or not (self.folder / "data").exists():
            return
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop the server at once (every connection is cut) and start it again on the same port."""
        self.stop("immediate")
        self._start_server()

    def close(self) -> None:
        self.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _run(self, program: str, *args: str) -> None:
        assert self._bin is not None
        command = [*self._as_user, str(self._bin / program), *args]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    # databases ------------------------------------------------------------------------------------------------------
    def url(self, database: str) -> str:
        head, _, _ = self.base_url.rpartition("/")
        return f"{head}/{database}"

    def new_database(self) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        name = f"store_{uuid.uuid4().hex[:12]}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def admin(self, sql: str) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.base_url.replace("+psycopg", ""), autocommit=True) as connection:
                    connection.execute(sql)  # type: ignore[arg-type]
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
