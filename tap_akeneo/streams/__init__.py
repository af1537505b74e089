"""Stream classes, one module per family of endpoints."""
