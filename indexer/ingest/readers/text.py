"""Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 (BOM) and GB18030/GBK."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from indexer.errors import ReadError
from indexer.models import RawText

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def read(path: Path) -> RawText:
    data = path.read_bytes()
    text, encoding = decode(data, path)
    return RawText(source=path, text=text, encoding=encoding, format="text")


def decode(data: bytes, path: object = "<bytes>") -> tuple[str, str]:
    """Decode bytes, naming the encoding used; raise ReadError when it is not text."""
    if not data.strip():
        raise ReadError(path, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"), path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"), path), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        raise ReadError(path, "binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ReadError(path, "undecodable text: neither UTF-8, UTF-16 nor GB18030/GBK") from exc
    if not _looks_chinese(text):
        raise ReadError(path, "undecodable text: not valid UTF-8, and as GB18030 it is not Chinese text")
    return _checked(text, path), "gb18030"


def _checked(text: str, path: object) -> str:
    if not text.strip():
        raise ReadError(path, "empty file (only whitespace)")
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(8, len(text) // 100):
        raise ReadError(path, f"binary file ({controls} control characters), not text")
    return text


def _looks_chinese(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if not non_ascii:
        return True
    han = sum(1 for c in non_ascii if _HAN_RE.match(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return han / len(non_ascii) >= 0.9
