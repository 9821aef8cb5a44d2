"""generator.sources.bibtex: .bib files -> ParsedBib -> Paper records."""

from __future__ import annotations

import gc
import pickle
import re
from pathlib import Path
from types import MappingProxyType

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import Middleware

from generator.diagnostics import SourceLocation
from generator.model import Link, PaperDate, PersonName
from generator.sources import bibtex
from generator.sources.bibtex import (
    BibResult,
    ParsedBib,
    RawEntry,
    RawField,
    papers_from_bib,
    parse_bib_file,
)
from generator.sources.files import SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "bib"


def parse(text: str | bytes, name: str = "content/papers/a.bib") -> ParsedBib:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_bib_file(SourceFile.from_bytes(name, data))


def load(*texts: str) -> BibResult:
    return papers_from_bib([parse(t, f"content/papers/{chr(97 + i)}.bib") for i, t in enumerate(texts)])


def messages(result: BibResult | ParsedBib) -> list[str]:
    return [d.format() for d in result.diagnostics]


def errors(result: BibResult | ParsedBib) -> list[str]:
    return [d.format() for d in result.diagnostics if d.level == "error"]


def one(text: str) -> BibResult:
    result = load(text)
    assert len(result.papers) == 1, messages(result)
    return result


def field(entry: RawEntry, name: str) -> RawField:
    return next(f for f in entry.fields if f.name == name)


# =========================================================================== phase 1: reading a file


def test_entry_and_field_lines_are_one_based() -> None:
    parsed = parse("\n@article{k,\n  title = {T},\n\n  author = {A B}\n}\n")
    (entry,) = parsed.entries
    assert (entry.key, entry.entry_type, entry.line) == ("k", "article", 2)
    assert field(entry, "title").line == 3
    assert field(entry, "author").line == 5


def test_field_names_are_lower_case_and_entry_type_too() -> None:
    (entry,) = parse("@ARTICLE{K, Title = {T}, AUTHOR = {A}}").entries
    assert entry.entry_type == "article"
    assert [f.name for f in entry.fields] == ["title", "author"]
    assert entry.key == "K"


def test_values_have_their_enclosing_removed() -> None:
    (entry,) = parse('@article{k, a = {x {y} z}, b = "q {"} r", c = 2020}').entries
    assert field(entry, "a") == RawField("a", "x {y} z", 1, False)
    assert field(entry, "b") == RawField("b", 'q {"} r', 1, False)
    assert field(entry, "c") == RawField("c", "2020", 1, False)


def test_macros_and_concatenations_are_kept_for_later() -> None:
    (entry,) = parse('@article{k, month = oct, journal = acl # { 2020} # "!"}').entries
    assert field(entry, "month") == RawField("month", "oct", 1, True)
    assert field(entry, "journal") == RawField("journal", 'acl # { 2020} # "!"', 1, True)


def test_strings_are_collected() -> None:
    parsed = parse('@string{ACL = {Assoc. for Comp. Ling.}}\n@STRING(foo = "F" # acl)\n')
    assert parsed.strings == (("acl", "{Assoc. for Comp. Ling.}", 1), ("foo", '"F" # acl', 2))


def test_utf8_with_bom() -> None:
    parsed = parse(b"\xef\xbb\xbf@article{k, title = {Caf\xc3\xa9}}")
    assert parsed.diagnostics == ()
    assert field(parsed.entries[0], "title").value == "Café"


def test_invalid_utf8_falls_back_to_cp1252_with_a_warning() -> None:
    parsed = parse(b"@article{k,\n  title = {Caf\xe9 \x93quoted\x94}}", "papers/old.bib")
    assert field(parsed.entries[0], "title").value == "Café “quoted”"
    assert messages(parsed) == [
        "papers/old.bib:2: warning: papers/old.bib is not valid UTF-8 (first bad byte on line 2); "
        "read it as Windows-1252 (save the file as UTF-8)"
    ]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    parsed = parse(b"@article{k, title = {x\x81y}}")
    assert field(parsed.entries[0], "title").value == "x\x81y"
    assert "Latin-1" in messages(parsed)[0]


def test_crlf_line_ends() -> None:
    (entry,) = parse("@article{k,\r\n title = {A\r\n B},\r\n\r\n author = {C}}\r\n").entries
    assert field(entry, "title").value == "A\n B"
    assert field(entry, "author").line == 5


def test_old_mac_line_ends() -> None:
    (entry,) = parse("@article{k,\r title = {A},\r author = {C}}\r").entries
    assert field(entry, "author").line == 3


def test_control_characters_are_removed_with_a_warning() -> None:
    parsed = parse(b"@article{k,\n  title = {A\x00B\x1b}}")
    assert field(parsed.entries[0], "title").value == "AB"
    assert messages(parsed) == [
        "content/papers/a.bib:2: warning: content/papers/a.bib contains control characters "
        "(first on line 2); they are ignored (check that this is a text file; remove the stray characters)"
    ]


def test_a_crash_in_bibtexparser_costs_only_its_block(monkeypatch: pytest.MonkeyPatch) -> None:
    def fragile(text: str, parse_stack: list[Middleware]) -> Library:
        if "@article{bad" in text:
            raise RuntimeError("splitter bug")
        return parse_string(text, parse_stack=parse_stack)

    monkeypatch.setattr(bibtex, "parse_string", fragile)
    parsed = parse("@article{a, title = {A}}\n@article{bad, title = {B}}\n@article{c, title = {C}}\n")
    assert [(e.key, e.line) for e in parsed.entries] == [("a", 1), ("c", 3)]
    assert messages(parsed) == [
        "content/papers/a.bib:2: error: this part of the file could not be read "
        "(check the entry for unbalanced braces or quotes)"
    ]


def test_unexpected_exceptions_become_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(bibtex, "_decode_bytes", broken)
    parsed = parse("@article{a, title = {A}}")
    assert parsed.entries == ()
    assert [d.code for d in parsed.diagnostics] == ["internal"]
    monkeypatch.setattr(bibtex, "_Builder", broken)
    result = papers_from_bib([parsed])
    assert result.papers == ()
    assert [d.code for d in result.diagnostics] == ["internal"]


def test_garbage_collector_state_is_restored() -> None:
    assert gc.isenabled()
    load("@article{k, title = {T}}")
    assert gc.isenabled()
    gc.disable()
    try:
        load("@article{k, title = {T}}")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parsed_bib_is_picklable_and_plain() -> None:
    parsed = parse((FIXTURES / "zotero.bib").read_text("utf-8"))
    clone = pickle.loads(pickle.dumps(parsed))
    assert clone == parsed
    assert "bibtexparser" not in pickle.dumps(parsed).decode("latin-1")


def test_preamble_is_ignored() -> None:
    parsed = parse('@preamble{"\\newcommand{\\noopsort}[1]{}"}\n@article{k, title = {T}}')
    assert [e.key for e in parsed.entries] == ["k"]
    assert parsed.diagnostics == ()


def test_al_folio_front_matter_is_ignored() -> None:
    parsed = parse("---\n---\n\n@article{k, title = {T}}\n")
    assert [e.key for e in parsed.entries] == ["k"]
    assert parsed.diagnostics == ()


# --------------------------------------------------------------- constructs bibtexparser needs help with


def test_entry_in_parentheses() -> None:
    (entry,) = parse(
        '@article(key1,\n title = {A (B) title},\n author = "X and Y (Z)",\n year = 2020)\n'
    ).entries
    assert entry.key == "key1"
    assert field(entry, "title").value == "A (B) title"
    assert field(entry, "author").value == "X and Y (Z)"


def test_percent_comment_line_inside_an_entry() -> None:
    parsed = parse("@article{k,\n  title = {T},\n% a comment, with = signs {\n  author = {A}\n}\n")
    assert parsed.diagnostics == ()
    (entry,) = parsed.entries
    assert [f.name for f in entry.fields] == ["title", "author"]
    assert field(entry, "author").line == 4


def test_percent_comment_after_a_field() -> None:
    parsed = parse("@article{k,\n  title = {T}, % the title, {really}\n  author = {A}\n}\n")
    assert parsed.diagnostics == ()
    assert [f.name for f in parsed.entries[0].fields] == ["title", "author"]


def test_percent_inside_a_value_is_kept() -> None:
    (entry,) = parse('@article{k, title = {50% of {\\%} things}, note = "a % b"}').entries
    assert field(entry, "title").value == "50% of {\\%} things"
    assert field(entry, "note").value == "a % b"


def test_commented_out_entry_is_ignored() -> None:
    parsed = parse("% @article{old, title = {Old}}\n@article{new, title = {New}}\n")
    assert [e.key for e in parsed.entries] == ["new"]


def test_comment_block_with_braces() -> None:
    parsed = parse("@comment{jabref-meta: grouping: {a} {b};}\n@article{k, title = {T}}\n")
    assert parsed.diagnostics == ()
    assert [e.key for e in parsed.entries] == ["k"]


def test_comment_block_hiding_an_entry() -> None:
    parsed = parse("@Comment{\n@article{hidden, title = {H}}\n}\n@article{k, title = {T}}\n")
    assert [e.key for e in parsed.entries] == ["k"]
    assert parsed.entries[0].line == 4


def test_unclosed_comment_block_only_hides_its_word() -> None:
    parsed = parse("@comment{ unbalanced {\n@article{k, title = {T}}\n")
    assert [e.key for e in parsed.entries] == ["k"]
    assert parsed.diagnostics == ()


def test_at_sign_in_free_text_between_entries() -> None:
    parsed = parse(
        "Mail me@home (evenings) or x@y.org {any time}\n"
        "@article{a, title = {A}}\n"
        "See @misc(thing) and @ {x}\n"
        "@article{b, title = {B}}\n"
    )
    assert parsed.diagnostics == ()
    assert [e.key for e in parsed.entries] == ["a", "b"]


def test_at_sign_inside_a_value() -> None:
    (entry,) = parse("@inproceedings{k, booktitle = {LeQua @ {CLEF}}, note = {mail me@x.org}}").entries
    assert field(entry, "booktitle").value == "LeQua @ {CLEF}"


def test_two_entries_on_one_line() -> None:
    parsed = parse("@article{a, title = {A}}@article{b, title = {B}}")
    assert [e.key for e in parsed.entries] == ["a", "b"]


def test_many_entries_on_one_line_separated_by_commas() -> None:
    text = ", ".join(f"@article{{k{i}, title = {{T}}}}" for i in range(2000))
    parsed = parse(text)
    assert len(parsed.entries) == 2000
    assert parsed.diagnostics == ()


# --------------------------------------------------------------------------- syntax errors


def test_unclosed_entry_before_the_next_one() -> None:
    parsed = parse("@article{k1,\n  title = {A}\n\n@article{k2, title = {B}}\n")
    assert [e.key for e in parsed.entries] == ["k2"]
    assert errors(parsed) == [
        "content/papers/a.bib:1: error: entry 'k1' could not be read: it is not closed before the next "
        "entry (add the missing '}', or a ',' between fields)"
    ]


def test_unbalanced_brace_in_a_value() -> None:
    parsed = parse("@article{k1,\n  title = {A {B},\n  year = 2020\n}\n\n@article{k2, title = {B}}\n")
    assert [e.key for e in parsed.entries] == ["k2"]
    assert errors(parsed)[0].startswith("content/papers/a.bib:1: error: entry 'k1' could not be read")


def test_unclosed_entry_at_end_of_file() -> None:
    parsed = parse("@article{k1, title = {A},\n author = {B}")
    assert parsed.entries == ()
    assert errors(parsed) == [
        "content/papers/a.bib:1: error: entry 'k1' could not be read: the entry is not closed at the end "
        "of the file (add the missing '}')"
    ]


def test_missing_comma_between_fields_is_reported_and_recovered() -> None:
    parsed = parse("@article{k,\n  title = {A}\n  author = {B}\n  year = 2020\n}\n")
    (entry,) = parsed.entries
    assert [(f.name, f.value, f.line) for f in entry.fields] == [
        ("title", "A", 2),
        ("author", "B", 3),
        ("year", "2020", 4),
    ]
    assert errors(parsed) == [
        "content/papers/a.bib:2: error: field 'title' of entry 'k': missing comma after the value (add ',')",
        "content/papers/a.bib:3: error: field 'author' of entry 'k': missing comma after the value (add ',')",
    ]


def test_missing_comma_after_the_key_is_an_entry_without_key() -> None:
    parsed = parse("@article{title = {A}}\n@article{ok, title = {B}}\n")
    assert [e.key for e in parsed.entries] == ["ok"]
    assert errors(parsed) == [
        "content/papers/a.bib:1: error: entry has no key (write it as @article{key, title = {...}})"
    ]


def test_empty_key() -> None:
    parsed = parse("@article{, title = {A}}")
    assert parsed.entries == ()
    assert errors(parsed) == [
        "content/papers/a.bib:1: error: entry has no key (write it as @article{key, ...})"
    ]


def test_duplicate_key_in_one_file() -> None:
    parsed = parse("@article{smith2020, title = {A}}\n\n@article{smith2020, title = {B}}\n")
    assert [field(e, "title").value for e in parsed.entries] == ["A"]
    assert errors(parsed) == [
        "content/papers/a.bib:3: error: duplicate key 'smith2020' "
        "(first defined at content/papers/a.bib:1; rename one of them)"
    ]


def test_duplicate_key_differing_in_case() -> None:
    parsed = parse("@article{Smith2020, title = {A}}\n@article{smith2020, title = {B}}\n")
    assert len(parsed.entries) == 1
    assert "duplicate key 'smith2020'" in errors(parsed)[0]


def test_duplicate_field_keeps_the_first_with_a_warning() -> None:
    parsed = parse("@article{k, title = {A},\n title = {B}}")
    assert field(parsed.entries[0], "title").value == "A"
    assert messages(parsed) == [
        "content/papers/a.bib:2: warning: field 'title' is given twice in entry 'k'; "
        "the first one is used (remove one of them)"
    ]


def test_text_after_a_value() -> None:
    parsed = parse("@article{k, title = {A} {B}, year = 2020}")
    assert "unexpected text '{B}' after the value" in errors(parsed)[0]
    assert [f.name for f in parsed.entries[0].fields] == ["title", "year"]


def test_empty_value() -> None:
    parsed = parse("@article{k, title = , year = 2020}")
    assert "field 'title' of entry 'k': the value is empty" in errors(parsed)[0]


def test_fields_after_an_early_closing_brace() -> None:
    parsed = parse("@article{k,\n  title = {A}},\n  author = {B}\n}\n")
    assert [f.name for f in parsed.entries[0].fields] == ["title"]
    assert errors(parsed) == [
        "content/papers/a.bib:2: error: fields after the end of entry 'k' are ignored "
        "(an extra '}' closes the entry too early; remove it)"
    ]


def test_broken_string_definition() -> None:
    parsed = parse("@string{x = {unclosed}\n@article{k, title = x}\n")
    assert parsed.strings == ()
    assert errors(parsed)[0].startswith("content/papers/a.bib:1: error: @string 'x' could not be read")
    assert [e.key for e in parsed.entries] == ["k"]


def test_string_with_unbalanced_value() -> None:
    parsed = parse('@string{x = "a" # }')
    assert parsed.strings == ()
    assert len(errors(parsed)) == 1


def test_key_with_spaces_is_a_warning() -> None:
    parsed = parse("@article{my key, title = {A}}")
    assert [e.key for e in parsed.entries] == ["my key"]
    assert "key 'my key' contains spaces or special characters" in messages(parsed)[0]


def test_entries_that_parsed_keep_working_around_errors() -> None:
    text = (
        "@article{good1, title = {One}}\n"
        "@article{bad1, title = {Two}\n"
        "@article{good2, title = {Three}}\n"
        "@article{bad2 title = {Four}}\n"
        "@article{good3, title = {Five}}\n"
    )
    parsed = parse(text)
    assert [e.key for e in parsed.entries] == ["good1", "good2", "good3"]
    assert len(errors(parsed)) == 2


# =========================================================================== phase 2: macros, keys, crossref


def test_macro_defined_in_another_file() -> None:
    result = load(
        "@string{neurips = {Advances in NeurIPS}}", "@inproceedings{k, title = {T}, booktitle = neurips}"
    )
    assert result.papers[0].venue == "Advances in NeurIPS"
    assert errors(result) == []


def test_macro_names_are_case_insensitive() -> None:
    result = load("@string{NeurIPS = {Advances}}\n@inproceedings{k, title = {T}, booktitle = NEURIPS}")
    assert result.papers[0].venue == "Advances"


def test_macro_defined_after_use() -> None:
    result = load("@article{k, title = {T}, journal = jml}\n@string{jml = {J. Mach. Learn.}}")
    assert result.papers[0].venue == "J. Mach. Learn."


def test_macro_in_terms_of_other_macros() -> None:
    result = load('@string{a = "A"}\n@string{ab = a # {B}}\n@article{k, title = ab # "C"}')
    assert result.papers[0].title == "ABC"


def test_concatenation_with_numbers() -> None:
    result = load("@article{k, title = {Volume } # 3}")
    assert result.papers[0].title == "Volume 3"


def test_month_macros() -> None:
    result = load("@article{k, title = {T}, year = 2021, month = sep}")
    assert result.papers[0].date == PaperDate(2021, 9)
    assert result.papers[0].fields["month"] == "September"


def test_month_macro_can_be_redefined() -> None:
    result = load("@string{jan = {February}}\n@article{k, title = {T}, year = 2021, month = jan}")
    assert result.papers[0].date == PaperDate(2021, 2)


def test_undefined_macro_is_shown_as_its_name_with_a_warning() -> None:
    result = load("@article{k,\n title = {T},\n author = {A B},\n journal = jmlr}")
    assert result.papers[0].venue == "jmlr"
    assert messages(result) == [
        "content/papers/a.bib:4: warning: undefined macro 'jmlr' is shown as its name "
        "(define it with @string{jmlr = {...}} or put the value in braces)"
    ]


def test_macro_cycle_is_reported() -> None:
    result = load("@string{a = b}\n@string{b = a}\n@article{k, title = a}")
    assert any("defined in terms of itself" in m for m in errors(result))
    assert len(result.papers) == 1


def test_string_redefined_in_the_same_file() -> None:
    result = load("@string{v = {Old}}\n@string{v = {New}}\n@article{k, title = v}")
    assert result.papers[0].title == "New"


def test_later_string_definition_wins() -> None:
    result = load("@string{v = {Old}}", "@string{v = {New}}\n@article{k, title = v}")
    assert result.papers[0].title == "New"


def test_duplicate_key_across_files() -> None:
    result = load("@article{smith2020, title = {First}}", "\n\n@article{smith2020, title = {Second}}")
    assert [p.title for p in result.papers] == ["First"]
    assert errors(result) == [
        "content/papers/b.bib:3: error: duplicate key 'smith2020' "
        "(first defined at content/papers/a.bib:1; rename one of them)"
    ]


def test_phase_one_diagnostics_are_passed_on() -> None:
    result = load("@article{k, title = {A},\n title = {B}}")
    assert "given twice" in messages(result)[0]


CROSSREF = """
@inproceedings{child,
  author = {Zhang, Jianhao},
  title = {Child},
  crossref = {proc},
  pages = {1--10},
}
@proceedings{proc,
  editor = {Smith, Jane},
  title = {Proceedings of the Workshop},
  publisher = {ACL},
  year = {2019},
  month = sep,
  doi = {10.1/proc},
  abstract = {About the workshop.},
}
"""


def test_crossref_child_inherits_missing_fields() -> None:
    paper = one(CROSSREF).papers[0]
    assert paper.date == PaperDate(2019, 9)
    assert paper.fields["publisher"] == "ACL"
    assert paper.fields["pages"] == "1–10"
    assert paper.fields["editor"] == "Smith, Jane"


def test_crossref_booktitle_comes_from_the_proceedings_title() -> None:
    paper = one(CROSSREF).papers[0]
    assert paper.venue == "Proceedings of the Workshop"
    assert paper.venue_kind == "conference"


def test_crossref_does_not_inherit_the_parents_own_identity() -> None:
    paper = one(CROSSREF).papers[0]
    assert paper.title == "Child"
    assert paper.doi == ""
    assert paper.abstract == ""


def test_crossref_proceedings_parent_is_not_a_paper() -> None:
    assert [p.key for p in one(CROSSREF).papers] == ["child"]


def test_crossref_book_parent_is_a_paper() -> None:
    result = load(
        "@incollection{ch, author = {A B}, title = {Chapter}, crossref = {bk}}\n"
        "@book{bk, author = {C D}, title = {The Book}, publisher = {P}, year = 2018}"
    )
    assert [p.key for p in result.papers] == ["ch", "bk"]
    assert result.papers[0].venue == "The Book"
    assert result.papers[0].date == PaperDate(2018)


def test_crossref_in_another_file_and_other_case() -> None:
    result = load(
        "@inproceedings{c, author = {A B}, title = {T}, crossref = {PROC}}", "@proceedings{proc, title = {P}}"
    )
    assert result.papers[0].venue == "P"


def test_crossref_to_a_missing_key_is_a_warning() -> None:
    result = load("@article{k,\n author = {A B},\n title = {T},\n crossref = {nowhere}}")
    assert len(result.papers) == 1
    assert messages(result) == [
        "content/papers/a.bib:4: warning: entry 'k' has crossref 'nowhere', which is not defined "
        "(add the referenced entry or remove the crossref field)"
    ]


def test_crossref_bibtex_is_self_contained() -> None:
    bibtex = one(CROSSREF).papers[0].bibtex
    assert "crossref" not in bibtex
    assert re.search(r"\n  booktitle +=\ {Proceedings of the Workshop},\n", bibtex)
    assert re.search(r"\n  month +=\ sep\n", bibtex)


# =========================================================================== phase 2: papers


def test_basic_paper() -> None:
    paper = one(
        "@article{smith2020,\n title = {A {BERT} Study},\n"
        " author = {Smith, John and Doe, Jane},\n year = 2020}"
    ).papers[0]
    assert paper.key == "smith2020"
    assert paper.entry_type == "article"
    assert paper.title == "A BERT Study"
    assert [a.name for a in paper.authors] == [
        PersonName(given="John", family="Smith"),
        PersonName(given="Jane", family="Doe"),
    ]
    assert all(a.author_slug is None for a in paper.authors)
    assert paper.source == SourceLocation("content/papers/a.bib", 1)
    assert paper.slug == ""
    assert isinstance(paper.fields, MappingProxyType)


def test_title_keeps_math_and_formatting_as_light_tex() -> None:
    paper = one("@article{k, title = {\\emph{Fast} $k$-NN for Caf\\'e}}").papers[0]
    assert paper.title == "\\emph{Fast} $k$-NN for Café"


def test_entry_without_title_is_skipped_with_a_warning() -> None:
    result = load("@article{k, author = {A B}, year = 2020}")
    assert result.papers == ()
    assert messages(result) == [
        "content/papers/a.bib:1: warning: entry 'k' has no title; it is skipped (add title = {...})"
    ]


def test_entry_without_authors_is_kept_with_a_warning() -> None:
    result = load("@misc{k, title = {T}}")
    assert result.papers[0].authors == ()
    assert messages(result) == [
        "content/papers/a.bib:1: warning: entry 'k' has no author or editor "
        "(add author = {First Last and ...})"
    ]


def test_editor_is_used_without_author() -> None:
    paper = one("@book{k, title = {T}, editor = {Smith, Jane and others}}").papers[0]
    assert [a.display for a in paper.authors] == ["Jane Smith"]
    assert paper.more_authors


def test_author_marks() -> None:
    paper = one(
        '@article{k, title = {T}, author = {Zhang, Jianhao* and M{\\"u}ller, Zo{\\"e}$^\\dagger$}}'
    ).papers[0]
    assert [(a.display, a.marks) for a in paper.authors] == [("Jianhao Zhang", "*"), ("Zoë Müller", "†")]


def test_and_others() -> None:
    paper = one("@article{k, title = {T}, author = {A B and others}}").papers[0]
    assert len(paper.authors) == 1
    assert paper.more_authors


def test_name_with_too_many_commas_is_a_warning() -> None:
    result = load("@article{k, title = {T},\n author = {Smith, J., Doe, J., Roe, R.}}")
    assert "has too many commas" in messages(result)[0]


def test_unknown_entry_type_is_kept_as_misc() -> None:
    result = load("@blogpost{k, title = {T}, author = {A B}}")
    assert result.papers[0].entry_type == "misc"
    assert messages(result) == [
        "content/papers/a.bib:1: warning: unknown entry type '@blogpost' of 'k' is read as @misc "
        "(use a BibTeX or biblatex type such as @article or @inproceedings)"
    ]


@pytest.mark.parametrize(
    "entry_type",
    [
        "article",
        "book",
        "inproceedings",
        "conference",
        "phdthesis",
        "mastersthesis",
        "techreport",
        "misc",
        "unpublished",
        "online",
        "thesis",
        "report",
        "software",
        "dataset",
        "patent",
        "incollection",
        "manual",
    ],
)
def test_known_entry_types(entry_type: str) -> None:
    result = load(f"@{entry_type}{{k, title = {{T}}, author = {{A B}}}}")
    assert result.papers[0].entry_type == entry_type
    assert result.diagnostics == ()


def test_xdata_entries_are_not_papers() -> None:
    result = load("@xdata{shared, publisher = {P}}\n@article{k, title = {T}, author = {A B}}")
    assert [p.key for p in result.papers] == ["k"]
    assert result.diagnostics == ()


# --------------------------------------------------------------------------- dates


def test_date_from_year_month() -> None:
    assert one("@article{k, title = {T}, year = {2020}, month = {May}}").papers[0].date == PaperDate(2020, 5)


def test_date_from_biblatex_date() -> None:
    assert one("@article{k, title = {T}, date = {2023-10-30}}").papers[0].date == PaperDate(2023, 10, 30)


def test_date_from_arxiv_id() -> None:
    paper = one("@misc{k, title = {T}, eprint = {2310.19341}, archivePrefix = {arXiv}}").papers[0]
    assert paper.date == PaperDate(2023, 10)


def test_bad_month_is_a_warning_at_the_month_line() -> None:
    result = load("@article{k,\n title = {T},\n author = {A B},\n year = 2023,\n month = {Octember}}")
    assert result.papers[0].date == PaperDate(2023)
    assert messages(result) == [
        "content/papers/a.bib:5: warning: month 'Octember' is not a month name or number (entry 'k') "
        "(fix the field; only the valid part is used)"
    ]


# --------------------------------------------------------------------------- venue


@pytest.mark.parametrize(
    ("entry", "venue", "kind"),
    [
        ("@article{k, title = {T}, journal = {Nature}}", "Nature", "journal"),
        ("@article{k, title = {T}, journaltitle = {TMLR}}", "TMLR", "journal"),
        ("@inproceedings{k, title = {T}, booktitle = {Proc. {ACL}}}", "Proc. ACL", "conference"),
        ("@conference{k, title = {T}, booktitle = {ICML}}", "ICML", "conference"),
        ("@book{k, title = {T}, publisher = {Springer}}", "Springer", "book"),
        ("@incollection{k, title = {T}, booktitle = {Handbook}}", "Handbook", "book"),
        ("@phdthesis{k, title = {T}, school = {MIT}}", "MIT", "thesis"),
        ("@thesis{k, title = {T}, institution = {ETH}, publisher = {X}}", "ETH", "thesis"),
        ("@techreport{k, title = {T}, institution = {Google}}", "Google", "report"),
        ("@misc{k, title = {T}, eprint = {2310.19341}, archiveprefix = {arXiv}}", "arXiv", "preprint"),
        (
            "@article{k, title = {T}, journal = {arXiv preprint arXiv:2310.19341}}",
            "arXiv preprint arXiv:2310.19341",
            "preprint",
        ),
        (
            "@article{k, title = {T}, journal = {CoRR}, eprint = {2310.19341}, eprinttype = {arXiv}}",
            "CoRR",
            "preprint",
        ),
        ("@article{k, title = {T}, journal = {bioRxiv}}", "bioRxiv", "preprint"),
        (
            "@inproceedings{k, title = {T}, booktitle = {NeurIPS}, arxiv = {2310.19341}}",
            "NeurIPS",
            "conference",
        ),
        ("@misc{k, title = {T}, howpublished = {Blog}}", "", "other"),
        ("@misc{k, title = {T}, journal = {J}}", "J", "journal"),
        ("@online{k, title = {T}, organization = {Lab}}", "Lab", "other"),
    ],
)
def test_venue(entry: str, venue: str, kind: str) -> None:
    paper = load(entry).papers[0]
    assert (paper.venue, paper.venue_kind) == (venue, kind)


# --------------------------------------------------------------------------- categories


def test_categories_from_explicit_field() -> None:
    paper = one("@misc{k, title = {T}, categories = {NLP; Vision, RL}, primaryClass = {cs.CL}}").papers[0]
    assert paper.categories == ("NLP", "Vision", "RL")


def test_categories_from_category_field() -> None:
    assert one("@misc{k, title = {T}, category = {Theory}}").papers[0].categories == ("Theory",)


def test_categories_from_primary_class() -> None:
    assert one("@misc{k, title = {T}, primaryClass = {cs.CL}, keywords = {a}}").papers[0].categories == (
        "CL",
    )


def test_categories_from_eprintclass() -> None:
    assert one("@misc{k, title = {T}, eprintclass = {stat.ML}}").papers[0].categories == ("ML",)


def test_categories_from_old_style_class() -> None:
    assert one("@misc{k, title = {T}, primaryClass = {hep-th}}").papers[0].categories == ("hep-th",)


def test_categories_from_keywords_at_most_three() -> None:
    paper = one(
        "@misc{k, title = {T}, keywords = {deep learning; proteins, folding, review}, abbr = {X}}"
    ).papers[0]
    assert paper.categories == ("deep learning", "proteins", "folding")


def test_categories_from_abbr() -> None:
    assert one("@misc{k, title = {T}, abbr = {ICLR}}").papers[0].categories == ("ICLR",)


def test_categories_are_deduplicated() -> None:
    assert one("@misc{k, title = {T}, categories = {A, A, , B}}").papers[0].categories == ("A", "B")


# --------------------------------------------------------------------------- links

ALL_LINKS = r"""
@article{k,
  title = {T},
  url_blog_post = {https://example.org/blog},
  supp = {supp.pdf},
  website = {https://example.org},
  video = {https://youtu.be/x},
  poster = {poster.pdf},
  slides = {https://example.org/slides.pdf},
  html = {https://example.org/paper.html},
  doi = {10.1000/xyz},
  arxiv = {2310.19341},
  pdf = {paper.pdf},
  code = {https://github.com/me/code},
  url_dataset = {https://example.org/data},
}
"""


def test_links_in_order() -> None:
    paper = one(ALL_LINKS).papers[0]
    assert [(link.kind, link.label) for link in paper.links] == [
        ("code", "Code"),
        ("pdf", "PDF"),
        ("arxiv", "arXiv"),
        ("doi", "DOI"),
        ("html", "HTML"),
        ("slides", "Slides"),
        ("poster", "Poster"),
        ("video", "Video"),
        ("website", "Website"),
        ("supp", "Supplement"),
        ("blog_post", "Blog post"),
        ("dataset", "Dataset"),
    ]
    assert paper.link("arxiv") == Link("arxiv", "arXiv", "https://arxiv.org/abs/2310.19341")
    assert paper.link("doi") == Link("doi", "DOI", "https://doi.org/10.1000/xyz")
    assert paper.link("pdf") == Link("pdf", "PDF", "paper.pdf")


def test_code_from_github_field() -> None:
    paper = one("@misc{k, title = {T}, github = {https://github.com/a/b}}").papers[0]
    assert paper.links == (Link("code", "Code", "https://github.com/a/b"),)


def test_code_from_url_code_field() -> None:
    paper = one("@misc{k, title = {T}, url_code = {https://gitlab.com/a/b}}").papers[0]
    assert paper.links == (Link("code", "Code", "https://gitlab.com/a/b"),)


def test_code_from_a_github_url() -> None:
    paper = one("@software{k, title = {T}, url = {https://github.com/a/b}}").papers[0]
    assert paper.links == (Link("code", "Code", "https://github.com/a/b"),)


def test_url_is_the_html_link() -> None:
    paper = one("@article{k, title = {T}, url = {https://example.org/p}}").papers[0]
    assert paper.links == (Link("html", "HTML", "https://example.org/p"),)


def test_html_field_wins_over_url() -> None:
    paper = one("@article{k, title = {T}, url = {https://a.org}, html = {https://b.org}}").papers[0]
    assert paper.links == (Link("html", "HTML", "https://b.org"),)


def test_url_equal_to_the_arxiv_link_is_not_repeated() -> None:
    paper = one(
        "@misc{k, title = {T}, eprint = {2310.19341}, archivePrefix = {arXiv}, url = {http://arxiv.org/abs/2310.19341}}"
    ).papers[0]
    assert [link.kind for link in paper.links] == ["arxiv"]


def test_bibbase_pdf_field() -> None:
    paper = one("@misc{k, title = {T}, url_pdf = {https://x.org/p.pdf}}").papers[0]
    assert paper.links == (Link("pdf", "PDF", "https://x.org/p.pdf"),)


def test_url_field_in_tex_markup() -> None:
    paper = one("@misc{k, title = {T}, url = {\\url{https://x.org/a\\_b~c}}}").papers[0]
    assert paper.links == (Link("html", "HTML", "https://x.org/a_b~c"),)


def test_url_broken_over_lines() -> None:
    paper = one("@misc{k, title = {T}, url = {https://x.org/a-very-\n      long-path}}").papers[0]
    assert paper.links[0].url == "https://x.org/a-very-long-path"


@pytest.mark.parametrize(
    "url", ["mailto:me@x.org", "https://x.org", "http://x.org", "/files/a.pdf", "a.pdf", "#top"]
)
def test_safe_urls_are_linked(url: str) -> None:
    assert one(f"@misc{{k, title = {{T}}, html = {{{url}}}}}").papers[0].links == (Link("html", "HTML", url),)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "vbscript:x",
    ],
)
def test_unsafe_urls_are_dropped_with_a_warning(url: str) -> None:
    result = load(f"@misc{{k,\n title = {{T}}, author = {{A B}},\n code = {{{url}}}}}")
    assert result.papers[0].links == ()
    (message,) = messages(result)
    assert message.startswith("content/papers/a.bib:3: warning: code of 'k' is a ")
    assert "it is not linked" in message


def test_unsafe_preview_is_dropped() -> None:
    result = load("@misc{k, title = {T}, author = {A B}, preview = {javascript:x}}")
    assert result.papers[0].preview == ""
    assert len(result.diagnostics) == 1


def test_preview() -> None:
    assert one("@misc{k, title = {T}, preview = {wave.gif}}").papers[0].preview == "wave.gif"


# --------------------------------------------------------------------------- identifiers and al-folio fields


def test_doi_is_bare() -> None:
    assert one("@article{k, title = {T}, doi = {https://doi.org/10.1/ABC}}").papers[0].doi == "10.1/ABC"
    assert one("@article{k, title = {T}, doi = {doi:10.1/x}}").papers[0].doi == "10.1/x"


def test_doi_link_is_quoted() -> None:
    paper = one(
        "@article{k, title = {T}, doi = {10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0}}"
    ).papers[0]
    assert paper.link("doi") == Link(
        "doi", "DOI", "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0"
    )


def test_doi_from_a_doi_url() -> None:
    paper = one("@article{k, title = {T}, url = {https://doi.org/10.1/x}}").papers[0]
    assert paper.doi == "10.1/x"


def test_malformed_doi_is_a_warning() -> None:
    result = load("@article{k, title = {T}, author = {A B}, doi = {not-a-doi}}")
    assert result.papers[0].link("doi") is None
    assert "doi 'not-a-doi' of 'k' is not a DOI" in messages(result)[0]


@pytest.mark.parametrize(
    ("fields", "arxiv_id"),
    [
        ("eprint = {2310.19341}, archivePrefix = {arXiv}", "2310.19341"),
        ("eprint = {arXiv:2310.19341v2}, eprinttype = {arxiv}", "2310.19341v2"),
        ("eprint = {2310.19341}", "2310.19341"),
        ("eprint = {hep-th/9901001}, archivePrefix = {arXiv}", "hep-th/9901001"),
        ("arxiv = {2310.19341}", "2310.19341"),
        ("journal = {arXiv preprint arXiv:2310.19341}", "2310.19341"),
        ("url = {https://arxiv.org/abs/2310.19341v1}", "2310.19341v1"),
        ("eprint = {PMC12345}, eprinttype = {pubmed}", ""),
    ],
)
def test_arxiv_id(fields: str, arxiv_id: str) -> None:
    assert one(f"@misc{{k, title = {{T}}, {fields}}}").papers[0].arxiv_id == arxiv_id


@pytest.mark.parametrize(("raw", "value"), [("1234", 1234), ("1,234", 1234), ("1 234", 1234), ("0", 0)])
def test_citations(raw: str, value: int) -> None:
    assert one(f"@misc{{k, title = {{T}}, citations = {{{raw}}}}}").papers[0].citations == value


def test_bad_citations_is_a_warning() -> None:
    result = load("@misc{k, title = {T}, author = {A B}, citations = {many}}")
    assert result.papers[0].citations is None
    assert "citations 'many' of 'k' is not a number" in messages(result)[0]


def test_no_citations() -> None:
    assert one("@misc{k, title = {T}}").papers[0].citations is None


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("{true}", True), ("yes", True), ("false", False)]
)
def test_selected(raw: str, value: bool) -> None:
    assert one(f"@misc{{k, title = {{T}}, selected = {{{raw}}}}}").papers[0].selected is value


def test_award_and_note() -> None:
    paper = one(
        "@misc{k, title = {T}, award = {Best Paper}, annotation = {\\emph{Oral}}, note = {other}}"
    ).papers[0]
    assert paper.award == "Best Paper"
    assert paper.note == "Oral"


def test_award_name_and_note_fallbacks() -> None:
    paper = one("@misc{k, title = {T}, award_name = {Oral}, note = {Accepted}}").papers[0]
    assert (paper.award, paper.note) == ("Oral", "Accepted")


def test_abstract_is_light_tex() -> None:
    paper = one("@article{k, title = {T}, abstract = {We gain 5\\% --- with $\\alpha$.}}").papers[0]
    assert paper.abstract == "We gain 5% — with $\\alpha$."


def test_fields_are_decoded() -> None:
    paper = one('@article{k, title = {T}, journal = {Z{\\"u}rich}, url = {https://x.org/a\\_b}}').papers[0]
    assert paper.fields["journal"] == "Zürich"
    assert paper.fields["url"] == "https://x.org/a_b"
    assert paper.fields["title"] == "T"


# --------------------------------------------------------------------------- bibtex export

ALFOLIO = r"""
@string{aps = {American Physical Society}}
@article{k,
  abbr = {PR},
  bibtex_show = {true},
  selected = {true},
  title = {Can {Quantum} Be Complete?},
  author = {Einstein, A. and Podolsky, B.},
  journal = {Phys. Rev.},
  publisher = aps,
  year = {1935},
  month = may,
  doi = {10.1103/PhysRev.47.777},
  url = {http://link.aps.org/doi/10.1103/PhysRev.47.777},
  html = {https://journals.aps.org/},
  pdf = {example.pdf},
  url_slides = {s.pdf},
  google_scholar_id = {qyhmnyLat1gC},
  altmetric = {248277},
  abstract = {Short.},
  preview = {a.gif},
}
"""


def test_bibtex_export() -> None:
    assert one(ALFOLIO).papers[0].bibtex == (
        "@article{k,\n"
        "  title         = {Can {Quantum} Be Complete?},\n"
        "  author        = {Einstein, A. and Podolsky, B.},\n"
        "  journal       = {Phys. Rev.},\n"
        "  publisher     = {American Physical Society},\n"
        "  year          = {1935},\n"
        "  month         = may,\n"
        "  doi           = {10.1103/PhysRev.47.777},\n"
        "  url           = {http://link.aps.org/doi/10.1103/PhysRev.47.777},\n"
        "  abstract      = {Short.}\n"
        "}\n"
    )


def test_bibtex_export_parses_back() -> None:
    library = parse_string(one(ALFOLIO).papers[0].bibtex)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.fields_dict["title"].value == "Can {Quantum} Be Complete?"


def test_bibtex_export_keeps_unknown_standard_fields_after_known_ones() -> None:
    bibtex = one("@article{k, zzz = {1}, title = {T}, year = 2020}").papers[0].bibtex
    assert bibtex.index("title") < bibtex.index("year") < bibtex.index("zzz")


def test_bibtex_export_drops_local_file_paths() -> None:
    bibtex = one("@article{k, title = {T}, file = {/Users/me/Zotero/storage/X/a.pdf}}").papers[0].bibtex
    assert "Zotero" not in bibtex


def test_bibtex_export_collapses_whitespace() -> None:
    assert "{A long title}" in one("@article{k, title = {A\n    long   title}}").papers[0].bibtex


# =========================================================================== real-world fixtures


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.bib")), ids=lambda p: p.name)
def test_fixture_parses_without_problems(path: Path) -> None:
    parsed = parse_bib_file(SourceFile.read(path, f"content/papers/{path.name}"))
    result = papers_from_bib([parsed])
    assert result.diagnostics == ()
    assert result.papers
    for paper in result.papers:
        assert paper.title
        assert paper.authors
        assert paper.date.year is not None
        assert paper.bibtex.startswith(f"@{paper.entry_type}{{{paper.key},")


def test_all_fixtures_together_only_clash_on_shared_keys() -> None:
    parsed = [parse_bib_file(SourceFile.read(p, p.name)) for p in sorted(FIXTURES.glob("*.bib"))]
    result = papers_from_bib(parsed)
    assert all("duplicate key" in m for m in errors(result))


def test_fixture_arxiv() -> None:
    papers = {p.key: p for p in load((FIXTURES / "arxiv.bib").read_text("utf-8")).papers}
    paper = papers["zhang2023scaling"]
    assert paper.title == "Scaling Transformer Memory with Retrieval: A Study of $k$-NN Attention"
    assert [a.display for a in paper.authors][:2] == ["Jianhao Zhang", "Zoë Müller"]
    assert (paper.venue, paper.venue_kind, paper.categories) == ("arXiv", "preprint", ("CL",))
    assert paper.date == PaperDate(2023, 10)
    assert papers["lee2019robust"].categories == ("ML",)
    assert papers["old1999"].date == PaperDate(1999, 1)


def test_fixture_dblp() -> None:
    papers = {p.key: p for p in load((FIXTURES / "dblp.bib").read_text("utf-8")).papers}
    assert "DBLP:conf/emnlp/2022" not in papers
    acl = papers["DBLP:conf/acl/ZhangM23"]
    assert acl.venue.startswith("Proceedings of the 61st Annual Meeting")
    assert [link.kind for link in acl.links] == ["doi"]
    emnlp = papers["DBLP:conf/emnlp/KumarZ22"]
    assert emnlp.date == PaperDate(2022, 12)
    assert emnlp.venue.startswith("Proceedings of the 2022 Conference")
    corr = papers["DBLP:journals/corr/abs-2310-19341"]
    assert (corr.venue_kind, corr.arxiv_id) == ("preprint", "2310.19341")


def test_fixture_zotero() -> None:
    (paper, _) = load((FIXTURES / "zotero.bib").read_text("utf-8")).papers
    assert paper.title == "Deep Learning for Protein Folding: A Review"
    assert paper.authors[2].display == "Lars Østergaard"
    assert paper.date == PaperDate(2021, 3)
    assert paper.categories == ("deep learning", "protein folding", "structural biology")
    assert "$<1$\u00a0Å" in paper.abstract


def test_fixture_al_folio() -> None:
    papers = {p.key: p for p in load((FIXTURES / "alfolio.bib").read_text("utf-8")).papers}
    paper = papers["zhang2024memory"]
    assert [(a.display, a.marks) for a in paper.authors] == [
        ("Jianhao Zhang", "*"),
        ("Zoë Müller", "*"),
        ("Ashish Kumar", "†"),
    ]
    assert paper.selected
    assert paper.citations == 1234
    assert paper.award == "Outstanding Paper Award"
    assert paper.note == "Joint first authors."
    assert paper.preview == "memory.gif"
    assert paper.categories == ("ICLR",)
    assert [link.kind for link in paper.links] == [
        "code",
        "pdf",
        "arxiv",
        "slides",
        "poster",
        "video",
        "website",
        "supp",
        "blog",
    ]
    assert "selected" not in paper.bibtex and "google_scholar_id" not in paper.bibtex
    assert papers["PhysRev.47.777"].fields["publisher"] == "American Physical Society,"


def test_fixture_biblatex() -> None:
    papers = {p.key: p for p in load((FIXTURES / "biblatex.bib").read_text("utf-8")).papers}
    assert papers["zhang2024blog"].date == PaperDate(2024, 2, 15)
    assert papers["muller2022journal"].date == PaperDate(2022, 10, 30)
    assert papers["muller2022journal"].doi == "10.5555/tmlr.2022.42"
    assert papers["kumar2020"].venue == "ETH Zürich"
    assert papers["tool2023"].authors[0].display == "Example Lab"


def test_fixture_strings() -> None:
    papers = {p.key: p for p in load((FIXTURES / "strings.bib").read_text("utf-8")).papers}
    assert papers["zhang2021a"].venue == "Advances in Neural Information Processing Systems 34"
    assert papers["zhang2021a"].authors[0].display == "Jianhao Zhang"
    assert papers["zhang2020b"].venue == "International Conference on Machine Learning"
    assert papers["zhang2020b"].date == PaperDate(2020, 7)


def test_value_ending_in_a_backslash_is_reserialised_as_valid_bibtex() -> None:
    """Found by the fuzz test: `author = {\\}` would escape its own closing brace."""
    import bibtexparser

    from generator.sources.bibtex import papers_from_bib, parse_bib_file
    from generator.sources.files import SourceFile

    text = '@book{b, title={T}, author=\\"e} and others}, year={2020}}\n'
    papers = papers_from_bib([parse_bib_file(SourceFile.from_bytes("x.bib", text.encode()))]).papers
    for paper in papers:
        assert bibtexparser.parse_string(paper.bibtex).failed_blocks == [], paper.bibtex
