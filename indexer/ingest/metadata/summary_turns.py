"""Speaker turns of a summary record (…/SR.…): "Kumar先生(印度)说，…", "主席回顾说，…".

Why: a summary record reports each statement in the third person, one or more numbered paragraphs
per speaker; the turn opens with the speaker and "说" and holds, across paragraphs, until the next
turn, a heading or a procedural line ("上午10时05分宣布开会。").  Names are written as the
delegates write them, so Latin-script names ("Pedroso Cuesta") are names too.  Canonical form as
for verbatim turns: the state (or organisation) first, then the person.
"""

from __future__ import annotations

import re

from indexer.ingest.metadata.speakers import titled_person
from indexer.language.speakers import canonical_speaker

_NUMBER = r"^\s*(?:\d{1,3}\.\s*)?(?:[^，。；：,:]{1,30}?[，,]\s*)?"  # "12. 关于第3条，Kumar先生(印度)说，"
_VERB = r"(?:(?:回顾|补充|指出|答复|强调|宣布|提请注意|建议|重申|解释)?说|表示|指出|强调|询问|问道|问)[，,：:]"
# "主席说，", "主席回顾说，", "代理主席说，", "秘书长说，"
# "主席宣布，理事会结束了…": the chair's announcement is the chair's turn too
OFFICE_TURN_RE = re.compile(
    rf"{_NUMBER}(?P<office>(?:代理)?(?:副)?主席|秘书长|副秘书长|报告员|委员会秘书|秘书处代表|秘书)(?:{_VERB}|宣布[，,：:]|请(?=\S))"
)
# "Kumar先生(印度)说，", "副主席张军先生(中国)代表主席团发言说，", "X女士(欧洲联盟观察员)说，"
PERSON_TURN_RE = re.compile(
    rf"{_NUMBER}(?:(?:代理)?(?:副)?主席|报告员)?"
    r"(?P<name>[A-Za-z\u00c0-\u024f\u4e00-\u9fff·・'’\-][A-Za-z\u00c0-\u024f\u4e00-\u9fff·・'’\- ]{0,30}?)"
    r"(?P<honorific>先生|女士|夫人|阁下)"
    r"(?:[(（](?P<org>[^()（）]{1,40})[)）])?"
    rf"(?P<tail>[^，。；：,:]{{0,30}}?){_VERB}"
)
# "…代表77国集团和中国发言", "…在解释投票时", "…在行使答辩权时", "…在介绍决议草案A/C.3/78/L.5时"
_TAIL_RE = re.compile(r"^(?:也|还|接着|随后|最后)?(?:代表.{1,28}?发言|代表.{1,28}?|发言|在.{1,28}?时)?(?:也|还)?$")
# Procedural lines end a turn: "上午10时05分宣布开会。", "会议于下午1时散会。"
PROCEDURE_RE = re.compile(r"^\s*(?:会议于)?\s*(?:[上下]午|晚上)\s*\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?(?:宣布)?(?:开会|散会|复会|休会|暂停)")
_OBSERVER_RE = re.compile(r"(?:常驻)?观察员$")


_CLAUSE_RE = re.compile(r"(?<=.)[和与及]|[的了]|注意到|认为|指出|表示|说|请|感谢|欢迎")
HAN_NAME_MAX = 12  # a name written in Han characters, transliterations with "·" included


def is_clause(person: str) -> bool:
    """A person's name holds no clause words, does not mix Han and Latin script, and is not long."""
    han = re.findall(r"[\u4e00-\u9fff]", person)
    if han and (re.search(r"[A-Za-z\u00c0-\u024f]", person) or " " in person):
        return True
    return bool(_CLAUSE_RE.search(person)) or len(han) > HAN_NAME_MAX


def _org(text: str | None) -> str | None:
    """"印度" -> 印度, "欧洲联盟观察员" -> 欧洲联盟, "秘书处" -> 秘书处."""
    if not text:
        return None
    return canonical_speaker(_OBSERVER_RE.sub("", text.strip()))


def summary_turn(text: str) -> list[str] | None:
    """The speakers of a turn that opens `text`, else None."""
    m = OFFICE_TURN_RE.match(text)
    if m:
        return [m.group("office")]
    m = PERSON_TURN_RE.match(text)
    if not m or not _TAIL_RE.match(m.group("tail").strip()):
        return None
    name = re.sub(r"\s+", " ", m.group("name")).strip()
    people = titled_person(name)
    if is_clause(people[-1]):
        return None  # "各国代表和Kumar", "委员会注意到张三": a clause, not a name
    names = [_org(m.group("org")), *people]
    return [n for n in dict.fromkeys(names) if n]


def summary_speakers(text: str, kind: str, turn: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """A passage's speakers: a turn it opens, else the turn going on; headings and procedure end turns."""
    if kind == "heading" or PROCEDURE_RE.match(text):
        return (), []
    opened = summary_turn(text)
    if opened:
        return tuple(opened), opened
    return tuple(turn), turn
