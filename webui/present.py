"""Document and hit presentation: symbol links, footnote markers and query marks as escaped HTML.

Templates stay dumb: everything that turns text into markup happens here, and every piece of text
goes through `escape`, so a document containing `<b>` is shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from indexer.language.symbols import find_symbols
from indexer.models import Document, Footnote, Passage, Span

UNDOCS_URL = "https://undocs.org/ch/"

Linker = Callable[[str], str]
LANGUAGES = {"zh": "中文", "en": "英文", "fr": "法文", "es": "西班牙文", "ru": "俄文", "ar": "阿拉伯文"}


def language_name(code: str | None) -> str:
    """"en" -> "英文"; unknown codes are shown as they are."""
    if not code:
        return "—"
    return LANGUAGES.get(code.lower(), code)


def official_url(symbol: str) -> str:
    """The official PDF on undocs.org for a symbol."""
    return UNDOCS_URL + quote(symbol, safe="/().")


def make_linker(symbol_map: dict[str, str], self_doc: str | None = None) -> Linker:
    """symbol -> URL: the document inside the corpus when present, else undocs.org."""

    def link(symbol: str) -> str:
        doc_id = symbol_map.get(symbol)
        if doc_id and doc_id != self_doc:
            return f"/doc/{quote(doc_id)}"
        return official_url(symbol)

    return link


def with_query(url: str, q: str) -> str:
    """hit.url plus ?q=… before the fragment, so the document page marks the query's terms."""
    if not q:
        return url
    path, hash_, fragment = url.partition("#")
    sep = "&" if "?" in path else "?"
    return f"{path}{sep}q={quote(q, safe='')}{hash_}{fragment}"


def _symbol_links(text: str, linker: Linker) -> list[tuple[int, int, str]]:
    links: list[tuple[int, int, str]] = []
    for start, end, symbol in find_symbols(text):
        if links and start < links[-1][1]:
            continue  # overlapping matches: keep the first
        links.append((start, end, linker(symbol)))
    return links


def render_text(
    text: str,
    linker: Linker,
    marks: Iterable[tuple[int, int]] = (),
    inserts: Iterable[tuple[int, Markup]] = (),
) -> Markup:
    """Escaped `text` with symbols linked, marked spans in <mark> and markup inserted at offsets."""
    links = _symbol_links(text, linker)
    marks = list(marks)
    at: dict[int, list[Markup]] = {}
    for offset, piece in inserts:
        offset = max(0, min(offset, len(text)))
        for start, end, _ in links:
            if start < offset < end:
                offset = end  # never inside a link
        at.setdefault(offset, []).append(piece)
    points = sorted({0, len(text), *at, *(p for s, e, _ in links for p in (s, e)), *(p for s, e in marks for p in (s, e))})
    points = [p for p in points if 0 <= p <= len(text)]
    out: list[str] = []
    open_link: int | None = None
    for i, pos in enumerate(points):
        if open_link is not None and links[open_link][1] == pos:
            out.append("</a>")
            open_link = None
        out.extend(at.get(pos, ()))
        if i + 1 == len(points):
            break
        nxt = points[i + 1]
        for n, (start, _, href) in enumerate(links):
            if start == pos:
                out.append(f'<a class="sym" href="{escape(href)}">')
                open_link = n
        segment = escape(text[pos:nxt])
        marked = any(s <= pos and nxt <= e for s, e in marks)
        out.append(f"<mark>{segment}</mark>" if marked and segment else str(segment))
    return Markup("".join(out).replace("</mark><mark>", ""))


@dataclass(frozen=True)
class FootnoteView:
    marker: str
    note_id: str  # fn-p12-3
    ref_id: str  # fnref-p12-3 (the marker in the text), or "" when the marker's place is unknown
    html: Markup
    matched: bool = False


@dataclass(frozen=True)
class PassageView:
    anchor: str
    ordinal: int
    paragraph: str | None
    heading: str
    kind: str
    html: Markup
    matched: bool
    footnotes: tuple[FootnoteView, ...]
    number_in_text: bool = False  # the text itself starts with "27." : show ¶, not the number again


def _slug(marker: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]", lambda m: f"_{ord(m.group()):x}", marker) or "_"


def footnote_views(
    passage: Passage, linker: Linker, highlighter: Callable[[str], Sequence[Span]] | None = None
) -> list[FootnoteView]:
    """The passage's footnotes, the query marked in them too (a hit may match by its footnote only)."""
    seen: set[str] = set()
    views = []
    for note in passage.footnotes:
        base = f"{passage.anchor}-{_slug(note.marker)}"
        while base in seen:
            base += "_"
        seen.add(base)
        ref_id = f"fnref-{base}" if 0 <= note.offset <= len(passage.text) else ""
        marks = [(m.start, m.end) for m in highlighter(note.text)] if highlighter else []
        views.append(FootnoteView(note.marker, f"fn-{base}", ref_id, render_text(note.text, linker, marks), bool(marks)))
    return views


def _marker_html(note: Footnote, view: FootnoteView) -> Markup:
    return Markup('<sup class="fnref"><a id="{}" href="#{}" aria-label="脚注 {}">{}</a></sup>').format(
        view.ref_id, view.note_id, note.marker, note.marker
    )


def _starts_with_number(passage: Passage) -> bool:
    """Whether the text already begins with its own paragraph number ("27. …", "(a) …")."""
    if not passage.paragraph:
        return False
    return re.match(rf"\s*[(（]?{re.escape(passage.paragraph)}[.．)）、]", passage.text) is not None


def present_passage(passage: Passage, linker: Linker, highlighter: Callable[[str], Sequence[Span]] | None) -> PassageView:
    """One passage: marks from the engine's highlighter, footnote markers at their offsets, symbol links."""
    notes = footnote_views(passage, linker, highlighter)
    inserts = [(n.offset, _marker_html(n, v)) for n, v in zip(passage.footnotes, notes, strict=True) if v.ref_id]
    marks = [(m.start, m.end) for m in highlighter(passage.text)] if highlighter else []
    return PassageView(
        anchor=passage.anchor,
        ordinal=passage.ordinal,
        paragraph=passage.paragraph,
        heading=passage.heading,
        kind=passage.kind,
        html=render_text(passage.text, linker, marks, inserts),
        matched=bool(marks) or any(n.matched for n in notes),
        footnotes=tuple(notes),
        number_in_text=_starts_with_number(passage),
    )


def present_document(doc: Document, linker: Linker, highlighter: Callable[[str], Sequence[Span]] | None) -> list[PassageView]:
    return [present_passage(p, linker, highlighter) for p in doc.passages]


def symbol_link(symbol: str, linker: Linker) -> Markup:
    """A single symbol (metadata, references) as a link."""
    return Markup('<a class="sym" href="{}">{}</a>').format(linker(symbol), symbol)
