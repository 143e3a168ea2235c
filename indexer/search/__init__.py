"""search: the query language and the service the CLI and the web UI call; engine-neutral.

    query.py       a query string -> a syntax tree (engine/querytree.py nodes), or QueryError
    fieldvalues.py field values (symbol:, type:, speaker:, date:) checked and normalised
    service.py     SearchService: SearchRequest -> SearchPlan -> the configured backend -> SearchResults
    concordance.py KWIC: every occurrence of a query's match with its context, cut at the hits' Spans;
                   occurrences and documents per year and type; CSV
    citation.py    citations to copy: paragraph (symbol, paragraph, permalink), document (GB/T 7714)
"""
