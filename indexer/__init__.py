"""undocs indexer: the phases as packages, ingest -> engine -> search (then webui/ and the CLI).

language/   the vocabulary both sides read with, imported by every phase: normalize.py (NFKC, t2s,
            lower case with an offset map; jieba segmentation with symbols whole), symbols.py
            (symbol forms, normalisation), doctypes.py (types and their aliases), dates.py (date
            forms, event dates), expansion.py (abbreviations and synonyms, data/), spans.py (where
            query terms occur in a text: offsets + the query part, fragment windows; no markup)
ingest/     a file -> a Document (pipeline.ingest):
              readers/    extract: one module per format (text, pdf + pdf_geometry, docx, html); the
                          PDF, Word and HTML readers hand over typed ReaderBlocks (blocks.py)
              clean/      RawText -> CleanText: ReaderBlocks taken as given (blocks.py); plain text through
                          the rules in order: unmarkdown, furniture, footnotes, tables, reflow (lines.py
                          holds the shared line tests)
              structure.py  CleanText -> Blocks: paragraph numbers, heading paths, spans
              metadata/   Blocks -> Document: header, sidecar (document); speakers, abbreviations
                          (per passage); dates and symbols come from language/
              manifest.py the corpus: files, doc ids, what changed since the last build
engine/     Documents -> an index -> ranked Hits; the only package that knows the index library. backend.py is
            the seam (Backend protocol, SearchPlan, EngineResults), implemented by the embedded backend;
            INTERNALS.md lists the library internals relied on. open_backend(config) picks one.
search/     the query language (query.py, fieldvalues.py -> engine/querytree.py nodes) and
            service.py (SearchService: SearchRequest -> SearchPlan -> backend -> SearchResults)
cli.py is the `undocs` command and terminal.py its printer; config.py, errors.py and models.py (the
frozen dataclasses passed between phases) are shared by all.
"""
