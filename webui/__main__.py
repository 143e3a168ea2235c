"""`python -m webui [--host H] [--port P] [--index DIR] [--corpus DIR]`: same as `undocs serve`."""

from __future__ import annotations

from indexer.cli import serve

if __name__ == "__main__":
    serve(prog_name="python -m webui")
