"""The default example reproduces the seed profile page: every fact, in the seed's order of information."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import FIXTURES

CARD_HEAD = re.compile(r"^([A-Z]{2})([A-Z][a-z]{2} \d{1,2}, \d{4})(Code)?$")


def seed_facts() -> dict:
    lines = (FIXTURES / "seed_profile.txt").read_text().splitlines()
    blocks = [b.strip().splitlines() for b in "\n".join(lines).split("\n\n") if b.strip()]
    (name,), (category, *metrics), count, *rest = blocks
    papers = []
    for i in range(0, len(rest), 3):  # each card: "tag date Code" + title, authors, abstract
        (card_head, title), (authors,), (abstract,) = rest[i : i + 3]
        category, date, code = CARD_HEAD.match(card_head).groups()
        papers.append(
            {
                "category": category,
                "date": date,
                "code": bool(code),
                "title": title,
                "authors": authors,
                "abstract": abstract,
            }
        )
    return {"name": name, "category": category, "metrics": metrics, "count": count[0], "papers": papers}


def normalise(text: str) -> str:
    """Compare as a reader would: LaTeX markup and dashes rendered, whitespace collapsed."""
    text = re.sub(r"\\emph\{([^}]*)\}", r"\1", text)
    text = text.replace("---", "—").replace("--", "–")
    return " ".join(text.split()).replace("$ $", "$$")


def reader_text(element: Tag) -> str:
    """Text as shown, with each MathML formula replaced by its TeX source."""
    for math in element.find_all("math"):
        tex = math.find("annotation")
        math.replace_with(f"${tex.get_text()}$" if tex else math.get_text())
    return " ".join(element.get_text(" ").split())


@pytest.fixture(scope="module")
def home(example_build: Path) -> BeautifulSoup:
    return BeautifulSoup((example_build / "index.html").read_text(), "html.parser")


def test_header_name_category_and_metrics(home):
    facts = seed_facts()
    main = home.find("main")
    assert main.find("h1").get_text(strip=True) == facts["name"]
    text = reader_text(main)
    assert facts["category"] in text.split()
    # the metrics strip: "h-index19", "6papers", "319citations", "Novelty54%", "AI Score44"
    expected = [
        ("h-index", "19"),
        ("papers", "6"),
        ("citations", "319"),
        ("Novelty", "54%"),
        ("AI Score", "44"),
    ]
    strip = [reader_text(item) for item in home.select(".metrics li, .metrics > div, .metric")]
    strip = [s for s in strip if s]
    for (label, value), shown in zip(expected, strip, strict=False):
        assert label in shown and value in shown
    assert len(strip) == len(expected)


def test_paper_count_heading(home):
    headings = [h.get_text(" ", strip=True) for h in home.find_all("h2")]
    assert seed_facts()["count"] in headings


def test_every_card_fact(home):
    cards = home.find_all("article")
    facts = seed_facts()["papers"]
    assert len(cards) == len(facts) == 6
    by_title = {reader_text(card.find("h3")): card for card in cards}
    for fact in facts:
        card = by_title[fact["title"]]
        text = reader_text(card)
        assert fact["category"] in text.split()
        assert fact["date"] in text
        code_links = [a for a in card.find_all("a") if a.get_text(strip=True) == "Code"]
        assert bool(code_links) == fact["code"], fact["title"]
        assert normalise(fact["authors"]) in normalise(text)
        assert normalise(fact["abstract"]) in normalise(text)


def test_information_order(home):
    """Name, category tag, metrics, "6 Papers", then the cards (seed order of information)."""
    text = reader_text(home.find("main"))
    positions = [text.index(s) for s in ("Jianhao Zhang", "CL", "h-index", "AI Score", "6 Papers", "Skywork")]
    assert positions == sorted(positions)


def test_cards_are_newest_first(home):
    times = [t["datetime"] for t in home.select("article time")]
    assert times == sorted(times, reverse=True)
    assert times[0] == "2025-07-08"
