"""What the benchmark scripts share: a prepared sandbox, measured tap runs, tables."""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import typing as t
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


@dataclasses.dataclass
class Run:
    """One measured process (or pipeline) run."""

    name: str
    wall: float = 0.0
    cpu: float = 0.0  # user + sys of the tap process
    rss_mb: float = 0.0  # peak RSS of the tap process
    requests: int = 0  # API and token requests the sandbox answered
    sandbox_cpu: float = 0.0  # CPU of the sandbox's process while the run lasted
    max_in_flight: int = 0  # most concurrent requests per token the sandbox saw
    returncode: int = 0
    extra: dict[str, t.Any] = dataclasses.field(default_factory=dict)


def machine() -> dict[str, t.Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0.0
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }


class Sandbox:
    """An in-process sandbox PIM with every item serialized in advance."""

    def __init__(self, products: int, product_models: int, latency: float, seed: int = 1) -> None:
        from tap_akeneo.sandbox import SandboxServer

        started = time.perf_counter()
        self.server = SandboxServer(
            products=products, product_models=product_models, seed=seed, latency=latency
        )
        self.generate_seconds = time.perf_counter() - started
        started = time.perf_counter()
        self.server.catalog.prerender()
        self.prerender_seconds = time.perf_counter() - started
        self.server.start()
        self.products = products
        self.product_models = product_models
        self.latency = latency

    @property
    def base_url(self) -> str:
        return str(self.server.base_url)

    def item_sizes(self) -> dict[str, float]:
        """Average JSON size in bytes of a product and of a product model, as listed."""
        catalog = self.server.catalog
        with catalog.lock:
            products = [catalog.product_bytes(r) for r in catalog._products.values()]
            models = [catalog.model_bytes(r) for r in catalog._models.values()]
        return {
            "product_bytes": sum(map(len, products)) / max(1, len(products)),
            "product_model_bytes": sum(map(len, models)) / max(1, len(models)),
        }

    def pages(self, page_size: int = 100) -> int:
        return -(-self.products // page_size) + -(-self.product_models // page_size)

    def floor(self, concurrency: int = 4, page_size: int = 100) -> float:
        """pages / concurrency x latency: the export time if latency were the only cost."""
        return self.pages(page_size) / concurrency * self.latency

    def tap_config(self, **extra: t.Any) -> dict[str, t.Any]:
        return {"base_url": self.base_url, **self.server.credentials, **extra}

    def stop(self) -> None:
        self.server.stop()


#: The streams the benchmarks read (the issue's full export: products and product models).
STREAMS = ("products", "product_models")


def catalog_file(directory: Path, streams: t.Sequence[str] = STREAMS) -> Path:
    """The tap's discovered catalog with only ``streams`` selected."""
    from tap_akeneo.tap import TapAkeneo

    tap = TapAkeneo(config={"base_url": "http://127.0.0.1:9", "access_token": "-"}, setup_mapper=False)
    catalog = tap.catalog_dict
    for entry in catalog["streams"]:
        for meta in entry["metadata"]:
            if meta["breadcrumb"] == []:
                meta["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return write_json(catalog, directory, "catalog")


def write_json(data: t.Any, directory: Path | None = None, prefix: str = "tap") -> Path:
    directory = directory or Path(tempfile.mkdtemp(prefix="tap-akeneo-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".json", dir=directory)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    return Path(name)


def tap_command(variant: list[str] | None = None) -> list[str]:
    if variant is None:
        return [sys.executable, "-m", "tap_akeneo.tap"]
    return [sys.executable, "-m", "benchmarks.variant", *variant]


def measured(command: list[str], workdir: Path) -> tuple[list[str], Path]:
    """``command`` started through :mod:`benchmarks.measure`, and where it reports."""
    fd, name = tempfile.mkstemp(prefix="usage", suffix=".json", dir=workdir)
    os.close(fd)
    return [sys.executable, "-m", "benchmarks.measure", name, "--", *command], Path(name)


def usage(path: Path) -> dict[str, t.Any]:
    data: dict[str, t.Any] = json.loads(path.read_text())
    data["cpu"] = data["user"] + data["sys"]
    data["rss_mb"] = data["maxrss_kb"] / 1024
    return data


class Tail:
    """Read a pipe to its end in a thread, keeping only what a run's checks need."""

    def __init__(self, stream: t.IO[bytes], keep_all: bool = False) -> None:
        self.stream = stream
        self.keep_all = keep_all
        self.data = bytearray()
        self.last_state: bytes | None = None
        self.records = 0
        self.activate_versions = 0
        self.bytes = 0
        self._carry = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            chunk = self.stream.read(1 << 20)
            if not chunk:
                break
            self.bytes += len(chunk)
            if self.keep_all:
                self.data += chunk
            self.records += chunk.count(b'{"type":"RECORD"')
            self.activate_versions += chunk.count(b'"type":"ACTIVATE_VERSION"')
            text = self._carry + chunk
            start = text.rfind(b'{"type":"STATE"')
            if start >= 0:
                end = text.find(b"\n", start)
                if end >= 0:
                    self.last_state = bytes(text[start:end])
            self._carry = text[-4096:]

    def join(self) -> None:
        self.thread.join()

    def state(self) -> dict[str, t.Any] | None:
        if not self.last_state:
            return None
        return dict(json.loads(self.last_state)["value"])


def run_tap(
    name: str,
    sandbox: Sandbox,
    config: dict[str, t.Any],
    *,
    variant: list[str] | None = None,
    state: dict[str, t.Any] | None = None,
    capture: bool = False,
    workdir: Path,
    log: Path | None = None,
) -> tuple[Run, Tail | None]:
    """Run the tap once; stdout to /dev/null unless ``capture`` (then counted in a thread)."""
    command = [*tap_command(variant), "--config", str(write_json(config, workdir))]
    command += ["--catalog", str(catalog_file(workdir))]
    if state is not None:
        command += ["--state", str(write_json(state, workdir, "state"))]
    command, report = measured(command, workdir)
    stats = sandbox.server.stats
    stats.reset()
    cpu0 = time.process_time()
    started = time.perf_counter()
    stderr = open(log or os.devnull, "wb")  # noqa: SIM115
    with stderr:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=stderr,
        )
        tail = Tail(proc.stdout) if capture and proc.stdout is not None else None
        code = proc.wait()
        if tail is not None:
            tail.join()
    wall = time.perf_counter() - started
    snapshot = stats.snapshot()
    used = usage(report)
    run = Run(
        name=name,
        wall=wall,
        cpu=used["cpu"],
        rss_mb=used["rss_mb"],
        requests=snapshot["total"],
        sandbox_cpu=time.process_time() - cpu0,
        max_in_flight=snapshot["max_concurrency_per_token"],
        returncode=code,
        extra={"requests_by_route": snapshot["requests"], "statuses": snapshot["statuses"]},
    )
    if code != 0:
        detail = log.read_text()[-2000:] if log and log.exists() else ""
        raise RuntimeError(f"{name}: the tap failed ({code})\n{detail}")
    return run, tail


def fmt_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))
    )
    out = [line, "  ".join("-" * w for w in widths)]
    for row in rows:
        out.append(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(out)
