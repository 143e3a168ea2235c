"""The same document as text, PDF, Word and HTML gives the same passages, metadata and footnotes.

The PDF/DOCX/HTML files are made from the seed's own text (see fixtures/make_fixtures.py) and go
through the whole pipeline (indexer.ingest.pipeline.ingest); the text seed is the reference.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.make_fixtures import (
    Block,
    Model,
    letter_model,
    prst_model,
    random_text_strategy,
    rep36_notes_model,
    report_numbered_model,
    write_docx,
    write_html,
    write_pdf,
    write_scan_pdf,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.cli import main
from indexer.errors import ReadError
from indexer.ingest import readers
from indexer.ingest.pipeline import ingest
from indexer.models import Document, Passage

WRITERS = {"pdf": write_pdf, "docx": write_docx, "html": write_html}
MODELS = {"prst": prst_model, "rep36": rep36_notes_model, "report": report_numbered_model}
FORMATS = sorted(WRITERS)
_WS_RE = re.compile(r"\s+")
_SENTENCE_END = "。；：！？”)）"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every model written in every format, once: (model, format) -> file."""
    folder = tmp_path_factory.mktemp("formats")
    return {
        (name, fmt): write(model(), folder / f"{name}.{fmt}")
        for name, model in MODELS.items()
        for fmt, write in WRITERS.items()
    }


@pytest.fixture(scope="module")
def docs(made: dict[tuple[str, str], Path]) -> dict[tuple[str, str], Document]:
    return {key: ingest(path) for key, path in made.items()}


def squash(text: str) -> str:
    return _WS_RE.sub("", text)


def shape(passages: tuple[Passage, ...] | list[Passage]) -> list[tuple]:
    """What must agree between formats: kind, number, heading path, text (spaces aside), footnotes."""
    return [
        (p.kind, p.paragraph, p.heading, squash(p.text), tuple((f.marker, squash(f.text), f.offset) for f in p.footnotes))
        for p in passages
    ]


def whole_paragraphs(passages: tuple[Passage, ...]) -> list[str]:
    """Seed passages with a passage that stops mid-sentence joined to the next (a page break in the seed)."""
    out: list[str] = []
    for p in passages:
        if out and out[-1][-1:] not in _SENTENCE_END and p.kind == "text":
            out[-1] += squash(p.text)
        else:
            out.append(squash(p.text))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_presidential_statement_passages_match_the_text_seed(docs, seed_docs, fmt: str) -> None:
    doc = docs["prst", fmt]
    assert whole_paragraphs(doc.passages) == whole_paragraphs(seed_docs["prst"].passages)
    assert [p.text for p in doc.passages][:2] == [
        "安全理事会主席声明",
        "2021 年 4 月 19 日，依照因 2019 冠状病毒病大流行所致特殊情况而商定并在 S/2020/372 号文件中所列程序，"
        "安全理事会主席就安理会审议的题为“联合国与区域和次区域组织在维护国际和平与安全方面的合作”的项目，"
        "代表安理会发表声明如下：",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_presidential_statement_metadata_matches_the_text_seed(docs, seed_docs, fmt: str) -> None:
    doc, seed = docs["prst", fmt], seed_docs["prst"]
    assert (doc.symbols, doc.doc_type, doc.doc_date, doc.job_number, doc.title) == (
        ("S/PRST/2021/9",), "主席声明", "2021-04-19", "21-05177", "安全理事会主席声明",
    )
    assert (seed.symbols, seed.doc_type, seed.doc_date, seed.job_number, seed.title) == (
        doc.symbols, doc.doc_type, doc.doc_date, doc.job_number, doc.title,
    )
    assert [p.references for p in doc.passages][1] == ("S/2020/372",)
    assert [d for p in doc.passages for d in p.dates] == [d for p in seed.passages for d in p.dates]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_running_heads_left_out_of_the_text_still_give_symbol_and_job_number(seed_docs, tmp_path: Path, fmt: str) -> None:
    """S/2021/130 shows its symbol and job number only in running heads and footers (pages 2, 3)."""
    model = letter_model()
    path = tmp_path / f"S_2021_130.{fmt}"
    if fmt == "pdf":
        write_pdf(model, path)
    else:
        write_docx(model, path, masthead_in_header=True)
    doc, seed = ingest(path), seed_docs["letter"]
    assert "S/2021/130" not in doc.text
    assert (doc.symbols, doc.job_number, doc.doc_type, doc.doc_date) == (("S/2021/130",), "21-01922", "信函", "2021-02-08")
    assert (seed.symbols, seed.job_number, seed.doc_type, seed.doc_date) == (doc.symbols, doc.job_number, doc.doc_type, doc.doc_date)


def test_symbol_from_the_html_title_and_the_word_file_properties(tmp_path: Path) -> None:
    import docx

    html = ingest(write_html(letter_model(), tmp_path / "letter.html"))
    word_path = write_docx(letter_model(), tmp_path / "letter.docx")
    word = docx.Document(str(word_path))
    word.core_properties.title = "S/2021/130"
    word.save(str(word_path))
    for doc in (html, ingest(word_path)):
        assert (doc.symbols, doc.doc_type, doc.doc_date) == (("S/2021/130",), "信函", "2021-02-08")
        assert "S/2021/130" not in doc.text


def test_word_masthead_in_the_page_header_gives_the_same_document(seed_docs, tmp_path: Path) -> None:
    doc = ingest(write_docx(prst_model(), tmp_path / "S_PRST_2021_9.docx", masthead_in_header=True))
    seed = seed_docs["prst"]
    assert (doc.symbols, doc.doc_type, doc.doc_date, doc.job_number) == (
        seed.symbols, seed.doc_type, seed.doc_date, seed.job_number,
    )
    assert whole_paragraphs(doc.passages) == whole_paragraphs(seed.passages)


@pytest.mark.parametrize("fmt", FORMATS)
def test_repertoire_footnotes_and_their_offsets_match_the_text_seed(docs, seed_docs, fmt: str) -> None:
    doc = docs["rep36", fmt]
    by_text = {squash(p.text): p for p in seed_docs["rep36"].passages}
    seed_passages = [by_text[squash(p.text)] for p in doc.passages]  # KeyError: a passage the seed lacks
    assert shape(doc.passages)[0][1:] == (None, "", shape(seed_passages)[0][3], shape(seed_passages)[0][4])
    assert [s[3:] for s in shape(doc.passages)] == [s[3:] for s in shape(seed_passages)]
    notes = {f.marker: f.text for p in doc.passages for f in p.footnotes}
    assert notes == {
        "963": "见 S/2020/489。",
        "964": "比利时、法国、尼日尔、俄罗斯联邦、联合王国、美国。",
        "965": "中国、法国、尼日尔(也代表圣文森特和格林纳丁斯、南非、突尼斯)、联合王国、美国。",
        "966": "安理会面前有 2020年 9月 1日的信(S/2020/880)所附概念说明。",
        "967": "见 S/2020/893。",
    }
    first = doc.passages[0]
    assert first.text[: first.footnotes[0].offset] == "5 月 28 日，安理会成员就此项目举行公开视频会议，"


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_paragraph_numbers_and_headings_match_the_text_seed(docs, seed_docs, fmt: str) -> None:
    doc = docs["report", fmt]
    numbered = [p for p in doc.passages if p.paragraph]
    assert [p.paragraph for p in numbered] == ["1", "2", "3", "4", "5", "6"]
    seed = {p.paragraph: p for p in seed_docs["report"].passages if p.paragraph in {"1", "2", "3", "4", "5", "6"}}
    assert shape(numbered) == shape([seed[p.paragraph] for p in numbered])
    assert numbered[4].heading == "二. 联合国同各区域组织及其他组织的合作 › 非洲联盟"


@pytest.mark.parametrize("model", sorted(MODELS))
def test_pdf_word_and_html_agree_passage_for_passage(docs, model: str) -> None:
    pdf = shape(docs[model, "pdf"].passages)
    assert shape(docs[model, "docx"].passages) == pdf
    assert shape(docs[model, "html"].passages) == pdf


@pytest.mark.parametrize("fmt", FORMATS)
def test_inspect_command_reads_pdf_word_and_html(made, fmt: str) -> None:
    path = made["prst", fmt]
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    assert "S/PRST/2021/9" in result.output
    assert "安全理事会重申其根据《宪章》负有维护国际和平与安全的首要责任" in result.output
    data = json.loads(CliRunner().invoke(main, ["inspect", "--json", str(path)]).output)
    assert (data["symbols"], data["doc_type"], data["doc_date"]) == (["S/PRST/2021/9"], "主席声明", "2021-04-19")
    assert data["encoding"] == fmt
    assert len(data["passages"]) == 14


def test_inspect_command_names_a_scanned_pdf(tmp_path: Path) -> None:
    path = write_scan_pdf(tmp_path / "scan.pdf")
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"undocs: {path}: PDF has no text layer (scanned image?); run OCR first\n"


def test_build_skips_a_scanned_pdf_and_indexes_the_other_formats(made, tmp_path: Path) -> None:
    from indexer.engine.build import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for fmt in FORMATS:
        (corpus / f"S_PRST_2021_9.{fmt}").write_bytes(made["prst", fmt].read_bytes())
    write_scan_pdf(corpus / "scan.pdf")
    report = build_index(corpus, tmp_path / "index", progress=False, workers=1)
    assert report.failed == [("scan.pdf", "PDF has no text layer (scanned image?); run OCR first")]
    assert (report.documents, report.passages) == (3, 42)
    assert "scan.pdf: PDF has no text layer" in report.summary()


@settings(max_examples=20, deadline=None)
@given(
    blocks=st.lists(st.tuples(st.sampled_from(["text", "heading"]), random_text_strategy(), st.booleans()),
                    min_size=1, max_size=6),
    fmt=st.sampled_from(FORMATS),
)
def test_footnotes_survive_the_whole_pipeline_in_any_format(blocks: list[tuple[str, str, bool]], fmt: str) -> None:
    """Random paragraphs, some citing a footnote: every note comes out attached, with its text."""
    notes: dict[str, str] = {}
    model_blocks = []
    for kind, text, cites in blocks:
        if cites and kind == "text":
            marker = str(len(notes) + 1)
            notes[marker] = f"见 S/2020/{marker}。"
            text = f"{text}。⟦{marker}⟧"
        model_blocks.append(Block(kind, text))
    model = Model("S/2021/1", "21-00001", model_blocks, notes)
    with tempfile.TemporaryDirectory() as folder:
        doc = ingest(WRITERS[fmt](model, Path(folder) / f"random.{fmt}"))
    assert {f.marker: f.text for p in doc.passages for f in p.footnotes} == notes


@pytest.mark.parametrize("fmt", FORMATS)
def test_damaged_files_give_a_read_error_or_text_never_a_crash(made, tmp_path: Path, fmt: str) -> None:
    """Bytes flipped, cut or spliced in (fixed seed): the reader answers with text or a ReadError."""
    data = made["rep36", fmt].read_bytes()
    rng = random.Random(20210208)
    outcomes = set()
    for k in range(24):
        damaged = bytearray(data)
        at = rng.randrange(len(damaged))
        if k % 3 == 0:
            for _ in range(8):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        elif k % 3 == 1:
            damaged = damaged[:at]
        else:
            damaged[at:at] = bytes(rng.randrange(256) for _ in range(40))
        path = tmp_path / f"damaged-{k}.{fmt}"
        path.write_bytes(bytes(damaged))
        try:
            outcomes.add(type(readers.read(path)).__name__)
        except ReadError as exc:
            assert str(exc).startswith(f"{path}: ")
            outcomes.add("ReadError")
    # A cut PDF or Word file is always refused; HTML is read as far as it goes.
    assert ("RawText" if fmt == "html" else "ReadError") in outcomes
