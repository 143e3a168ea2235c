"""Word .docx via python-docx: paragraphs in order with their list numbers, headings, tables, footnotes.

Why not paragraph.text: python-docx drops Word's automatic numbers ("5.") and footnote references,
and does not expose word/footnotes.xml. Both matter to a UN document: the paragraph number is how
it is cited, and the footnotes hold the references. So the XML of each paragraph is walked here.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from pathlib import Path

from indexer.errors import ReadError
from indexer.ingest.readers.blocks import BULLET, NoteRefs, squash, to_text
from indexer.ingest.readers.docx_numbering import Numbering
from indexer.models import RawText, ReaderBlock

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TABLE_SEPARATOR = " | "
_HEADING_STYLES = ("heading", "title", "标题")
_UN_HEADING_RE = re.compile(r"^_?\s*h(?:ch|\d{1,2})(?:_?g)?$", re.IGNORECASE)


def read(path: Path) -> RawText:
    """Read a .docx; ReadError for an empty, encrypted, corrupt or non-Word file."""
    document = _open(path)
    notes_xml = _footnote_texts(document)
    numbering = Numbering(document)
    counter = _FootnoteCounter(_footnote_start(document))
    headings = _heading_styles(document)
    blocks: list[ReaderBlock] = _first_page_furniture(document)
    for child in _blocks(document.element.body):
        if child.tag == f"{W}p":
            blocks.extend(_paragraph(child, headings, numbering, counter))
        else:
            blocks.extend(_table_rows(child, counter))
    notes = [(marker, notes_xml.get(note_id, "")) for marker, note_id in counter.seen]
    missing = [marker for marker, note_id in counter.seen if note_id not in notes_xml]
    warnings = (f"{path.name}: footnote references without text: {', '.join(missing)}",) if missing else ()
    if not any(b.text and b.kind != "furniture" for b in blocks):
        raise ReadError(path, "the Word document has no text")
    return RawText(
        source=path, text=to_text(blocks, notes), encoding="docx", format="docx",
        warnings=warnings, footnotes=tuple((m, squash(t)) for m, t in notes if squash(t)),
        furniture=_running_furniture(document), blocks=tuple(blocks),
    )


def _blocks(parent):
    """Paragraphs and tables in order, looking inside content controls and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _blocks(child)


def _first_page_furniture(document) -> list[ReaderBlock]:
    """The first page's footer and header (job number, masthead with the symbol and date) as plain
    lines before the body: in a PDF they are printed on page 1, and metadata reads them there."""
    if not len(document.sections):  # a body without w:sectPr has no headers to print
        return []
    section = document.sections[0]
    first = section.different_first_page_header_footer
    paras = []
    for part in (section.first_page_footer, section.first_page_header) if first else (section.footer, section.header):
        if part.is_linked_to_previous:  # not defined for the first section: nothing printed
            continue
        for p in part._element.iter(f"{W}p"):
            text = squash(_runs_text(p, None))
            if text:
                paras.append(ReaderBlock("furniture", text))
    return paras


def _running_furniture(document) -> tuple[str, ...]:
    """The running headers and footers (symbol, job and page number) and the file's title/subject:
    not text, but metadata reads the symbol and job number from them when the first page lacks them."""
    lines: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                lines += [squash(_runs_text(p, None)) for p in part._element.iter(f"{W}p")]
    properties = document.core_properties  # UN files often carry the symbol as title or subject
    lines += [squash(properties.title or ""), squash(properties.subject or "")]
    return tuple(dict.fromkeys(line for line in lines if line))


def _open(path: Path):  # -> docx.document.Document
    """Check the container before python-docx sees it, so each kind of bad file gets its own reason."""
    import docx
    from lxml import etree

    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "empty file")
    if data.startswith(OLE_MAGIC) and path.suffix.lower() == ".doc":
        raise ReadError(path, "old binary Word .doc format is not supported; save it as .docx (or PDF)")
    if data.startswith(OLE_MAGIC):
        raise ReadError(path, "an encrypted (password-protected) .docx or an old binary .doc; save as an unprotected .docx")
    if not data.startswith(b"PK"):
        raise ReadError(path, "not a Word .docx file (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise ReadError(path, "a zip archive without word/document.xml, not a Word .docx document")
            bad = archive.testzip()
        if bad:
            raise ReadError(path, f"corrupt .docx (damaged member {bad})")
        return docx.Document(str(path))
    except ReadError:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ReadError(path, f"corrupt or truncated .docx ({exc})") from exc
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ReadError(path, f"corrupt .docx: its XML cannot be read ({exc})") from exc


class _FootnoteCounter(NoteRefs):
    """Word numbers footnote references in order of appearance, from numStart (UN: continuing)."""

    def __init__(self, start: int) -> None:
        super().__init__()
        self.next = start
        self.seen: list[tuple[str, str]] = []  # (marker, footnote id)

    def marker(self, note_id: str, custom: str | None) -> str:
        if custom:
            mark = custom
        else:
            mark = str(self.next)
            self.next += 1
        self.seen.append((mark, note_id))
        return mark


def _footnote_start(document) -> int:
    """w:footnotePr/w:numStart: UN documents continue footnote numbers across a series."""
    for pr in document.element.body.iter(f"{W}footnotePr"):
        start = pr.find(f"{W}numStart")
        if start is not None and start.get(f"{W}val", "").isdigit():
            return int(start.get(f"{W}val"))
    return 1


def _footnote_texts(document) -> dict[str, str]:
    """word/footnotes.xml, id -> text; separators and continuation notices skipped."""
    from lxml import etree

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/footnotes")), None)
    if part is None:
        return {}
    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError as exc:
        log.warning("%s: footnotes part unreadable (%s); footnotes left out", document.part.partname, exc)
        return {}
    notes = {}
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(squash(_runs_text(p, None)) for p in note.iter(f"{W}p"))
        notes[note.get(f"{W}id")] = squash(text)
    return notes


def _runs_text(element, counter: _FootnoteCounter | None) -> str:
    """Text of a paragraph's runs in order, footnote references as their marker (seed form).
    A custom footnote mark's own text is the marker, not text; Fallback copies of text boxes are skipped."""
    out: list[str] = []
    custom_runs: list = []  # runs whose text is a custom footnote mark (kept alive for identity checks)
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}footnoteReference"):
        if next(node.iterancestors(MC_FALLBACK), None) is not None:
            continue
        tag = node.tag[len(W):]
        if tag == "t" and not any(node.getparent() is run for run in custom_runs):
            out.append(node.text or "")
        elif tag in ("tab", "br", "cr"):
            out.append(" ")
        elif tag == "footnoteReference" and counter is not None:
            run, custom = node.getparent(), None
            if node.get(f"{W}customMarkFollows") in ("1", "true", "on"):
                custom = "".join(t.text or "" for t in run.iter(f"{W}t"))
                custom_runs.append(run)
            out.append(counter.place(counter.marker(node.get(f"{W}id"), custom)))
    return "".join(out)


def _paragraph(p, headings: set[str], numbering: Numbering, counter: _FootnoteCounter) -> list[ReaderBlock]:
    """Heading by style or outline level; the list number as its label; the footnotes it cites."""
    text = squash(_runs_text(p, counter))
    number, bullet = numbering.label(p)
    if not squash(counter.plain(text)):
        return []
    level, style = _outline_level(p), _style_id(p)
    if style in headings or (level is not None and level < 9):
        level = level + 1 if level is not None else _style_level(style)
        return [counter.block("heading", text, level=level, label=number)]
    if bullet or number:
        return [counter.block("list_item", text, label=number or BULLET)]
    return [counter.block("paragraph", text)]


def _heading_styles(document) -> set[str]:
    """Ids of the paragraph styles that make a heading: Word's Heading n/Title, the UN templates'
    HCh/H1/H23/H4/H56 (also with a _G suffix), any style with an outline level, and styles based on one."""
    own: set[str] = set()
    based: dict[str, str] = {}
    for style in document.styles.element.iterchildren(f"{W}style"):
        style_id = style.get(f"{W}styleId") or ""
        name = style.find(f"{W}name")
        name = (name.get(f"{W}val", "") if name is not None else "").lower()
        level = style.find(f"{W}pPr/{W}outlineLvl")
        if name.startswith(_HEADING_STYLES) or _UN_HEADING_RE.match(name) or _UN_HEADING_RE.match(style_id) or (
            level is not None and level.get(f"{W}val", "9") != "9"
        ):
            own.add(style_id)
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based[style_id] = parent.get(f"{W}val")
    return own | {sid for sid in based if _inherits(sid, own, based)}


def _inherits(style_id: str, own: set[str], based: dict[str, str]) -> bool:
    seen: set[str] = set()
    while style_id and style_id not in seen:
        if style_id in own:
            return True
        seen.add(style_id)
        style_id = based.get(style_id, "")
    return False


def _style_id(p) -> str:
    pstyle = p.find(f"{W}pPr/{W}pStyle")
    return pstyle.get(f"{W}val", "") if pstyle is not None else ""


def _style_level(style_id: str) -> int | None:
    """"Heading2" or the UN template's "H1" -> the level its number says; None when it says none."""
    digits = re.search(r"(\d)\D*$", style_id)
    return int(digits.group(1)) if digits else None


def _outline_level(p) -> int | None:
    level = p.find(f"{W}pPr/{W}outlineLvl")
    return int(level.get(f"{W}val")) if level is not None and level.get(f"{W}val", "").isdigit() else None


def _table_rows(tbl, counter: _FootnoteCounter) -> list[ReaderBlock]:
    """One block per row, cells joined with TABLE_SEPARATOR (nested tables flattened into cells)."""
    rows = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells = [" ".join(squash(_runs_text(p, counter)) for p in tc.iter(f"{W}p")).strip()
                 for tc in tr.iterchildren(f"{W}tc")]
        if any(squash(counter.plain(cell)) for cell in cells):
            rows.append(counter.block("table_row", TABLE_SEPARATOR.join(cells)))
    return rows
