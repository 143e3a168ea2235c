"""Speaker names in canonical form, shared by ingestion (who speaks in a passage) and the query
language (`speaker:` values): "越南代表" -> 越南, "联合国秘书长" -> 秘书长, "俄罗斯" -> 俄罗斯联邦.

A speaker is a person's name, a state, an organisation or a title; pronouns, groups, the one
addressed and clause fragments are not speakers (None).
"""

from __future__ import annotations

import re

_LEADING_WORDS = re.compile(r"^(?:最后|此外|随后|然后|另外|同时|其中|会上|在会上|接着|首先|因此|但|而|并|还有|当时|对此|之后|其后)+")
_NOT_SPEAKERS = re.compile(r"^(?:他|她|他们|她们|它|其|该|这位|那位|一位|几位|多位|许多|一些|有些|部分|各|每位|某)")
# "向集体安全条约组织秘书长介绍了…": the one addressed, not a speaker; "号主席说明": a document.
_RECIPIENT = re.compile(r"^(?:向|对|给|请|号)")
STATE_REPRESENTATIVE_RE = re.compile(
    r"^(?P<state>.+?)(?:常驻联合国副代表|常驻联合国代表|代理常驻代表|常驻副代表|常驻代表|代表|常驻联合国观察员|常驻观察员|"
    r"驻安全理事会特使|政治协调员)$"
)
_OFFICES_ENDING_IN_REPRESENTATIVE = ("高级代表", "特别代表", "个人代表", "执行代表", "联合代表")
ALIASES = {
    "安理会主席": "安全理事会主席", "联合国秘书长": "秘书长", "联合国秘书处秘书长": "秘书长",
    # States under their short and their usual UN names
    "俄罗斯": "俄罗斯联邦", "英国": "联合王国", "伊朗": "伊朗伊斯兰共和国", "叙利亚": "阿拉伯叙利亚共和国",
    "委内瑞拉": "委内瑞拉玻利瓦尔共和国", "玻利维亚": "多民族玻利维亚国", "坦桑尼亚": "坦桑尼亚联合共和国",
    "美利坚合众国": "美国", "中华人民共和国": "中国", "大不列颠及北爱尔兰联合王国": "联合王国",
}
# A clause, not a name: "…讨论都有青年(代表)", "…所有会议的…" (book titles 《…》 set aside first).
_CLAUSE_RE = re.compile(r"都|所有|被|已经|正在|[了着过](?!渡)|(?:的.*){2}")


def canonical_speaker(who: str) -> str | None:
    """One speaker name in canonical form, or None for pronouns, groups and anonymous speakers."""
    who = _LEADING_WORDS.sub("", re.sub(r"\s+", "", who))
    who = re.sub(r"[(（][^()（）]*[)）]", "", who)
    if not who or _NOT_SPEAKERS.match(who) or _RECIPIENT.match(who) or who in ("代表", "主席团"):
        return None
    if _CLAUSE_RE.search(re.sub(r"《[^》]*》", "", who)):
        return None
    who = ALIASES.get(who, who)
    m = STATE_REPRESENTATIVE_RE.match(who)
    if m and not who.endswith(_OFFICES_ENDING_IN_REPRESENTATIVE) and len(m.group("state")) >= 2:
        return ALIASES.get(m.group("state"), m.group("state"))
    return who
