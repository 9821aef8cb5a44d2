"""A deterministic benchmark site: N arXiv-style papers, an author pool, profiles.

The same ``(n_papers, seed)`` always yields byte-identical files, so timings of
different runs and machines compare like with like. Papers go into one
``papers.bib`` (the common case, and the hardest one for incremental builds);
the most prolific authors of the pool get a profile, and the site is a group
site whose home page lists them.

Usage: ``python -m benchmarks.corpus DIR N [--seed S]``
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
CATEGORIES = ("cs.CL", "cs.CV", "cs.LG", "cs.AI", "stat.ML", "cs.RO", "cs.IR", "cs.CR", "cs.DC", "cs.SE")
GIVEN = [
    "Ada",
    "Alan",
    "Ming",
    "Wei",
    "Lina",
    "Omar",
    "Sofia",
    "Ivan",
    "Priya",
    "Kenji",
    "Elena",
    "Tomas",
    "Aisha",
    "Lucas",
    "Mei",
    "Jonas",
    "Nadia",
    "Pavel",
    "Hana",
    "Diego",
    "Yuki",
    "Sara",
    "Felix",
    "Amara",
    "Chen",
    "Ravi",
    "Ines",
    "Noah",
    "Leila",
    "Mateo",
    "Anya",
    "Kofi",
    "Lena",
    "Arjun",
    "Zoe",
    "Emil",
]
FAMILY = [
    "Zhang",
    "Wang",
    "Li",
    "Smith",
    "Garcia",
    "Müller",
    "Kowalski",
    "Tanaka",
    "Okafor",
    "Rossi",
    "Dubois",
    "Novak",
    "Silva",
    "Kim",
    "Nguyen",
    "Cohen",
    "Ivanova",
    "Jensen",
    "Haddad",
    "Costa",
    "Schmidt",
    "Park",
    "Singh",
    "Moreau",
    "Fischer",
    "Lopez",
    "Sato",
    "Petrov",
    "Bianchi",
    "Andersen",
    "Yilmaz",
    "Brown",
    "Nakamura",
    "Hoffmann",
    "Ortiz",
    "Chandra",
    "Eriksson",
    "Mensah",
    "Vogel",
    "Duarte",
]
WORDS = [
    "model",
    "models",
    "learning",
    "neural",
    "network",
    "networks",
    "language",
    "vision",
    "multimodal",
    "reasoning",
    "efficient",
    "robust",
    "scalable",
    "sparse",
    "attention",
    "transformer",
    "training",
    "inference",
    "benchmark",
    "dataset",
    "retrieval",
    "graph",
    "optimization",
    "gradient",
    "policy",
    "reinforcement",
    "agent",
    "agents",
    "memory",
    "contrastive",
    "generative",
    "diffusion",
    "alignment",
    "preference",
    "reward",
    "distillation",
    "quantization",
    "pruning",
    "federated",
    "privacy",
    "secure",
    "adversarial",
    "causal",
    "representation",
    "embedding",
    "tokens",
    "context",
    "long-context",
    "evaluation",
    "synthetic",
    "data",
    "curriculum",
    "transfer",
    "zero-shot",
    "few-shot",
    "instruction",
    "tuning",
    "open",
    "foundation",
    "hybrid",
]
FILLER = [
    "we",
    "propose",
    "a",
    "novel",
    "approach",
    "that",
    "improves",
    "over",
    "prior",
    "work",
    "on",
    "several",
    "tasks",
    "while",
    "reducing",
    "the",
    "cost",
    "of",
    "training",
    "and",
    "inference",
    "by",
    "a",
    "large",
    "margin",
    "our",
    "experiments",
    "show",
    "consistent",
    "gains",
    "across",
    "settings",
    "and",
    "we",
    "release",
    "code",
    "and",
    "data",
    "to",
    "support",
    "further",
    "research",
    "in",
    "this",
    "area",
]


@dataclass(frozen=True, slots=True)
class Person:
    given: str
    family: str

    @property
    def bibtex(self) -> str:
        return f"{self.family}, {self.given}"

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def slug(self) -> str:
        text = self.full.lower().replace(".", "").replace(" ", "-")
        return text.translate(str.maketrans("ü", "u"))


def author_pool(rng: random.Random, size: int) -> list[Person]:
    """``size`` distinct people; earlier ones are drawn more often (a Zipf-like pool)."""
    if size > len(GIVEN) * len(FAMILY) * 27:
        raise ValueError(f"an author pool of {size} is more than the names can make")
    seen: set[tuple[str, str]] = set()
    pool: list[Person] = []
    initials = ["", *(f" {chr(c)}." for c in range(ord("A"), ord("Z") + 1))]
    while len(pool) < size:
        pair = (rng.choice(GIVEN) + rng.choice(initials), rng.choice(FAMILY))
        if pair not in seen:
            seen.add(pair)
            pool.append(Person(*pair))
    return pool


def _sentence(rng: random.Random, words: int) -> str:
    parts = [rng.choice(WORDS if rng.random() < 0.4 else FILLER) for _ in range(words)]
    return " ".join(parts).capitalize() + "."


def abstract(rng: random.Random) -> str:
    """A 120-200 word abstract with the occasional inline math."""
    sentences = [_sentence(rng, rng.randint(12, 22)) for _ in range(rng.randint(7, 10))]
    if rng.random() < 0.3:
        sentences.insert(1, f"We reach $O(n \\log n)$ time and a {rng.randint(2, 9)}\\% gain.")
    return " ".join(sentences)


def paper_entry(rng: random.Random, index: int, pool: list[Person], cum_weights: list[float]) -> str:
    """One arXiv-export entry."""
    authors: list[Person] = []
    for person in rng.choices(pool, cum_weights=cum_weights, k=rng.randint(2, 7)):
        if person not in authors:
            authors.append(person)
    year = rng.randint(2010, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    title_words = [rng.choice(WORDS) for _ in range(rng.randint(5, 11))]
    title = " ".join(title_words).capitalize()
    first = authors[0].family.lower().translate(str.maketrans("ü", "u"))
    key = f"{first}{year}{title_words[0]}{index}"
    eprint = f"{year % 100:02d}{month:02d}.{index:05d}"
    lines = [
        f"@misc{{{key},",
        f"  title         = {{{title}}},",
        f"  author        = {{{' and '.join(a.bibtex for a in authors)}}},",
        f"  year          = {{{year}}},",
        f"  month         = {MONTHS[month - 1]},",
        f"  date          = {{{year}-{month:02d}-{day:02d}}},",
        f"  eprint        = {{{eprint}}},",
        "  archivePrefix = {arXiv},",
        f"  primaryClass  = {{{rng.choice(CATEGORIES)}}},",
        f"  url           = {{https://arxiv.org/abs/{eprint}}},",
    ]
    if rng.random() < 0.4:
        lines.append(f"  code          = {{https://github.com/example/{key}}},")
    lines.append(f"  abstract      = {{{abstract(rng)}}}")
    return "\n".join(lines) + "\n}\n"


def profile_yaml(person: Person, rng: random.Random) -> str:
    return (
        f"name: {person.full}\n"
        f"affiliation: {rng.choice(('Benchmark University', 'Institute of Tests', 'Example Lab'))}\n"
        f"category: {rng.choice(CATEGORIES).split('.')[-1]}\n"
        f"bio: >-\n  {person.given} works on {rng.choice(WORDS)} {rng.choice(WORDS)}.\n"
        "links:\n"
        f"  homepage: https://example.org/{person.slug}/\n"
    )


SITE_YAML = """title: Benchmark Lab
base_url: https://bench.example.org/lab/
language: en
group: Benchmark Lab
description: A generated site for benchmarking scholarpages.
"""
ABOUT_MD = """---
title: About
nav_order: 1
---

A generated site: every paper, name and abstract is random.
"""


def generate(root: Path, n_papers: int, seed: int = 0, profiles: int = 20) -> Path:
    """Write ``root/content/`` for ``n_papers`` papers; returns the content folder."""
    rng = random.Random(seed)
    pool = author_pool(rng, max(40, n_papers // 4))
    cum_weights = list(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(pool))))
    entries = [paper_entry(rng, i, pool, cum_weights) for i in range(n_papers)]
    counts: Counter[Person] = Counter()
    for entry in entries:
        line = next(x for x in entry.splitlines() if x.lstrip().startswith("author"))
        names = line.split("{", 1)[1].rsplit("}", 1)[0].split(" and ")
        counts.update(Person(*reversed(n.split(", "))) for n in names)
    content = root / "content"
    for folder in ("authors", "papers", "pages", "static"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    _write(content / "site.yaml", SITE_YAML)
    _write(content / "pages" / "about.md", ABOUT_MD)
    _write(content / "papers" / "papers.bib", "\n".join(entries))
    for person, _ in counts.most_common(profiles):
        _write(content / "authors" / f"{person.slug}.yaml", profile_yaml(person, rng))
    return content


def _write(path: Path, text: str) -> None:
    """Write only when different, so regenerating an existing corpus keeps its mtimes."""
    data = text.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("papers", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.root, args.papers, args.seed))


if __name__ == "__main__":
    main()
