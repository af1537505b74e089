"""Run a command and write its own CPU time and peak RSS as JSON: ``measure OUT -- CMD...``.

A process forked from a large one (the harness holds the sandbox's catalog) would report
that parent's memory as its own peak RSS (Linux carries ``ru_maxrss`` across exec), so
the harness starts each measured command through this small process instead.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    out, sep, *command = sys.argv[1:]
    if sep != "--" or not command:
        raise SystemExit("usage: python -m benchmarks.measure OUT.json -- COMMAND [ARGS...]")
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child becomes the command
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w") as handle:
        json.dump(
            {
                "wall": time.perf_counter() - started,
                "user": usage.ru_utime,
                "sys": usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
                "returncode": code,
            },
            handle,
        )
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
