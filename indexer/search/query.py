"""Query string -> a small syntax tree, or QueryError saying what to change.

Grammar (recursive descent, independent of any index library):
    query   := or_expr
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary+                      words side by side must all match ("AND" is optional)
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or_expr ")" | FIELD ":" value | "phrase" | “phrase” | 「phrase」 | SYMBOL | WORD
Fields: symbol:/文号:, ref:/引用:, type:/类型:, speaker:/发言者:, title:/标题: (document title or
heading), date:/日期: (2020, 2020-12, 2020-12-04, [2020-01-01 TO 2020-06-30], >=2021, <2020-06).
Messages are "中文 / English".
"""

from __future__ import annotations

import re
import unicodedata

from indexer.config import Config
from indexer.engine.querytree import And, DateRange, Field, Node, Not, Or, Phrase, Symbol, Word, fail
from indexer.language.normalize import normalize, segment
from indexer.language.symbols import (
    GA_RESOLUTION_REF_RE,
    RESOLUTION_REF_RE,
    SYMBOL_RE,
    UNDOCS_URL_RE,
    find_symbols,
    normalize_symbol,
)
from indexer.search.fieldvalues import field_node, parse_date_filter, parse_symbol

__all__ = [
    "And", "DateRange", "Field", "Node", "Not", "Or", "Phrase", "Symbol", "Word",
    "field_node", "has_terms", "parse", "parse_date_filter", "parse_symbol",
]

QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "«": "»"}
CLOSERS = frozenset("”」』»")
FIELDS = {
    "symbol": "symbol", "文号": "symbol", "符号": "symbol",
    "ref": "ref", "cites": "ref", "引用": "ref",
    "type": "type", "类型": "type",
    "speaker": "speaker", "发言者": "speaker", "发言人": "speaker",
    "date": "date", "日期": "date",
    "title": "title", "标题": "title",
    "charter": "charter", "宪章": "charter",
}
FIELD_HELP = "symbol:/文号: ref:/引用: type:/类型: speaker:/发言者: date:/日期: title:/标题: charter:/宪章:"
_WORD_END = frozenset(' \t\n\r\f\v()"“”「」『』«»')
_CHARTER_PARAGRAPH_RE = re.compile(r"\d+\(\d+\)")  # charter:2(7): the parentheses belong to the value
_FIELD_RE = re.compile(r"([^\W\d_][\w]*)[:：]", re.UNICODE)


def clean_query(q: str) -> str:
    """NFKC (full-width -> half-width) and control characters -> spaces; quotes “」 are kept."""
    out = []
    for ch in q:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            out.append(" ")
        else:
            out.append(ch if ch in QUOTES or ch in CLOSERS else unicodedata.normalize("NFKC", ch))
    return "".join(out)


def parse(q: str, max_chars: int | None = None) -> Node | None:
    """Parse a query string; None for an empty one. QueryError for malformed input."""
    limit = max_chars or Config().max_query_chars
    if len(q) > limit:
        raise fail(f"检索式太长（{len(q)} 个字符，最多 {limit} 个）", f"query too long ({len(q)} characters, at most {limit})")
    tokens = _lex(clean_query(q))
    parser = _Parser(tokens)
    node = parser.parse()
    return node


def has_terms(node: Node) -> bool:
    """Whether the query holds anything to search for: "*" or "。" alone would silently find nothing."""
    if isinstance(node, Word):
        return bool(segment(normalize(node.text).strip().strip("*?")))
    if isinstance(node, Not):
        return has_terms(node.child)
    if isinstance(node, (And, Or)):
        return any(has_terms(c) for c in node.children)
    return True


# --- lexer -------------------------------------------------------------------------------------

Tok = tuple[str, object]


def _lex(q: str) -> list[Tok]:
    tokens: list[Tok] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(("LP" if ch == "(" else "RP", None))
            i += 1
        elif ch in QUOTES:
            text, i = _read_quoted(q, i)
            tokens.append(("PHRASE", text))
        elif ch in CLOSERS:
            raise fail(f"多余的右引号 {ch}", f"closing quote {ch} without an opening one")
        elif ch == "-" and (i == 0 or q[i - 1].isspace() or q[i - 1] == "(") and i + 1 < n and not q[i + 1].isspace():
            tokens.append(("NOT", None))
            i += 1
        else:
            i = _lex_word(q, i, tokens)
    return tokens


def _symbol_match(q: str, i: int) -> re.Match[str] | None:
    return (RESOLUTION_REF_RE.match(q, i) or GA_RESOLUTION_REF_RE.match(q, i) or SYMBOL_RE.match(q, i)
            or UNDOCS_URL_RE.match(q, i))


def _next_symbol(q: str, i: int, end: int) -> int:
    """Where the first symbol starting inside q[i+1:end] begins (end if none)."""
    found = (RESOLUTION_REF_RE.search(q, i + 1), GA_RESOLUTION_REF_RE.search(q, i + 1), SYMBOL_RE.search(q, i + 1))
    starts = [m.start() for m in found if m]
    return min([s for s in starts if s < end], default=end)


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    close = QUOTES[q[i]]
    end = q.find(close, i + 1)
    if end < 0:
        raise fail("未闭合的引号", "unbalanced quote")
    text = q[i + 1 : end]
    if not text.strip():
        raise fail("引号里没有内容", "empty quotes")
    return text, end + 1


def _read_word(q: str, i: int) -> int:
    """End of the bare word starting at i; [ … ] ranges stay in one word."""
    n = len(q)
    while i < n and q[i] not in _WORD_END:
        if q[i] == "[":
            end = q.find("]", i)
            if end < 0:
                raise fail("未闭合的方括号", "unbalanced bracket")
            i = end + 1
            continue
        if q[i] == "]":
            raise fail("多余的右方括号", "closing bracket without an opening one")
        i += 1
    return i


def _lex_word(q: str, i: int, tokens: list[Tok]) -> int:
    m = _symbol_match(q, i)
    if m is not None:
        found = find_symbols(m.group(0))
        symbol = found[0][2] if found else normalize_symbol(m.group(0))
        tokens.append(("SYMBOL", Symbol(symbol, m.group(0))))
        return m.end()
    fm = _FIELD_RE.match(q, i)
    if fm is not None and fm.group(1).lower() in FIELDS:
        return _lex_field(q, fm.end(), FIELDS[fm.group(1).lower()], fm.group(1), tokens)
    if fm is not None and fm.group(1).isascii() and fm.group(1).lower() not in ("http", "https"):
        raise fail(f"未知字段 {fm.group(1)}:（可用 {FIELD_HELP}）", f"unknown field {fm.group(1)}: (use {FIELD_HELP})")
    end = _next_symbol(q, i, _read_word(q, i))
    word = q[i:end]
    if word in ("OR", "AND", "NOT") or word in ("|", "||", "&&"):
        tokens.append(({"|": "OR", "||": "OR", "&&": "AND"}.get(word, word), None))
    else:
        tokens.append(("WORD", word))
    return max(end, i + 1)


def _lex_field(q: str, i: int, name: str, typed: str, tokens: list[Tok]) -> int:
    m = _symbol_match(q, i) if name in ("symbol", "ref") else _CHARTER_PARAGRAPH_RE.match(q, i) if name == "charter" else None
    if i < len(q) and q[i] in QUOTES:
        value, end = _read_quoted(q, i)
    elif m is not None:
        value, end = m.group(0), m.end()
    else:
        end = _read_word(q, i)
        value = q[i:end]
    if not value.strip():
        raise fail(f"字段 {typed}: 后面缺少内容", f"empty field {typed}:")
    tokens.append(("FIELD", field_node(name, value.strip())))
    return end


# --- parser --------------------------------------------------------------------------------------


MAX_NESTING = 32  # brackets and NOTs inside one another; deeper would only exhaust the parser's stack


class _Parser:
    def __init__(self, tokens: list[Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() == "RP":
            raise fail("多余的右括号", "closing parenthesis without an opening one")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr("OR")]
        while self.peek() == "OR":
            self.take()
            children.append(self.and_expr("OR"))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, after: str) -> Node:
        children: list[Node] = []
        while self.peek() not in (None, "RP", "OR"):
            if self.peek() == "AND":
                self.take()
                if not children or self.peek() in (None, "RP", "OR", "AND"):
                    raise fail("AND 两边都需要检索词", "AND needs a term on each side")
                continue
            children.append(self.unary())
        if not children:
            if self.peek() == "RP" and self.i > 0 and self.tokens[self.i - 1][0] == "LP":
                raise fail("空的括号", "empty parentheses")
            raise fail("OR 两边都需要检索词", "OR needs a term on each side")
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        kind, value = self.take()
        if kind in ("NOT", "LP"):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise fail(f"括号或 NOT 嵌套太深（最多 {MAX_NESTING} 层）",
                           f"nested too deeply (at most {MAX_NESTING} levels of brackets or NOT)")
            node = self._nested(kind)
            self.depth -= 1
            return node
        if kind == "RP":
            raise fail("多余的右括号", "closing parenthesis without an opening one")
        if kind == "WORD":
            return Word(str(value))
        if kind == "PHRASE":
            return Phrase(str(value))
        assert isinstance(value, (Symbol, Field, DateRange))
        return value

    def _nested(self, kind: str) -> Node:
        """What follows NOT, or a bracketed group."""
        if kind == "NOT":
            if self.peek() in (None, "RP", "OR", "AND"):
                raise fail("NOT 或 - 后面缺少检索词", "NOT or - needs a term after it")
            return Not(self.unary())
        if self.peek() == "RP":
            raise fail("空的括号", "empty parentheses")
        node = self.or_expr()
        if self.peek() != "RP":
            raise fail("未闭合的括号", "unbalanced parenthesis")
        self.take()
        return node
