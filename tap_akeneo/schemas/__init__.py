"""Stream schemas, declared once. Written from Akeneo's documented item shapes."""
