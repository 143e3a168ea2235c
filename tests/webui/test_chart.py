"""The use-over-time chart: an inline SVG with one bar per year and series, gaps kept, no style attributes."""

from __future__ import annotations

import re

from webui.chart import Series, usage_svg, years_of


def test_years_run_from_first_to_last_with_gaps() -> None:
    series = [Series("甲", {"2018": 2, "2021": 5}, {"2018": 1, "2021": 2}, "s1"),
              Series("乙", {"2019": 1}, {"2019": 1}, "s2")]
    assert years_of(series) == ["2018", "2019", "2020", "2021"]


def test_one_bar_per_year_and_series_scaled_to_the_largest() -> None:
    svg = str(usage_svg([Series("甲", {"2020": 4, "2021": 8}, {"2020": 1, "2021": 2}, "s1"),
                         Series("乙", {"2020": 2}, {"2020": 1}, "s2")]))
    bars = re.findall(r'<rect class="bar (s\d)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)">', svg)
    assert [b[0] for b in bars] == ["s1", "s2", "s1", "s2"]
    heights = [float(b[2]) for b in bars]
    assert heights[2] == 2 * heights[0] == 4 * heights[1] and heights[3] == 0
    assert "<title>甲 · 2021：8 次，2 个文件</title>" in svg
    assert "style=" not in svg and "<script" not in svg


def test_no_dated_use_draws_nothing() -> None:
    assert str(usage_svg([Series("甲", {}, {}, "s1")])) == ""


def test_labels_are_escaped() -> None:
    svg = str(usage_svg([Series("<b>x</b>", {"2020": 1}, {"2020": 1}, "s1")]))
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
