"""Models arrive with their issue (pricing engine, image push)."""
