"""The Flask web UI (see create_app)."""
