"""ingest: a file -> a Document (passages with their numbers, headings, footnotes, dates, speakers).

    pipeline.py   ingest(path): read -> clean -> structure -> describe; doc_id_for(path)
    readers/      one module per format (text, pdf, docx, html): a file -> RawText
    clean/        RawText -> CleanText, one module per rule: unmarkdown, furniture (running heads,
                  job numbers), footnotes, tables, reflow (lines broken mid-sentence); lines.py helpers
    structure.py  CleanText -> Blocks: paragraph numbers, heading paths, spans in the document text
    metadata/     Blocks -> Document: header.py (symbols, title, date from the cover), sidecar.py
                  (NAME.meta.toml), speakers.py, abbreviations.py, charter.py (references to the UN
                  Charter per passage); the document type from language/
    manifest.py   the corpus folder: which files, their ids, what changed since the last build
"""
