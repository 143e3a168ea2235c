"""Benchmark undocs against a naive Whoosh + jieba baseline and two peers on the seed corpus scaled ×N.

    python benchmarks/run.py                 # ×1, ×10, ×100, writes benchmarks/work/results.md
    python benchmarks/run.py --scales 1,10   # quick
    python benchmarks/run.py --scales 100,1000 --no-baseline   # ×1000 (growing vocabulary): 30–60 min
    python benchmarks/run.py --profile 10    # cProfile of a single-process build at ×10

Each measurement runs in a fresh child process (this script with --child), so timings include no
warm caches from another step and the parent can sample the child's memory (RSS of the child and
all its worker processes every 20 ms, the list of those processes every 0.2 s, PSS every 1 s: the
sampling shares the 2 cores with what it measures and costs ~1 % of one). The jieba floor is plain single-core `jieba.cut` over the
same passage texts the index holds. The baseline is what a first attempt looks like: Whoosh with
`jieba.analyse.ChineseAnalyzer`, the default writer, the stock highlighter and a facet query.
The corpus (fixed or growing vocabulary) is made by corpus.py; the query classes come from
query_classes.py; the peers (SQLite FTS5, tantivy, fed the floor's jieba tokens) live in peers.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Children import undocs from a frozen copy of indexer/ taken when the run starts, so that editing
# the code during a long run cannot change what is measured (or make the incremental build full).
CODE = Path(os.environ.get("UNDOCS_BENCH_CODE", ROOT))
sys.path.insert(0, str(CODE))

CHANGED_FILE = "S_2021_130.txt"  # the file edited for the incremental rebuild

import peers  # noqa: E402
from peers import cpu_seconds as _cpu_seconds  # noqa: E402
from query_classes import QUERIES  # noqa: E402  (other benchmarks import QUERIES from here)

import corpus  # noqa: E402  (benchmarks/: this script's folder)

# ---------------------------------------------------------------- corpus

def scale_corpus(factor: int, target: Path, kind: str = "fixed") -> dict[str, int]:
    """×factor copies of the seeds (benchmarks/corpus.py: a fixed or a growing vocabulary)."""
    return corpus.scale_corpus(factor, target, kind)


def change_one_file(corpus: Path) -> None:
    with (corpus / CHANGED_FILE).open("a", encoding="utf-8") as f:
        f.write(f"\n\n增补段落：秘书处于{time.strftime('%H时%M分%S秒')}分发了补充资料。\n")


# ---------------------------------------------------------------- children

def child_build(corpus: Path, index: Path, full: bool) -> dict[str, Any]:
    from indexer.engine.build import build_index

    start, cpu = time.perf_counter(), _cpu_seconds()
    report = build_index(corpus, index, full=full, progress=False)
    return {"seconds": time.perf_counter() - start, "cpu": _cpu_seconds() - cpu, "documents": report.documents,
            "passages": report.passages, "reread": len(report.reread), "failed": len(report.failed)}


def _baseline_schema() -> Any:
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    return Schema(passage_id=ID(stored=True, unique=True), doc_id=ID(stored=True), doc_type=ID(stored=True),
                  text=TEXT(analyzer=ChineseAnalyzer(), stored=True))


def child_baseline_build(corpus: Path, index: Path, only: str | None) -> dict[str, Any]:
    """The naive builder: one process, default writer; `only` = re-index that one file in place."""
    from whoosh import index as whoosh_index

    from indexer.errors import UndocsError
    from indexer.ingest import readers
    from indexer.ingest.pipeline import ingest

    start, cpu = time.perf_counter(), _cpu_seconds()
    if only is None:
        shutil.rmtree(index, ignore_errors=True)
        index.mkdir(parents=True)
        ix = whoosh_index.create_in(str(index), _baseline_schema())
    else:
        ix = whoosh_index.open_dir(str(index))
    writer = ix.writer()
    paths = [corpus / only] if only else sorted(p for p in corpus.iterdir() if readers.is_supported(p))
    passages = 0
    for path in paths:
        try:
            doc = ingest(path, corpus)
        except UndocsError:
            continue
        if only:
            writer.delete_by_term("doc_id", doc.doc_id)
        for p in doc.passages:
            writer.add_document(passage_id=p.passage_id, doc_id=doc.doc_id, doc_type=doc.doc_type, text=p.text)
        passages += len(doc.passages)
    writer.commit()
    return {"seconds": time.perf_counter() - start, "cpu": _cpu_seconds() - cpu, "passages": passages}


def child_floor(index: Path, dump: Path | None = None) -> dict[str, Any]:
    """Single-core jieba.cut over the passage texts stored in the index (dictionary load excluded).

    Only the cuts are timed; the distinct tokens (the vocabulary) are counted and, with `dump`, every
    passage's tokens and metadata written for the peers (peers.token_row) between the timed cuts.
    """
    import jieba

    from indexer.engine.store import open_index

    ix = open_index(index)
    with ix.searcher() as s:
        stored = [fields for _, fields in s.reader().iter_docs()]
    jieba.setLogLevel(60)
    jieba.initialize()
    seconds = cpu = 0.0
    tokens, vocabulary = 0, set()
    out = dump.open("w", encoding="utf-8") if dump else None
    for fields in stored:
        t0, c0 = time.perf_counter(), time.process_time()
        words = list(jieba.cut(fields["text"]))
        seconds, cpu = seconds + time.perf_counter() - t0, cpu + time.process_time() - c0
        tokens += len(words)
        vocabulary.update(w.lower() for w in words if not w.isspace())
        if out:
            out.write(json.dumps(peers.token_row(fields, words), ensure_ascii=False) + "\n")
    if out:
        out.close()
    return {"seconds": seconds, "cpu": cpu, "chars": sum(len(f["text"]) for f in stored), "tokens": tokens,
            "vocabulary": len(vocabulary), "passages": len(stored)}


def child_queries(index: Path, engine: str, rounds: int) -> dict[str, Any]:
    """Cold start (imports + open + first query) then warm latencies of QUERIES, `rounds` times."""
    t0 = time.perf_counter()
    run = _undocs_runner(index) if engine == "undocs" else _baseline_runner(index)
    run(*QUERIES[0])
    cold = time.perf_counter() - t0
    latencies, totals = [], []
    for _ in range(rounds):
        for q, filters in QUERIES:
            start = time.perf_counter()
            totals.append(run(q, filters))
            latencies.append((time.perf_counter() - start) * 1000)
    result = {"cold": cold, "latencies": latencies, "totals": totals[: len(QUERIES)]}
    if engine == "undocs":  # every class of query_classes.py, as the peers run them
        result.update(peers.run_classes(run, rounds))
    return result


def _undocs_runner(index: Path) -> Any:
    from indexer.models import SearchRequest
    from indexer.search.service import SearchService
    from webui.markup import results_json

    engine = SearchService(index)

    def run(q: str, filters: dict[str, str]) -> int:
        results = engine.search(SearchRequest(q=q, **filters))
        shown = results_json(results)  # the API's shape, highlights made as markup: part of the cost
        assert (q == "*" or all(h["highlight"] for h in shown["hits"])) and results.facets is not None
        return results.total

    return run


def _baseline_runner(index: Path) -> Any:
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser
    from whoosh.query import Term

    ix = whoosh_index.open_dir(str(index))
    searcher = ix.searcher()
    parser = QueryParser("text", ix.schema)

    def run(q: str, filters: dict[str, str]) -> int:
        query = parser.parse(q)
        only = Term("doc_type", filters["doc_type"]) if "doc_type" in filters else None
        results = searcher.search(query, limit=10, filter=only, groupedby="doc_type")
        results.groups("doc_type")
        for hit in results:
            hit.highlights("text")
        return len(results)

    return run


CHILDREN = {"build": child_build, "baseline-build": child_baseline_build, "floor": child_floor,
            "queries": child_queries, "peer-build": peers.child_peer_build, "peer-queries": peers.child_peer_queries}


# ---------------------------------------------------------------- parent

def in_child(name: str, *args: str) -> dict[str, Any]:
    """Run one measurement in a fresh process; adds the peak RSS of its whole process tree (MiB)."""
    import psutil

    command = [sys.executable, __file__, "--child", name, *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=CODE, env=os.environ)
    watched = psutil.Process(proc.pid)
    peak_tree = peak_one = peak_pss = 0
    tick = 0
    procs = [watched]
    # The watcher shares the 2 cores with what it measures: RSS (/proc/PID/statm, cheap) every 20 ms;
    # the process tree every 0.2 s (a scan of /proc); PSS (smaps, slow for big processes) every 1 s.
    # Listing the tree and PSS every 20/200 ms took 11 s of CPU during a 157 s build at x1000.
    while proc.poll() is None:
        try:
            if tick % 10 == 0:
                procs = [watched, *watched.children(recursive=True)]
            rss = [p.memory_info().rss for p in procs]
            if tick % 50 == 0:  # PSS counts pages shared by forked workers once
                peak_pss = max(peak_pss, sum(p.memory_full_info().pss for p in procs))
        except psutil.Error:
            rss = []
            procs = [watched]  # a child ended: list them again at once
            tick = -1
        peak_tree, peak_one = max(peak_tree, sum(rss)), max([peak_one, *rss])
        tick += 1
        time.sleep(0.02)
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"child {name} {args} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(peak_tree_mib=peak_tree / 2**20, peak_process_mib=peak_one / 2**20, peak_pss_mib=peak_pss / 2**20)
    return result


def freeze_code(target: Path) -> None:
    """Copy indexer/ (and the seeds' folder layout it expects) and point every child at the copy."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "indexer", target / "indexer", ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["UNDOCS_BENCH_CODE"] = str(target)


def live_size(index: Path) -> float:
    """MiB of the live generation (undocs) or of the index folder (baseline)."""
    folder = index / (index / "CURRENT").read_text().strip() if (index / "CURRENT").exists() else index
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_scale(factor: int, work: Path, baseline: bool, kind: str = "fixed", with_peers: bool = True) -> dict[str, Any]:
    """Every row of one scale; the corpus kind names the folders (fixed: corpus-xN, growing: corpus-growing-xN)."""
    tag = f"x{factor}" if kind == "fixed" else f"{kind}-x{factor}"
    corpus, index, base_index = work / f"corpus-{tag}", work / f"index-{tag}", work / f"baseline-{tag}"
    load_before, cpu_before = os.getloadavg()[0], _cpu_seconds()
    row: dict[str, Any] = {"scale": factor, "corpus": kind, **scale_corpus(factor, corpus, kind)}
    row["corpus_cpu"] = _cpu_seconds() - cpu_before
    shutil.rmtree(index, ignore_errors=True)
    row["build"] = in_child("build", str(corpus), str(index), "full")
    row["tokens_file"] = str(work / f"tokens-{tag}.jsonl")
    row["floor"] = in_child("floor", str(index), *([row["tokens_file"]] if with_peers else []))
    row["size"] = live_size(index)
    rounds = "3" if factor <= 10 else "1"  # the baseline's stock highlighter is slow on big indexes
    row["queries"] = in_child("queries", str(index), "undocs", rounds)
    if with_peers:
        peers.measure_peers(row, in_child, work, rounds)
    change_one_file(corpus)
    row["incremental"] = in_child("build", str(corpus), str(index), "incremental")
    if baseline:
        _measure_baseline(row, corpus, base_index, rounds)
    row["load"] = (load_before, os.getloadavg()[0])
    return row


def _measure_baseline(row: dict[str, Any], corpus: Path, base_index: Path, rounds: str) -> None:
    try:
        row["base_build"] = in_child("baseline-build", str(corpus), str(base_index))
        row["base_size"] = live_size(base_index)
        row["base_queries"] = in_child("queries", str(base_index), "baseline", rounds)
        change_one_file(corpus)
        row["base_incremental"] = in_child("baseline-build", str(corpus), str(base_index), CHANGED_FILE)
    except SystemExit as exc:  # the baseline is a comparison, not the subject: report and go on
        print(f"baseline: {exc}", file=sys.stderr)


def render(rows: list[dict[str, Any]], note: str) -> str:
    """The RESULTS.md table: undocs, the baseline, and their ratios, per scale."""
    lines = [
        "# Benchmark results", "",
        f"Generated by `python benchmarks/run.py {note}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores. "
        "The machine was shared with other jobs: the 1-minute load average before/after each scale is listed; "
        "a load above the core count slows every timing.", "",
        "| | " + " | ".join(f"×{r['scale']}" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
    ]

    def add(label: str, fmt: Any) -> None:
        cells = []
        for r in rows:
            try:
                cells.append(fmt(r))
            except KeyError:
                cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    add("files / passages / chars", lambda r: f"{r['files']} / {r['build']['passages']} / {r['floor']['chars']:,}")
    add("corpus kind (benchmarks/corpus.py)", lambda r: r.get("corpus", "fixed"))
    add("jieba tokens / distinct (vocabulary)", lambda r: f"{r['floor']['tokens']:,} / {r['floor']['vocabulary']:,}")
    add("jieba.cut floor, 1 core: wall / CPU (s)", lambda r: f"{r['floor']['seconds']:.2f} / {r['floor']['cpu']:.2f}")
    add("**undocs full build (s)**", lambda r: f"**{r['build']['seconds']:.2f}**")
    add("… ÷ jieba floor (target ≤ 2.0)", lambda r: f"{r['build']['seconds'] / r['floor']['seconds']:.2f}")
    add("undocs full build, CPU s (all processes)", lambda r: f"{r['build']['cpu']:.1f}")
    add("… CPU ÷ jieba floor CPU", lambda r: f"{r['build']['cpu'] / r['floor']['cpu']:.2f}")
    add("baseline full build (s)", lambda r: f"{r['base_build']['seconds']:.2f}")
    add("… undocs ÷ baseline", lambda r: f"{r['build']['seconds'] / r['base_build']['seconds']:.2f}")
    add("**undocs 1-file rebuild (s)**", lambda r: f"**{r['incremental']['seconds']:.2f}** "
        f"({r['incremental']['reread']} file re-read)")
    add("… % of full build (target ≤ 1 %)", lambda r: f"{100 * r['incremental']['seconds'] / r['build']['seconds']:.1f} %")
    add("baseline 1-file rebuild (s)", lambda r: f"{r['base_incremental']['seconds']:.2f}")
    add("**undocs query p50 / p95 (ms)** (target p95 ≤ 50)", lambda r: "**{:.1f} / {:.1f}**".format(
        percentile(r["queries"]["latencies"], 0.5), percentile(r["queries"]["latencies"], 0.95)))
    add("baseline query p50 / p95 (ms)", lambda r: "{:.1f} / {:.1f}".format(
        percentile(r["base_queries"]["latencies"], 0.5), percentile(r["base_queries"]["latencies"], 0.95)))
    add("undocs cold start: import + open + 1st query (s) (target ≤ 2)", lambda r: f"{r['queries']['cold']:.2f}")
    add("baseline cold start (s)", lambda r: f"{r['base_queries']['cold']:.2f}")
    add("undocs index size (MiB)", lambda r: f"{r['size']:.1f}")
    add("baseline index size (MiB)", lambda r: f"{r['base_size']:.1f}")
    add("**undocs build peak RSS, all processes (MiB)** (target ≤ 800)", lambda r: f"**{r['build']['peak_tree_mib']:.0f}**")
    add("… PSS, shared pages counted once (MiB)", lambda r: f"{r['build']['peak_pss_mib']:.0f}")
    add("… largest single process (MiB)", lambda r: f"{r['build']['peak_process_mib']:.0f}")
    add("baseline build peak RSS (MiB)", lambda r: f"{r['base_build']['peak_tree_mib']:.0f}")
    add("undocs searcher RSS (MiB) (target ≤ 500)", lambda r: f"{r['queries']['peak_tree_mib']:.0f}")
    add("load average before → after", lambda r: f"{r['load'][0]:.1f} → {r['load'][1]:.1f}")
    lines += peers.render_peers(rows)
    lines += ["", "Queries (" + str(len(QUERIES)) + ", each run 3 times at ×1 and ×10, once at larger scales, after a "
              "warm-up query; latency includes highlighting and facet counts): " + ", ".join(f"`{q}`" + (f" {f}" if f else "") for q, f in QUERIES) + "."]
    return "\n".join(lines) + "\n"


def profile_build(factor: int, work: Path) -> None:
    """cProfile of a build in one process (workers=1), so that every stage shows in one profile."""
    import cProfile
    import pstats

    from indexer.engine.build import build_index

    corpus, index = work / f"corpus-x{factor}", work / f"profile-x{factor}"
    scale_corpus(factor, corpus)
    shutil.rmtree(index, ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.runcall(build_index, corpus, index, True, False, 1)
    profiler.dump_stats(str(work / "build.prof"))
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
    stats.print_stats(25)


def compare_backends(args: argparse.Namespace) -> None:
    """--backend sphinx: embedded and sphinx (per node count) per scale; the table to stdout and to
    --output (default WORK/backends.md; benchmarks/RESULTS.md is the curated record)."""
    import backends
    rows: list[dict[str, Any]] = []
    counts = [int(n) for n in args.nodes.split(",")]
    for factor in (int(s) for s in args.scales.split(",")):
        print(f"scale ×{factor} …", file=sys.stderr, flush=True)
        rows += backends.measure(factor, args.work, counts, args.port, args.rounds, args.keep_cluster)
        (args.work / "backends.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    text = backends.render(rows, " ".join(a for a in sys.argv[1:] if a != "--output"))
    print(text)
    output = args.output or args.work / "backends.md"
    output.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated corpus multipliers")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="scratch folder (git-ignored)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    parser.add_argument("--corpus", choices=("auto", *corpus.KINDS), default="auto",
                        help="fixed or growing vocabulary (auto: growing when a scale is ≥ 1000)")
    parser.add_argument("--no-peers", action="store_true", help="skip SQLite FTS5 and tantivy")
    parser.add_argument("--profile", type=int, metavar="SCALE", help="only profile a one-process build")
    parser.add_argument("--output", type=Path, help="where the table goes (default: WORK/results.md; "
                        "benchmarks/RESULTS.md is the curated record, copied from it by hand)")
    parser.add_argument("--backend", choices=("embedded", "sphinx"), default="embedded",
                        help="sphinx: the embedded and the distributed backend side by side (backends.py)")
    parser.add_argument("--nodes", default="1,2", help="sphinx: node counts to measure")
    parser.add_argument("--port", type=int, default=9306, help="sphinx: SphinxQL port of the first node")
    parser.add_argument("--rounds", type=int, default=3, help="sphinx: timed rounds of the queries")
    parser.add_argument("--keep-cluster", action="store_true", help="sphinx: leave the last cluster running")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    import backends  # here: it imports this module's QUERIES, in_child and scale_corpus

    if args.child and args.child[0] in backends.CHILDREN:
        name, *rest = args.child
        print(json.dumps(backends.CHILDREN[name](*backends.child_params(name, rest))))
        return
    if args.child:
        name, *rest = args.child
        params: list[Any] = {
            "build": lambda: [Path(rest[0]), Path(rest[1]), rest[2] == "full"],
            "baseline-build": lambda: [Path(rest[0]), Path(rest[1]), rest[2] if len(rest) > 2 else None],
            "floor": lambda: [Path(rest[0]), Path(rest[1]) if len(rest) > 1 else None],
            "queries": lambda: [Path(rest[0]), rest[1], int(rest[2])],
            "peer-build": lambda: [rest[0], Path(rest[1]), Path(rest[2])],
            "peer-queries": lambda: [rest[0], Path(rest[1]), int(rest[2])],
        }[name]()
        print(json.dumps(CHILDREN[name](*params)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    freeze_code(args.work / "code")
    if args.profile:
        profile_build(args.profile, args.work)
        return
    if args.backend == "sphinx":
        compare_backends(args)
        return
    rows = []
    factors = [int(s) for s in args.scales.split(",")]
    kind = args.corpus if args.corpus != "auto" else ("growing" if max(factors) >= 1000 else "fixed")
    for factor in factors:
        print(f"scale ×{factor} ({kind} corpus) …", file=sys.stderr, flush=True)
        rows.append(measure_scale(factor, args.work, not args.no_baseline, kind, not args.no_peers))
        (args.work / "rows.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    note = " ".join(a for a in sys.argv[1:] if a != "--output")
    text = render(rows, note)
    print(text)
    output = args.output or args.work / "results.md"
    output.write_text(text, encoding="utf-8")
    print(f"table written to {output}", file=sys.stderr)
    print(f"median query latency over all scales: {statistics.median(rows[-1]['queries']['latencies']):.1f} ms",
          file=sys.stderr)


if __name__ == "__main__":
    main()
