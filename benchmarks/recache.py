"""A copy of a built index with the search caches this code writes (same Whoosh segments).

    python benchmarks/recache.py /work/bench/index-x1000 bench/index-x1000d

Why: a change to what opencache.py writes (not to the segments) needs no new full build to be
measured: the copy's segment files are the source's, byte for byte; its search-cache-* files are
written anew by opencache.write (2 worker processes) and its manifest records this code's identity
and the new caches' digests, as a full build would. Also prints what postings.py adds to a build:
the CPU seconds of Postings.read over every segment, in this process. It prints numbers; it is not
a test.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from indexer.engine import opencache, store
    from indexer.engine.identity import code_fingerprint
    from indexer.engine.postings import Postings

    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    generation = store.current_generation(target)
    for old in generation.glob(f"{store.DERIVED_PREFIX}*"):
        old.unlink()
    start = time.perf_counter()
    caches = opencache.write(generation, 2)
    print(f"search caches written in {time.perf_counter() - start:.1f} s wall")
    manifest = json.loads((generation / store.MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["code"], manifest["caches"] = code_fingerprint(), caches
    store.write_json(generation / store.MANIFEST_FILE, manifest)
    store.write_json(generation / store.FILES_FILE, {p.name: p.stat().st_size for p in generation.iterdir()
                                                     if p.is_file() and store._recorded(p.name)})
    cpu, terms, postings = 0.0, 0, 0
    with opencache._opened(generation) as readers:
        for reader in readers:
            before = time.process_time()
            kept = Postings.read(reader)
            cpu += time.process_time() - before
            terms, postings = terms + len(kept.terms), postings + len(kept.docs)
    size = sum(f.stat().st_size for f in generation.glob("*.post_*.npy")) / 2**20
    print(f"postings.py: {len(readers)} segments, {terms} terms kept, {postings} postings, {size:.1f} MiB of "
          f"arrays, Postings.read {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
