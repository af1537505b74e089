"""Performance harness of tap-akeneo (see README, "Performance"): ``python -m benchmarks.run``."""
