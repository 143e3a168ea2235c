"""`undocs` command line: build · search · kwic · inspect · serve · cluster.

Thin: parses arguments, calls one pipeline entry point, prints, maps UndocsError to exit code 2.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from indexer.config import Config
from indexer.errors import UndocsError
from indexer.models import SearchRequest


def _fail(exc: UndocsError, as_json: bool = False) -> None:
    if as_json:
        click.echo(json.dumps({"error": str(exc)}, ensure_ascii=False))
    click.echo(f"undocs: {exc}", err=True)
    sys.exit(exc.exit_code)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group()
@click.version_option(package_name="undocs")
def main() -> None:
    """undocs: full-text search for Chinese UN documents."""


@main.command()
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), help="Folder of source documents.")
@click.option("--index", "index_dir", type=click.Path(path_type=Path), help="Where the index lives.")
@click.option("--full", is_flag=True, help="Re-read every file, not only new or changed ones.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(corpus_dir: Path | None, index_dir: Path | None, full: bool, quiet: bool) -> None:
    """Build or update the index from the corpus folder (incremental, atomic)."""
    from indexer.engine import open_backend

    try:
        config = Config()
        backend = open_backend(config, index_dir)
        report = backend.build(corpus_dir or config.corpus_dir, full=full, progress=not quiet, workers=config.workers)
    except UndocsError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("undocs: build interrupted; the previous index is unchanged", err=True)
        sys.exit(130)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


LONG_OPTION_RE = re.compile(r"--[A-Za-z][\w-]*(=.*)?", re.DOTALL)


class QueryCommand(click.Command):
    """Unknown options reach the query (`-利比亚` is NOT 利比亚), except a misspelled `--option`.

    A query word never starts with two dashes, so `--jsno` is a typo, not text: refused with
    click's "Did you mean" like every other command. After a bare `--` anything is query text.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for param in self.params for name in getattr(param, "opts", [])} | {"--help"}
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if LONG_OPTION_RE.fullmatch(arg) and name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
                raise click.NoSuchOption(name, possibilities=close, ctx=ctx)
        return super().parse_args(ctx, args)


@main.command(cls=QueryCommand, context_settings={"ignore_unknown_options": True})  # `-word` reaches the query
@click.argument("query", nargs=-1, type=click.UNPROCESSED)
@click.option("--type", "doc_type", help="Document type: 决议/resolution, 主席声明/presidential-statement, …")
@click.option("--from", "date_from", help="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", help="Latest date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--speaker", help="Speaker, e.g. 秘书长.")
@click.option("--symbol", help="Document symbol or prefix, e.g. S/PRST/2021.")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance", show_default=True)
@click.option("--limit", "per_page", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--index", "index_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def search(query: tuple[str, ...], index_dir: Path | None, as_json: bool, **filters: Any) -> None:
    """Search the index: words, "phrases", OR/NOT/-word, ( ), fields.

    \b
    Fields: symbol:/文号: ref:/引用: type:/类型: speaker:/发言者: title:/标题:
            date:/日期: 2020 | 2020-12 | 2020-12-04 | [2020-01-01 TO 2020-06-30] | >=2021
    Examples: undocs search 东盟 维持和平
              undocs search '"区域和次区域组织"' type:主席声明
              undocs search 'S/PRST/2021/9'   (the document first, then what cites it)
    """
    from indexer.search.service import search as run_search

    request = SearchRequest(q=" ".join(query), **filters)
    try:
        results = run_search(index_dir or Config().index_dir, request)
    except UndocsError as exc:
        _fail(exc, as_json)
    if as_json:
        from webui.markup import results_json

        _print_json(results_json(results))
        return
    from indexer.terminal import format_results

    click.echo(format_results(results, color=sys.stdout.isatty()))


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--width", type=click.IntRange(5, 200), default=30, show_default=True, help="Context characters each side.")
@click.option("--sort", "order", type=click.Choice(["date", "doc", "left", "right"]), default="date", show_default=True)
@click.option("--type", "doc_type", help="Document type: 决议/resolution, 主席声明/presidential-statement, …")
@click.option("--from", "date_from", help="Earliest date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "date_to", help="Latest date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--speaker", help="Speaker, e.g. 秘书长.")
@click.option("--symbol", help="Document symbol or prefix, e.g. S/PRST/2021.")
@click.option("--limit", "per_page", type=click.IntRange(1), default=None, help="Lines per page (default: all).")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--index", "index_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The GET /api/kwic shape.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, UTF-8 with BOM (opens in Excel), one row per occurrence.")
def kwic(query: tuple[str, ...], width: int, order: str, index_dir: Path | None, as_json: bool, as_csv: bool,
         per_page: int | None, **filters: Any) -> None:
    """Concordance: every occurrence of QUERY with its context, aligned on the match.

    \b
    The query language and filters are those of `undocs search`.
    Examples: undocs kwic '"所有必要措施"' --sort left
              undocs kwic 区域组织 --from 2020 --csv > lines.csv
    """
    from indexer.search.concordance import MAX_PASSAGES, concordance
    from indexer.search.service import SearchService

    if as_json and as_csv:
        _fail(UndocsError("--json 和 --csv 只能选一个 / choose one of --json and --csv"))
    request = SearchRequest(q=" ".join(query), per_page=per_page or MAX_PASSAGES * 100, **filters)
    try:
        with SearchService(index_dir or Config().index_dir) as service:
            found = concordance(service, request, width=width, sort=order)
    except UndocsError as exc:
        _fail(exc, as_json)
    if as_json:
        _print_json(found.to_json())
    elif as_csv:
        from indexer.search.concordance import csv_text

        sys.stdout.buffer.write(csv_text(found).encode("utf-8"))
    else:
        from indexer.terminal import format_concordance

        click.echo(format_concordance(found, color=sys.stdout.isatty()))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def inspect(files: tuple[Path, ...], as_json: bool) -> None:
    """Show what the indexer understands of FILES: metadata and passages."""
    from indexer.ingest.pipeline import ingest
    from indexer.terminal import format_document

    failed = 0
    docs = []
    try:
        corpus_dir = Config().corpus_dir
    except UndocsError as exc:
        _fail(exc)
    for path in files:
        try:
            doc = ingest(path, corpus_dir)
        except UndocsError as exc:
            failed += 1
            click.echo(f"undocs: {exc}", err=True)
            continue
        docs.append(replace(doc, source=str(path)))
    if as_json:
        _print_json(docs[0].to_json() if len(files) == 1 and docs else [d.to_json() for d in docs])
    else:
        for doc in docs:
            click.echo(format_document(doc))
    if failed:
        sys.exit(2)


@main.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 5000).")
@click.option("--index", "index_dir", type=click.Path(path_type=Path))
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path))
def serve(host: str | None, port: int | None, index_dir: Path | None, corpus_dir: Path | None) -> None:
    """Serve the search UI (waitress) after bringing the index up to date (incremental build)."""
    from webui.serve import serve as run_server

    try:
        config = Config()
        config = replace(
            config,
            host=host or config.host,
            port=port or config.port,
            index_dir=index_dir or config.index_dir,
            corpus_dir=corpus_dir or config.corpus_dir,
        )
        run_server(config)
    except UndocsError as exc:
        _fail(exc)


@main.group()
def cluster() -> None:
    """Search nodes on this machine for UNDOCS_BACKEND=sphinx (one shard each)."""


@cluster.command("start")
@click.option("--nodes", "count", type=click.IntRange(1, 64), default=2, show_default=True, help="How many nodes.")
@click.option("--port", "base_port", type=click.IntRange(1, 65000), default=9306, show_default=True,
              help="SphinxQL port of the first node; node i listens on port + 10 i (agents on + 6).")
@click.option("--index", "index_dir", type=click.Path(path_type=Path))
def cluster_start(count: int, base_port: int, index_dir: Path | None) -> None:
    """Write the node configs under INDEX/cluster/ and start searchd on loopback ports."""
    from indexer.engine.sphinx import cluster as nodes

    try:
        started = nodes.start(index_dir or Config().index_dir, count, base_port)
    except UndocsError as exc:
        _fail(exc)
    for node in started:
        click.echo(f"node {node.address} (agents {node.host}:{node.api_port}) in {node.folder}")
    click.echo(f"export UNDOCS_BACKEND=sphinx UNDOCS_SPHINX_NODES={nodes.nodes_value(started)}")


@cluster.command("status")
@click.option("--index", "index_dir", type=click.Path(path_type=Path))
def cluster_status(index_dir: Path | None) -> None:
    """Which nodes run, and how many passages each shard holds."""
    from indexer.engine.sphinx import cluster as nodes

    found = nodes.status(index_dir or Config().index_dir)
    if not found:
        click.echo("no cluster here: `undocs cluster start --nodes 2`")
        sys.exit(1)
    for entry in found:
        state = "down" if entry.pid is None else f"running (pid {entry.pid})"
        held = "" if entry.passages is None else f", {entry.passages} passages"
        click.echo(f"node {entry.node.address}: {state}{held}")
    if any(entry.pid is None for entry in found):
        sys.exit(1)


@cluster.command("stop")
@click.option("--index", "index_dir", type=click.Path(path_type=Path))
def cluster_stop(index_dir: Path | None) -> None:
    """Stop this index's searchd nodes."""
    from indexer.engine.sphinx import cluster as nodes

    stopped = nodes.stop(index_dir or Config().index_dir)
    click.echo(f"stopped {len(stopped)} node(s)" + "".join(f"\n  {n.address}" for n in stopped))


if __name__ == "__main__":
    main()
