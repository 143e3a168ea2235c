"""The index identity covers every module that writes an index and none that only reads one."""

from __future__ import annotations

from pathlib import Path

from indexer.engine.identity import WRITERS, writer_closure

PACKAGE = Path(__file__).resolve().parents[2] / "indexer"


def _closure_names(*backends: str) -> set[str]:
    roots = [PACKAGE / WRITERS[name] for name in backends or WRITERS]
    return {p.relative_to(PACKAGE).as_posix() for p in writer_closure(PACKAGE, roots)}


def test_every_module_that_writes_an_index_shapes_its_identity() -> None:
    names = _closure_names()
    writers = {"engine/build.py", "engine/parallel.py", "engine/segments.py", "engine/schema.py",
               "engine/analyzer.py", "engine/opencache.py", "engine/cachefiles.py", "engine/substring.py",
               "engine/columns.py", "engine/keys.py", "engine/sphinx/build.py", "engine/sphinx/rows.py",
               "engine/sphinx/tokens.py", "ingest/pipeline.py", "language/normalize.py"}
    assert writers <= names, sorted(writers - names)


def test_modules_only_a_searcher_imports_do_not_force_a_rebuild() -> None:
    names = _closure_names()
    readers = {"engine/fastscore.py", "engine/compile.py", "engine/whoosh_backend.py", "engine/generation.py",
               "engine/livestats.py", "engine/budget.py", "engine/sphinx/search.py", "engine/sphinx/compile.py"}
    assert not readers & names, sorted(readers & names)


def test_imports_are_followed_through_from_imports_of_modules(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "engine").mkdir(parents=True)
    (package / "engine" / "__init__.py").write_text("from pkg.engine import reader\n")
    (package / "engine" / "build.py").write_text("from pkg.engine import writer\nimport os\n")
    (package / "engine" / "writer.py").write_text("from pkg.engine.helper import thing\n")
    (package / "engine" / "helper.py").write_text("thing = 1\n")
    (package / "engine" / "reader.py").write_text("from pkg.engine import helper\n")
    found = {p.name for p in writer_closure(package, [package / "engine" / "build.py"])}
    assert found == {"build.py", "writer.py", "helper.py"}


def test_each_backend_identity_follows_its_own_writer() -> None:
    embedded, sphinx = _closure_names("embedded"), _closure_names("sphinx")
    assert {"engine/segments.py", "engine/opencache.py", "engine/substring.py", "ingest/pipeline.py"} <= embedded
    assert {"engine/sphinx/rows.py", "engine/sphinx/tokens.py", "engine/sphinx/build.py"} <= sphinx - embedded
