"""One tap-akeneo run at a time per Akeneo connection, on this machine.

The hourly `sync` and the weekly `reconcile` must not overlap: together they could
exceed Akeneo's 4 concurrent calls per connection, and a `sync` row landing in the
target between a reconcile's records and its ACTIVATE_VERSION would be marked deleted.

A run takes an exclusive ``flock`` on a file named after the connection (base URL and
client id) before its first request, waiting for the holder to finish. Under Meltano the
lock is held until the whole `meltano run` command has ended, i.e. until the target has
committed what the tap sent: when the tap exits, a small watcher process inherits the
lock and keeps it until the tap's parent (the `meltano` process) exits. A later block of
the same `meltano run` takes the lock over at once, since its predecessor's target has
finished by then. A killed run releases the lock with its process (the kernel drops it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

from tap_akeneo.errors import AkeneoError

#: A watcher never holds a lock longer than this after its tap exited.
MAX_LINGER_SECONDS = 6 * 3600


def lock_path(base_url: str, client_id: str | None, directory: str | None = None) -> Path:
    digest = hashlib.sha1(f"{base_url}|{client_id or ''}".encode()).hexdigest()[:16]
    return Path(directory or tempfile.gettempdir()) / f"tap-akeneo-{digest}.lock"


def under_meltano() -> bool:
    """Meltano sets MELTANO_JOB_TRIGGER in its own environment, which plugins inherit."""
    return "MELTANO_JOB_TRIGGER" in os.environ


class RunLock:
    def __init__(self, path: Path, *, wait_seconds: float, logger: t.Any) -> None:
        self.path = path
        self.wait_seconds = wait_seconds
        self.logger = logger
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait_seconds
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _read_holder(self.path)
                if holder.get("watch_pid") == os.getppid() and holder.get("watcher_pid"):
                    # The previous block of this same `meltano run` has fully ended.
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(int(holder["watcher_pid"]), signal.SIGTERM)
                elif not announced:
                    self.logger.info(
                        "Another tap-akeneo run against this PIM holds %s (pid %s): waiting for "
                        "it to finish (at most %d s)",
                        self.path,
                        holder.get("pid", "?"),
                        self.wait_seconds,
                    )
                    announced = True
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise AkeneoError(
                        f"another tap-akeneo run against this PIM still holds {self.path} "
                        f"(pid {holder.get('pid', '?')}) after {self.wait_seconds:.0f} s: "
                        "sync and reconcile never run at once"
                    ) from None
                time.sleep(0.2)
        self._fd = fd
        self._write({"pid": os.getpid(), "since": time.time()})

    def _write(self, holder: dict[str, t.Any]) -> None:
        assert self._fd is not None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(holder).encode(), 0)

    def release(self) -> None:
        """Release now, or hand the lock to a watcher until `meltano run` has ended."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        parent = os.getppid()
        if under_meltano() and parent > 1:
            watcher = subprocess.Popen(
                [sys.executable, "-m", "tap_akeneo.runlock", str(fd), str(parent)],
                pass_fds=(fd,),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self._fd = fd
            self._write({"pid": os.getpid(), "watch_pid": parent, "watcher_pid": watcher.pid})
            self._fd = None
        os.close(fd)  # the watcher, if any, still holds the lock through its copy

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(path: Path) -> dict[str, t.Any]:
    try:
        return dict(json.loads(path.read_text() or "{}"))
    except (OSError, ValueError):
        return {}


def _watch(fd: int, parent: int) -> None:
    """Hold ``fd``'s lock until process ``parent`` is gone (or the linger bound)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    deadline = time.monotonic() + MAX_LINGER_SECONDS
    while time.monotonic() < deadline:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            break
        except PermissionError:
            pass
        time.sleep(0.2)
    os.close(fd)


if __name__ == "__main__":
    _watch(int(sys.argv[1]), int(sys.argv[2]))
