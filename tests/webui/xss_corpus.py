"""A corpus made of script-injection payloads: in text, titles, symbols, speakers, file names, sidecar fields.

Every payload that runs sets `window.__xss` or opens a dialog; the tests check that none does and that
no payload's markup reaches a page as markup.
"""

from __future__ import annotations

from pathlib import Path

SET = "window.__xss=1"
_VECTORS = [
    f"<script>{SET}</script>",
    f"<img src=x onerror={SET}>",
    f'<img src="x" onerror="{SET}">',
    f"<svg onload={SET}>",
    f"<svg><script>{SET}</script></svg>",
    f"<body onload={SET}>",
    f"<iframe src=\"javascript:{SET}\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    f"<a href=\"javascript:{SET}\">x</a>",
    f"<details open ontoggle={SET}>",
    f"<input autofocus onfocus={SET}>",
    f"<video><source onerror={SET}></video>",
    f"<math><mtext><script>{SET}</script></mtext></math>",
    f"<object data=\"javascript:{SET}\"></object>",
    f"<embed src=\"javascript:{SET}\">",
    f"<marquee onstart={SET}>",
    f"<style>@import 'javascript:{SET}'</style>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{SET}\">",
    f"<base href=\"javascript:{SET}//\">",
    f"<form action=\"javascript:{SET}\"><button>x</button></form>",
    f"<scr<script>ipt>{SET}</scr</script>ipt>",
    f"<SCRIPT>{SET}</SCRIPT>",
    f"<img src=x oNeRrOr={SET}>",
    f"<img\tsrc=x\tonerror={SET}>",
    "<img src=x onerror=&#119;indow.__xss=1>",
]
# Ways out of an attribute, a text area, a title or a comment, put before a vector.
_BREAKOUTS = ["", '">', "'>", "</mark>", "</title>", "</textarea>", "-->", "</script>", "`>"]


def payloads() -> list[str]:
    """Over fifty distinct payloads: every vector plainly, then vectors after each way out of a context."""
    mixed = [breakout + vector for i, breakout in enumerate(_BREAKOUTS[1:]) for vector in _VECTORS[i::8][:5]]
    return list(dict.fromkeys([*_VECTORS, *mixed, f"javascript:{SET}", "'-alert(1)-'", "{{7*7}}"]))[:60]


LETTER = """联合国\tS/2099/{n}
安全理事会\tDistr.: General
2099年1月{day}日
中文
Original: English

2099年1月{day}日常驻联合国代表给秘书长的信

    1. 谨转递关于跨站脚本测试的说明{n}：{payload}
    2. 发言者：{payload}
    3. 请将本信作为安全理事会文件分发为荷。
"""
RECORD = """联合国\tS/PV.9999{n}
安全理事会
第九九九九次会议
2099年2月{n}日星期一上午10时在纽约举行

主席：{payload}先生

{payload}先生（中国）：我谨发言支持跨站脚本测试。
"""


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def file_name(payload: str) -> str | None:
    """The payload as a file name where the file system allows it (no slash, not too long)."""
    return None if "/" in payload or len(payload.encode("utf-8")) > 200 else payload


def make_corpus(target: Path) -> list[str]:
    """Write one letter per payload (text, speaker line, sidecar title/job number/language, file name when
    possible) and a meeting record for a few; returns the payloads."""
    items = payloads()
    target.mkdir(parents=True, exist_ok=True)
    for n, payload in enumerate(items, start=1):
        stem = f"xss{n:02d} {file_name(payload) or ''}".strip()
        (target / f"{stem}.txt").write_text(LETTER.format(n=n, day=n % 28 + 1, payload=payload), encoding="utf-8")
        (target / f"{stem}.meta.toml").write_text(
            f"symbols = [{_toml('S/2099/' + str(n))}, {_toml(payload)}]\ntitle = {_toml('测试标题' + payload)}\n"
            f"job_number = {_toml(payload)}\noriginal_language = {_toml(payload)}\ndoc_type = \"letter\"\n",
            encoding="utf-8")
    for n, payload in enumerate(items[:10], start=1):
        (target / f"record{n:02d}.txt").write_text(RECORD.format(n=n, payload=payload), encoding="utf-8")
    return items
