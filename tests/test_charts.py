"""Inline SVG bar charts: well-formed, accessible, coloured by the theme, readable when crowded."""

from __future__ import annotations

import itertools
import re
from xml.etree import ElementTree as ET

from generator import charts


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # the markup is XML too: it must be well-formed


def bars(svg: ET.Element) -> list[ET.Element]:
    return svg.findall("rect")


def labels(svg: ET.Element, css_class: str) -> list[str]:
    return [t.text or "" for t in svg.findall("text") if t.get("class") == css_class]


def test_no_pairs_no_chart() -> None:
    assert charts.bar_chart([], title="t", chart_id="c") == ""


def test_an_image_named_by_its_title() -> None:
    svg = parse(charts.bar_chart([(2020, 3)], title="Citations <&> per year", chart_id="cites"))
    assert svg.get("role") == "img" and svg.get("id") == "cites"
    title = svg.find("title")
    assert title is not None and title.get("id") == svg.get("aria-labelledby") == "cites-title"
    assert title.text == "Citations <&> per year"  # escaped in the markup, intact when read
    assert "<&>" not in charts.bar_chart([(2020, 3)], title="<&>", chart_id="c")


def test_bar_heights_are_proportional_and_small_counts_stay_visible() -> None:
    svg = parse(
        charts.bar_chart([(2019, 100), (2020, 0), (2021, 50), (2022, 0), (2023, 0)], title="t", chart_id="c")
    )
    heights = [float(b.get("height", "")) for b in bars(svg)]
    plot = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert heights == [plot, 0, plot / 2, 0, 0]
    tiny = parse(charts.bar_chart([(2019, 1000), (2020, 1)], title="t", chart_id="c"))
    assert float(bars(tiny)[1].get("height", "")) >= 1
    flat = parse(charts.bar_chart([(2019, 0), (2020, 0)], title="t", chart_id="c"))
    assert [float(b.get("height", "")) for b in bars(flat)] == [0, 0]  # no division by zero


def test_bars_stand_on_the_baseline_in_order() -> None:
    svg = parse(charts.bar_chart([(2019, 4), (2020, 8)], title="t", chart_id="c"))
    baseline = charts.HEIGHT - charts.BOTTOM
    for bar in bars(svg):
        assert float(bar.get("y", "")) + float(bar.get("height", "")) == baseline
    xs = [float(b.get("x", "")) for b in bars(svg)]
    assert xs == sorted(xs)
    assert [b.findtext("title") for b in bars(svg)] == ["2019: 4", "2020: 8"]  # hover text


def test_numbers_are_formatted_by_the_caller() -> None:
    svg = parse(charts.bar_chart([(2020, 1204)], title="t", chart_id="c", number=lambda n: f"{n:,}"))
    assert labels(svg, "chart-value") == ["1,204"]


def test_colours_come_from_css() -> None:
    markup = charts.bar_chart([(2019, 4), (2020, 8)], title="t", chart_id="c")
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(|style=", markup)
    svg = parse(markup)
    assert {b.get("class") for b in bars(svg)} == {"chart-bar"}
    assert {t.get("class") for t in svg.findall("text")} == {"chart-value", "chart-year"}
    axis = svg.find("line")
    assert axis is not None and axis.get("class") == "chart-axis"


def test_width_follows_the_number_of_years() -> None:
    few = parse(charts.bar_chart([(2020, 1)], title="t", chart_id="c"))
    many = parse(charts.bar_chart([(y, 1) for y in range(1970, 2025)], title="t", chart_id="c"))
    assert few.get("width") == str(charts.MIN_WIDTH)
    assert many.get("width") == str(charts.MAX_WIDTH)
    for svg in (few, many):  # scales by viewBox: the CSS may shrink it to a phone's width
        assert svg.get("viewBox") == f"0 0 {svg.get('width')} {charts.HEIGHT}"


def test_crowded_years_are_thinned_and_never_touch() -> None:
    pairs = [(y, y - 1960) for y in range(1970, 2025)]
    svg = parse(charts.bar_chart(pairs, title="t", chart_id="c"))
    years = [t for t in svg.findall("text") if t.get("class") == "chart-year"]
    assert 1 < len(years) < len(pairs)
    assert years[-1].text == "2024"  # the newest year is always labelled
    xs = [float(t.get("x", "")) for t in years]
    assert all(b - a >= 4 * charts.DIGIT for a, b in itertools.pairwise(xs))
    assert labels(svg, "chart-value") == []  # three-digit counts do not fit 55 narrow bars
    assert len(bars(svg)) == len(pairs)


def test_few_years_are_all_labelled() -> None:
    svg = parse(charts.bar_chart([(2021, 5), (2022, 7), (2023, 9)], title="t", chart_id="c"))
    assert labels(svg, "chart-year") == ["2021", "2022", "2023"]
    assert labels(svg, "chart-value") == ["5", "7", "9"]
