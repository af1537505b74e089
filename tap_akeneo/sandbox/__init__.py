"""An Akeneo-compatible sandbox PIM server for tests, demos and benchmarks.

Standard library only; it never imports the tap: the two meet over HTTP only.

    from tap_akeneo.sandbox import SandboxServer
    with SandboxServer(products=250, product_models=40, seed=1) as sb:
        print(sb.base_url, sb.credentials)
"""

from .faults import FaultSettings
from .server import DEFAULT_CREDENTIALS, SandboxServer
from .stats import Stats

__all__ = ["DEFAULT_CREDENTIALS", "FaultSettings", "SandboxServer", "Stats"]
