"""undocs indexer: the pipeline, one module per stage.

Ingest (a file -> a Document with Passages), `pipeline.ingest`:
    readers/        extract: path -> RawText (text.py, pdf.py + pdf_layout.py, docx.py + docx_numbering.py,
                    html.py; layout.py is shared by the layout-aware ones)
    clean.py        RawText -> CleanText, the rules in order: unmarkdown.py, furniture.py, footnotes.py,
                    tables.py, reflow.py (lines.py holds the shared line tests)
    structure.py    CleanText -> Blocks: paragraph numbers, heading paths, spans
    metadata.py     Blocks -> Document: header.py, sidecar.py, doctypes.py (document); dates.py, speakers.py,
                    symbols.py, abbreviations.py (per passage)
Index (corpus -> index/), `build.build_index`:
    manifest.py     what changed since the last build
    parallel.py     worker processes: ingest + analysis.py (normalise, segment) + segments.py (write)
    schema.py       the Whoosh schema and a passage's fields; opencache.py what searchers load at open
    store.py        index/CURRENT -> the live generation; the build lock
Search (query string -> SearchResults), `search.SearchEngine`:
    query.py        string -> syntax tree (qnodes.py, fieldvalues.py), or QueryError
    expansion.py    abbreviations and synonyms
    compile.py      tree -> Whoosh query; fastscore.py scores it; substring.py gives exact-substring recall
    search.py       filters, sorting, paging, facets, documents and citations
    highlight.py    matches -> escaped HTML with <mark>
    render.py       terminal output
cli.py is the `undocs` command; config.py, errors.py and models.py are shared by all stages.
"""
