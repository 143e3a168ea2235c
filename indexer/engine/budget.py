"""A query's work is bounded: how many terms it may have, and how long it may run.

Why: a legal 500-character query (single characters joined by OR) held the server for 3–5 s.
Now a query with more than MAX_TERMS terms, or more than MAX_CLAUSES index clauses once
abbreviations are expanded, is refused with a message saying what to change; and a query still
working after DEADLINE_S of CPU time (its thread's: a machine busy with other work does not cut
a search short) stops adding alternatives (OR branches, words still to compile): its
result holds what was found by then — never a passage that does not match — and is flagged partial.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from whoosh import query as wq

from indexer.engine import querytree as ast
from indexer.engine.querytree import fail

MAX_TERMS = 64  # words, phrases and symbols as typed
MAX_CLAUSES = 256  # index clauses after expansion (each word is a jieba AND plus a substring, …)
DEADLINE_S = 0.4


@dataclass
class Budget:
    """The bounds of one search; `overrun` turns true once its thread used deadline_s of CPU."""

    deadline_s: float = DEADLINE_S
    started: float = field(default_factory=time.thread_time)
    overrun: bool = False

    @classmethod
    def for_query(cls, node: ast.Node | None, deadline_s: float = DEADLINE_S) -> Budget:
        """A budget for the query; QueryError if it has more terms than MAX_TERMS."""
        terms = count_terms(node)
        if terms > MAX_TERMS:
            raise fail(f"检索词过多（{terms} 个，最多 {MAX_TERMS} 个），请缩小查询",
                       f"too many search terms ({terms}; at most {MAX_TERMS}): narrow the query")
        return cls(deadline_s)

    def expired(self) -> bool:
        """True (and `overrun`) once the deadline has passed: stop adding alternatives."""
        if not self.overrun and time.thread_time() - self.started > self.deadline_s:
            self.overrun = True
        return self.overrun

    @staticmethod
    def check_clauses(q: wq.Query | None) -> None:
        """QueryError if the compiled query has more leaves than MAX_CLAUSES."""
        clauses = sum(1 for _ in q.leaves()) if q is not None else 0
        if clauses > MAX_CLAUSES:
            raise fail(f"查询展开后过于复杂（{clauses} 个子句，最多 {MAX_CLAUSES} 个），请减少检索词",
                       f"the query is too complex once expanded ({clauses} clauses; at most {MAX_CLAUSES}): "
                       "use fewer words")


def count_terms(node: ast.Node | None) -> int:
    """Words, phrases and symbols in the query tree (field filters are not counted)."""
    if node is None:
        return 0
    if isinstance(node, (ast.Word, ast.Phrase, ast.Symbol)):
        return 1
    if isinstance(node, ast.Not):
        return count_terms(node.child)
    if isinstance(node, (ast.And, ast.Or)):
        return sum(count_terms(c) for c in node.children)
    return 0
