"""engine: Documents -> an index on disk -> ranked passages; the one package that knows the index library.

    backend.py         the seam: Backend (a typing.Protocol whose docstrings are the contract),
                       SearchPlan, EngineResults; every other package talks to an index through it
    whoosh_backend.py  the embedded backend on Whoosh: generations, search, documents, citations
    INTERNALS.md       the Whoosh internals the backend relies on, and why each
  writing (corpus -> generation):
    build.py           incremental, atomic builds; parallel.py worker processes; segments.py the
                       buffered segment writer; schema.py the fields; analyzer.py the tokenizer;
                       store.py generations, CURRENT and the build lock; identity.py the fingerprint of
                       what shapes an index (code, data, library versions); opencache.py what a searcher
                       loads at open, in cachefiles.py's verified non-executable format (JSON + .npy);
                       postings.py each segment's long posting lists as arrays
  reading (plan -> hits):
    generation.py      one opened generation: shared by every thread, a Whoosh searcher per thread
    querytree.py       the parsed query the search layer hands over; compile.py -> Whoosh queries;
                       fastscore.py BM25F on numpy arrays (a bool and a score per passage; terms
                       from termscore.py; ranking.py the page's best), over livestats.py's live
                       statistics (deleted passages do not count); substring.py exact-substring
                       recall from bigram postings; keys.py date sorts and facets.py facet counts from
                       per-passage arrays; budget.py the bound on a query's terms and time; occurrences.py
                       a concordance's mark counts and contexts.py its context order (keys cut
                       from a text table rebuilt from the substring postings)

    sphinx/            the distributed backend: searchd nodes (Sphinx 2.2, Manticore) over SphinxQL;
                       shards, an aggregating distributed index, `undocs cluster` (see its __init__)

`open_backend(config)` picks the backend named by UNDOCS_BACKEND: "embedded" (Whoosh, the default)
or "sphinx" (UNDOCS_SPHINX_NODES=host:port,… ; the first node aggregates).
"""

from __future__ import annotations

from pathlib import Path

from indexer.config import BACKENDS, Config
from indexer.engine.backend import Backend
from indexer.errors import ConfigError


def open_backend(config: Config | None = None, index_dir: Path | None = None) -> Backend:
    """The configured backend on `index_dir` (default: the configured index folder)."""
    config = config or Config()
    if config.backend == "embedded":
        from indexer.engine.whoosh_backend import WhooshBackend

        return WhooshBackend(index_dir or config.index_dir, config)
    if config.backend == "sphinx":
        from indexer.engine.sphinx.backend import SphinxBackend

        return SphinxBackend(index_dir or config.index_dir, config)
    raise ConfigError(f"UNDOCS_BACKEND={config.backend!r} is not a backend (use one of: {', '.join(BACKENDS)})")
