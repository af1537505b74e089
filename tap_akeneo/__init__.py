"""tap-akeneo: a Singer tap for the Akeneo PIM REST API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tap-akeneo")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"
