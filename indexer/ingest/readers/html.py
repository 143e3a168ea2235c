"""HTML via BeautifulSoup: the document's paragraphs, headings, lists and tables; footnotes if marked up.

Why a walk over block elements rather than get_text(): get_text() runs paragraphs together and
keeps navigation and scripts. Footnotes are recognised in the forms HTML exporters write them:
pandoc/Markdown (<a href="#fn1"> … <li id="fn1">), Word's "Save as HTML" (#_ftn1 … id="_ftn1"),
and DPub-ARIA roles (doc-noteref / doc-footnote / doc-endnotes).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from indexer.errors import ReadError
from indexer.ingest.readers.blocks import BULLET, NoteRefs, squash, to_text
from indexer.ingest.readers.docx_numbering import format_number
from indexer.ingest.readers.text import decode
from indexer.models import RawText, ReaderBlock

DROP = ("script", "style", "nav", "noscript", "template", "iframe", "form", "button", "select", "svg", "head")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = (
    "p", "div", "section", "article", "main", "blockquote", "ul", "ol", "li", "table", "header", "footer",
    "aside", "figure", "figcaption", "pre", "dl", "dt", "dd", "address", "body", "center", *HEADINGS,
)
TABLE_SEPARATOR = " | "
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# A source line break between two CJK characters is no space (CSS Text 3 segment-break rule).
_CJK_BREAK_RE = re.compile(r"(?<=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])[ \t]*\r?\n\s*(?=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])")
_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_NOTE_ID_RE = re.compile(r"^(?:fn|_?ftn|footnote-?|note-?|en)(\d+)$", re.IGNORECASE)
_NOTE_ROLES = ("doc-footnote", "doc-endnote")
_BACKLINK_RE = re.compile(r"^(?:#?fnref|#_ftnref|#footnote-ref)", re.IGNORECASE)
# A note reference stands in the soup as \ue000marker\ue001 until its paragraph is made.
_REF_RE = re.compile("\ue000([^\ue001]*)\ue001")


def read(path: Path) -> RawText:
    """Read an HTML file; ReadError when empty or without any text."""
    from bs4 import BeautifulSoup

    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "empty file")
    text, warning = _decode(data, path)
    soup = BeautifulSoup(text, _parser())
    title = squash(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(DROP):
        tag.decompose()
    notes = _take_footnotes(soup)
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[ReaderBlock] = []
    _walk(root, blocks)
    if not any(b.text or b.notes for b in blocks):
        raise ReadError(path, "the HTML file has no text")
    return RawText(
        source=path, text=to_text(blocks, notes), encoding="html", format="html", footnotes=tuple(notes),
        furniture=(title,) if title else (),  # the page title often carries the symbol: metadata reads it
        warnings=(warning,) if warning else (), blocks=tuple(blocks),
    )


def _decode(data: bytes, path: Path) -> tuple[str, str | None]:
    """The page's declared charset (GB2312/GBK read as their superset GB18030), else the text reader's
    detection (UTF-8, UTF-16, GB18030): guessing from a short page mistakes GBK for Korean. A page
    that breaks its declared charset in places is read with replacement characters and a warning."""
    declared = _CHARSET_RE.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936") else name
        try:
            return data.decode(name), None
        except LookupError:
            pass
        except UnicodeDecodeError as exc:
            text = data.decode(name, errors="replace")
            return text, f"{path.name}: bytes invalid in its declared charset {name} replaced ({exc.reason})"
    return decode(data, path)[0], None


def _parser() -> str:
    try:
        import lxml  # noqa: F401

        return "lxml"
    except ImportError:
        return "html.parser"


def _note_target(tag) -> bool:
    return bool(_NOTE_ID_RE.match(tag.get("id") or "")) or tag.get("role") in _NOTE_ROLES


def _note_targets(soup) -> dict[str, object]:
    """id or anchor name -> the element holding the note (Word links to <a name="_ftn1"> inside it)."""
    targets = {tag["id"]: tag for tag in soup.find_all(_note_target) if tag.get("id")}
    for anchor in soup.find_all("a", attrs={"name": _NOTE_ID_RE}):
        holder = next((p for p in anchor.parents if p.get("id") in targets), None) or anchor.parent
        targets.setdefault(anchor["name"], holder)
    return targets


def _take_footnotes(soup) -> list[tuple[str, str]]:
    """Turn note references into glued markers and lift the notes out; (marker, text) in order."""
    targets = _note_targets(soup)
    markers: dict[int, str] = {}  # id(note element) -> marker
    for link in soup.find_all("a", href=True):
        if link.decomposed or not _inside(link, soup):  # gone with an earlier reference's <sup>
            continue
        note = targets.get(link["href"][1:]) if link["href"].startswith("#") else None
        if note is None or _inside(link, note):
            continue
        marker = squash(link.get_text()).strip("[]()") or str(len(markers) + 1)
        markers.setdefault(id(note), marker)
        sup = link.parent
        holder = sup if sup is not None and sup.name == "sup" and len(sup.find_all("a")) == 1 else link
        holder.replace_with(f"\ue000{marker}\ue001")
    notes, done = [], set()
    for key, note in targets.items():
        if id(note) in done:
            continue
        done.add(id(note))
        for back in note.find_all("a", href=True):
            if back.decomposed:
                continue
            if _BACKLINK_RE.match(back["href"]) or "footnote-back" in (back.get("class") or []):
                back.decompose()
        text = squash(_CJK_BREAK_RE.sub("", _text(note)))
        number = _NOTE_ID_RE.match(key)
        marker = markers.get(id(note)) or (number.group(1) if number else None)
        if text and marker:
            notes.append((marker, _without_marker(text, marker)))
        note.decompose()
    for box in soup.find_all(class_="footnotes") + soup.find_all(role="doc-endnotes"):
        box.decompose()
    return notes


def _without_marker(text: str, marker: str) -> str:
    """The note's own number typed before its text ("1 见 S/PV.8711。") is the marker, not the note."""
    rest = re.sub(rf"^[\[(（]?{re.escape(marker)}[\])）]?[.．、]?\s+", "", text, count=1)
    return rest or text


def _text(tag) -> str:
    """The element's text, a space only where a block or line break separates two pieces (inline
    markup such as <b> inside Chinese must not add spaces, as get_text(" ") would)."""
    for inner in tag.find_all((*BLOCKS, "br")):
        inner.insert_after(" ")
    return tag.get_text()


def _inside(tag, container) -> bool:
    return any(parent is container for parent in tag.parents)


def _walk(element, paras: list[ReaderBlock]) -> None:
    """Blocks become paragraphs; inline runs between blocks are gathered into one paragraph."""
    pending: list[str] = []

    def flush() -> None:
        if squash("".join(pending)):
            paras.append(_para("".join(pending)))
        pending.clear()

    for child in element.children:
        name = getattr(child, "name", None)
        if name is None:
            pending.append(str(child))
        elif name == "br":
            pending.append(" ")
        elif name not in BLOCKS:
            pending.append(child.get_text())
        else:
            flush()
            _block(child, paras)
    flush()


def _para(text: str, kind: str = "paragraph", level: int | None = None) -> ReaderBlock:
    """A block with its note references lifted out at their offsets."""
    refs = NoteRefs()
    text = _REF_RE.sub(lambda m: refs.place(m.group(1)), _CJK_BREAK_RE.sub("", text))
    return refs.block(kind, text, level=level)


def _block(tag, paras: list[ReaderBlock]) -> None:
    """One block element: heading, table rows, numbered or bulleted list items, or a container."""
    if tag.name in HEADINGS:
        paras.append(_para(_text(tag), "heading", int(tag.name[1])))
    elif tag.name == "table":
        for row in tag.find_all("tr"):
            cells = [squash(_CJK_BREAK_RE.sub("", _text(cell))) for cell in row.find_all(("td", "th"), recursive=False)]
            if any(cells):
                paras.append(_para(TABLE_SEPARATOR.join(cells), "table_row"))
    elif tag.name == "ol":
        number = int(tag.get("start", "1")) if str(tag.get("start", "1")).isdigit() else 1
        fmt = _OL_TYPES.get(str(tag.get("type", "1")), "decimal")
        for item in tag.find_all("li", recursive=False):
            item.insert(0, f"{format_number(number, fmt)}. ")
            number += 1
            _walk(item, paras)
    elif tag.name == "ul":
        for item in tag.find_all("li", recursive=False):
            before = len(paras)
            _walk(item, paras)
            paras[before:before + 1] = [replace(p, kind="list_item", label=BULLET) for p in paras[before:before + 1]]
    else:
        _walk(tag, paras)
