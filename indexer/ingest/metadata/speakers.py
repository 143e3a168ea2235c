"""Speakers: who speaks or is reported speaking in a passage, and the speaker turns of a verbatim record.

Canonical forms (so a `speaker:` filter finds them): a state's representative is the state
("越南代表表示" -> 越南, "张军先生(中国)：" -> 中国 and 张军); an office keeps its title as written
("东盟秘书长", "高级代表"), a bare title is expanded to the longer form named earlier in the passage
("欧盟外交与安全政策高级代表 … 高级代表在发言中" -> 欧盟外交与安全政策高级代表), except 秘书长, which
alone always means the UN Secretary-General.  Pronouns and anonymous speakers ("一位发言者") are not kept.

Where they come from: "X在发言中指出/X表示/X的发言…" (SPEECH_RE), briefers ("听取了A和B的通报"), the
Council President's statement ("安全理事会主席…代表安理会发表声明"), Repertoire table rows ("发言者：…"),
seminar rosters ("评论员 法国常驻代表 尼古拉斯·德里维埃大使" -> 法国, 尼古拉斯·德里维埃) and, in a verbatim
record, the turns ("主席(以英语发言)：" -> 主席), which metadata carries over the turn's later passages.
"""

from __future__ import annotations

import re

from indexer.language.speakers import ALIASES, STATE_REPRESENTATIVE_RE, canonical_speaker

# Titles that end a speaker's noun phrase.
ROLES = (  # the UN Secretary-General is "秘书长" alone; see _expand
    "秘书长", "副秘书长", "助理秘书长", "特使", "特别代表", "高级代表", "高级专员", "代表", "常驻代表", "常驻副代表",
    "主席", "部长", "外交部长", "大使", "总统", "总理", "主任", "执行主任", "特别顾问", "顾问", "协调员", "专员",
    "首席执行官", "总干事", "副主席", "主席团", "检察官", "法官", "发起人", "司长", "署长", "会长", "国王", "特别报告员",
    "所长", "负责人", "创始人", "执行秘书", "首席执行干事", "董事", "研究员", "教授", "团长", "观察员", "常驻观察员",
)
_ROLE_ALT = "|".join(sorted(set(ROLES), key=len, reverse=True))
_VERBS = (
    "指出|谈到|概述|强调|表示|说(?!明|服)|补充说|介绍|提醒|呼吁|回顾|解释|报告|重申|欢迎|敦促|提出|建议|警告|宣布|认为|"
    "通报|申明|阐述|总结|感谢|赞扬|确认|注意到|提请|描述|发言"
)
_ADVERBS = r"(?:还|也|进一步|重点|再次|最后|随后|则|又|特别|着重|首先|同时|并)?"
# "X在发言中指出", "X在通报中强调", "X表示", "X的发言专门…"
# Found by the title, then the name is read backwards from it (up to NAME_CHARS Han characters).
SPEECH_RE = re.compile(
    rf"(?P<role>{_ROLE_ALT})"
    rf"(?:(?:[(（][^()（）]{{1,40}}[)）])?"
    rf"(?:在(?:其|他的|她的)?(?:发言|通报|讲话|致辞|介绍|报告)中)?{_ADVERBS}(?:{_VERBS})"
    rf"|(?P<of>的(?:发言|通报|讲话)(?!中)))"
)
NAME_CHARS = 24
_NAME_CHAR_RE = re.compile(r"[\u4e00-\u9fff·・/]")
# "听取了秘书长和东盟理事会秘书长的通报"
BRIEFERS_RE = re.compile(r"听取了(?P<list>[^。；]{2,200}?)的(?:通报|发言|介绍|情况通报|讲话)")
# A Repertoire table row as clean labels it: "…；邀请和发言者：东盟秘书长 秘书长、13 个安理会成员、a 受邀者；…"
TABLE_SPEAKERS_RE = re.compile(r"发言者[：:](?P<list>[^；;]+)")
# A seminar's roster: "评论员 法国常驻代表 尼古拉斯·德里维埃大使 中国常驻副代表 耿爽大使"
ROSTER_RE = re.compile(r"^\s*(?:主持人|评论员|主讲人|发言人|发言者)\s+(?P<list>\S.*)$")
# "安全理事会主席…代表安理会发表声明"
STATEMENT_RE = re.compile(r"(?P<who>安全理事会主席|安理会主席)[^。]{0,120}?代表安理会发表(?:了)?(?:如下)?声明")
# A verbatim record's turn at the start of a passage: "主席(以英语发言)：", "张军先生(中国)：", "秘书长：".
TURN_RE = re.compile(
    r"^\s*(?P<name>[\u4e00-\u9fff·・A-Za-z\u00c0-\u024f\s]{1,24}?)(?P<honorific>先生|女士|阁下|夫人)?\s*"
    r"(?:[(（](?!以[^()（）]{1,8}发言)(?P<country>[^()（）]{1,20})[)）])?\s*(?:[(（]以[^()（）]{1,8}发言[)）])?\s*[：:]"
)
# The cover's member list ("主席： 张军先生 ........ (中国)") is not a turn.
LEADER_RE = re.compile(r"\.{5,}|…{2,}|·{5,}")
# Procedural lines end the current turn: "上午 11 时 20 分散会。"
PROCEDURE_RE = re.compile(r"^\s*(?:[上下]午|晚上)?\s*\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?(?:开会|散会|复会|休会|暂停)。?\s*$")
# A verbatim record's stage direction, printed in italics: "…总统…阁下在陪同下进入大会堂。"
STAGE_RE = re.compile(r"^[^：:。]{2,80}在陪同下(?:进入|退出|离开|走上|走下)[^：:。]{0,10}。?\s*$")
_BOUNDARY = "，。；：、“”‘’（）()《》\n\t "
# Words after which a speaker's name starts ("听取了X的通报", "呼应X的发言", "他说X强调").
_CUT_AFTER = ("了", "被", "听取", "呼应", "会上", "支持", "欢迎", "感谢", "赞扬", "根据", "按照", "认识到", "注意到", "指出",
              "表示", "强调", "说", "认为", "回顾")
# After these the one named is asked to act, not speaking: "安理会要求秘书长提出建议", "邀请特别代表通报".
DIRECTIVES = ("要求", "请", "邀请", "鼓励", "吁请", "促请", "敦促", "授权", "责成", "呼吁", "委托", "希望", "决定")
_CUT_AFTER += DIRECTIVES
# A head of state or government named by surname and title in a General Assembly turn: "韦伯总统".
HEAD_OF_STATE_RE = re.compile(r"(?P<person>[\u4e00-\u9fff·・]{2,8}?)(?:副总统|总统|副总理|总理|首相|国王|女王|亲王|埃米尔|王储)")
_ORGANISATION_CHARS = re.compile(r"盟|组织|会|联|国")
def _phrase_start(text: str, start: int, end: int) -> int:
    """Move a match's start to just after the last boundary character inside it."""
    cut = max(text.rfind(ch, start, end) for ch in _BOUNDARY)
    start = cut + 1 if cut >= start else start
    for word in _CUT_AFTER:
        at = text.rfind(word, start, end)
        if at >= 0 and at + len(word) < end:
            start = at + len(word)
    return start


def _expand(name: str, earlier: list[str]) -> str:
    """A short mention ("高级代表", "国家战略和安全研究中心主任") becomes the longer name ending in it that
    the passage stated before; 秘书长 and 主席 alone keep their own meaning."""
    if name in ("秘书长", "主席") or not name.endswith(ROLES):
        return name  # states never: 苏丹 is not 南苏丹
    longer = [e for e in earlier if e.endswith(name) and e != name]
    return longer[-1] if longer else name


def split_names(names: str) -> list[str]:
    """Split a list of names at 、/，, and at 和/及 only where a title ends ("政治和建设和平事务部" stays whole).

    A piece that ends in no title is part of the next name ("主管欧洲、中亚和美洲事务助理秘书长").
    """
    items: list[str] = []
    pending = ""
    for chunk in re.split(r"([、，,])", names):
        if chunk in "、，,":
            pending += chunk if pending else ""
            continue
        start, chunk = 0, pending + chunk
        for m in re.finditer(r"以及|和|及", chunk):
            if chunk[start : m.start()].endswith(ROLES):
                items.append(chunk[start : m.start()])
                start = m.end()
        rest = chunk[start:]
        pending = "" if rest.endswith(ROLES) else rest
        if not pending:
            items.append(rest)
    return [*items, pending] if pending else items


def _briefers(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for m in BRIEFERS_RE.finditer(text):
        names = re.sub(r"[(（][^()（）]*[)）]|所作$|所做$", "", m.group("list"))
        for k, item in enumerate(split_names(names)):
            name = canonical_speaker(item)
            if name and name.endswith(ROLES):
                found.append((m.start("list") + k, name))  # k keeps the list's order
    return found


def roster_speakers(text: str) -> list[str]:
    """The states and people of a roster line: offices give their state, names lose "大使"."""
    m = ROSTER_RE.match(text)
    if not m:
        return []
    names: list[str] = []
    for item in m.group("list").split():
        state = STATE_REPRESENTATIVE_RE.match(item)
        if state:
            names.append(canonical_speaker(item) or item)
        elif re.fullmatch(r"[\u4e00-\u9fff·・]{2,24}", item):
            names.append(re.sub(r"(?:大使|先生|女士)$", "", item))
    return [n for n in dict.fromkeys(names) if n]


def passage_speakers(text: str) -> list[str]:
    """Speakers named as speaking or briefing in a passage's text, canonical, in order of first mention."""
    mentions: list[tuple[int, str]] = [(k - 1000, n) for k, n in enumerate(roster_speakers(text))] + _briefers(text)
    for m in TABLE_SPEAKERS_RE.finditer(text):
        for k, item in enumerate(re.split(r"[、，,\s]+", m.group("list"))):
            item = re.sub(r"^[a-z](?![a-z])", "", item)
            name = canonical_speaker(item) if item.endswith(ROLES) else None
            if name and not re.search(r"\d|成员|会员国", name):
                mentions.append((m.start("list") + k, name))
    for m in STATEMENT_RE.finditer(text):
        mentions.append((m.start(), ALIASES.get(m.group("who"), m.group("who"))))
    for m in SPEECH_RE.finditer(text):
        start = m.start("role")
        while start > 0 and m.start("role") - start < NAME_CHARS and _NAME_CHAR_RE.match(text[start - 1]):
            start -= 1
        start = _phrase_start(text, start, m.end("role"))
        if text[max(0, start - 2) : start].endswith(DIRECTIVES):
            continue
        name = canonical_speaker(text[start : m.end("role")])
        if name and not (m.group("of") and re.search("[和、及与]", name)):
            mentions.append((start, name))
    mentions.sort()
    names: list[str] = []
    for _, name in mentions:
        names.append(_expand(name, names))
    return list(dict.fromkeys(names))


TITLED_PERSON_RE = re.compile(rf"^(?P<title>.{{0,24}}(?:{_ROLE_ALT}))(?P<person>[\u4e00-\u9fff·・]{{2,8}}|[A-Za-z\u00c0-\u024f].{{1,30}})$")


def titled_person(name: str) -> list[str]:
    """A title written before a person's name splits in two: "副秘书长迪卡洛" -> ["副秘书长", "迪卡洛"]."""
    m = TITLED_PERSON_RE.match(name)
    return [m.group("title"), m.group("person")] if m else [name]


def latin_spaced(name: str) -> str:
    """Spaces go, except one between Latin-script words ("Pedroso  Cuesta" stays two words)."""
    name = re.sub(r"\s+", " ", name.strip())
    return re.sub(r"(?<![A-Za-z\u00c0-\u024f]) | (?![A-Za-z\u00c0-\u024f])", "", name)


def speaker_turn(text: str) -> list[str] | None:
    """The speaker(s) of a verbatim-record turn starting `text` ("张军先生(中国)：" -> ["中国", "张军"]), else None."""
    m = TURN_RE.match(text)
    if not m or LEADER_RE.search(text):
        return None
    name = latin_spaced(m.group("name"))
    if not (m.group("honorific") or m.group("country") or name in ROLES or name.endswith(ROLES)):
        return None
    names = [canonical_speaker(m.group("country"))] if m.group("country") else []
    person = re.fullmatch(r"(?P<person>.{2,5}?)(?P<title>副秘书长|秘书长)", name)
    head = HEAD_OF_STATE_RE.fullmatch(name)
    if person and not _ORGANISATION_CHARS.search(person.group("person")):
        names += [person.group("title"), person.group("person")]
    elif head and not _ORGANISATION_CHARS.search(head.group("person")):
        names.append(head.group("person"))  # "韦伯总统(以英语发言)：" is Weber; "法国总统" stays whole
    elif m.group("honorific"):
        names += titled_person(name)  # "副秘书长迪卡洛女士(以英语发言)：" -> 副秘书长, 迪卡洛
    else:
        names.append(ALIASES.get(name, name))
    return [n for n in dict.fromkeys(names) if n]


def speaker_turns(text: str) -> list[tuple[int, list[str]]]:
    """Every turn in `text` (at its start or after a sentence end), as (offset, speakers)."""
    starts = [0, *(m.end() for m in re.finditer(r"[。！？\n]\s*", text))]
    turns = [(at, speaker_turn(text[at:])) for at in starts if at < len(text)]
    return [(at, names) for at, names in turns if names]
