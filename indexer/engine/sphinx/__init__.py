"""The distributed backend: the same Backend on searchd nodes (Sphinx 2.2 here, Manticore in production).

    tokens.py    text as Sphinx sees it: the project's words pre-segmented, characters for
                 exact substrings, symbols as single tokens, keys and date numbers for attributes
    rows.py      Document -> passage rows and document rows (fields and attributes)
    conf.py      searchd.conf of a node: real-time shard indexes + distributed indexes over all nodes
    nodes.py     SphinxQL connections (pymysql): shard routing, aggregator failover, warnings
    build.py     corpus -> shards, incremental (ingest/manifest.py), manifest under index_dir/sphinx/
    compile.py   query tree -> MATCH() expression (typed and with expansions) and WHERE filters
    search.py    one search: SELECT + FACETs, relevance tiers, rows -> Hits with spans
    catalog.py   document ids, symbols, abbreviations and speakers, reloaded after each build
    backend.py   SphinxBackend, the engine.backend.Backend
    cluster.py   `undocs cluster start|status|stop`: local searchd processes on loopback ports
    ENGINE.md    what the backend relies on in searchd and the quirks it works around

Every `import pymysql` and every piece of Sphinx syntax lives in this package.
"""
