"""generator.names: splitting author lists, parsing names, matching them to profiles."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import PersonName
from generator.names import NameMatcher, fold, match_key, parse_name, split_authors

# --------------------------------------------------------------------------- split_authors


def test_split_simple() -> None:
    assert split_authors("Ada Lovelace and Charles Babbage") == (["Ada Lovelace", "Charles Babbage"], False)


def test_split_uppercase_and_and_newlines() -> None:
    assert split_authors("A. One AND\n   B. Two\tand C. Three") == (["A. One", "B. Two", "C. Three"], False)


def test_split_keeps_and_inside_braces() -> None:
    assert split_authors("{Barnes and Noble} and Smith, J.") == (["{Barnes and Noble}", "Smith, J."], False)


def test_split_does_not_split_inside_words() -> None:
    assert split_authors("Anderson, A. and Sandoval, B.") == (["Anderson, A.", "Sandoval, B."], False)


def test_split_and_others() -> None:
    assert split_authors("Ada Lovelace and others") == (["Ada Lovelace"], True)


def test_split_et_al() -> None:
    assert split_authors("Ada Lovelace and et al.") == (["Ada Lovelace"], True)
    assert split_authors("Ada Lovelace et al.") == (["Ada Lovelace"], True)


def test_split_empty_names_are_dropped() -> None:
    assert split_authors("A and  and B and ") == (["A", "B"], False)


def test_split_empty_field() -> None:
    assert split_authors("   ") == ([], False)


def test_split_collapses_whitespace_in_names() -> None:
    assert split_authors("Ada\n   Lovelace") == (["Ada Lovelace"], False)


# --------------------------------------------------------------------------- parse_name


def _name(raw: str) -> PersonName:
    return parse_name(raw)[0]


def test_first_last() -> None:
    assert _name("Jianhao Zhang") == PersonName(given="Jianhao", family="Zhang")


def test_last_comma_first() -> None:
    assert _name("Zhang, Jianhao") == PersonName(given="Jianhao", family="Zhang")


def test_first_von_last() -> None:
    assert _name("Ludwig van Beethoven") == PersonName(given="Ludwig", von="van", family="Beethoven")


def test_multiword_von() -> None:
    assert _name("Jean de la Fontaine") == PersonName(given="Jean", von="de la", family="Fontaine")


def test_von_last_comma_first() -> None:
    assert _name("van Beethoven, Ludwig") == PersonName(given="Ludwig", von="van", family="Beethoven")


def test_von_last_jr_first() -> None:
    assert _name("van Beethoven, Jr., Ludwig") == PersonName(
        given="Ludwig", von="van", family="Beethoven", jr="Jr."
    )


def test_last_jr_first() -> None:
    assert _name("King, Jr, Martin Luther") == PersonName(given="Martin Luther", family="King", jr="Jr")


def test_trailing_jr_without_comma() -> None:
    assert _name("Martin Luther King Jr.") == PersonName(given="Martin Luther", family="King", jr="Jr.")


def test_single_word_is_family() -> None:
    assert _name("Aristotle") == PersonName(family="Aristotle")


def test_multi_word_family_after_comma() -> None:
    assert _name("Garcia Marquez, Gabriel") == PersonName(given="Gabriel", family="Garcia Marquez")


def test_corporate_name_in_braces() -> None:
    assert _name("{Barnes and Noble}") == PersonName(family="Barnes and Noble")


def test_corporate_name_with_comma_in_braces() -> None:
    assert _name("{Google, Inc.}") == PersonName(family="Google, Inc.")


def test_hyphenated_names() -> None:
    assert _name("Jean-Pierre Dupont-Moretti") == PersonName(given="Jean-Pierre", family="Dupont-Moretti")


def test_initials() -> None:
    assert _name("D. E. Knuth") == PersonName(given="D. E.", family="Knuth")


def test_tie_is_a_space() -> None:
    assert _name("D.~E.~Knuth") == PersonName(given="D. E.", family="Knuth")


def test_accented_names_are_decoded() -> None:
    assert _name('M{\\"u}ller, Zo{\\"e}') == PersonName(given="Zoë", family="Müller")


def test_accented_lower_case_particle_is_von() -> None:
    assert _name("Jean {\\`a} Becket") == PersonName(given="Jean", von="à", family="Becket")


def test_protected_lower_case_word_is_not_von() -> None:
    assert _name("Maria {de} Souza") == PersonName(given="Maria de", family="Souza")


def test_special_letter_name() -> None:
    assert _name("{\\O}stergaard, Lars") == PersonName(given="Lars", family="Østergaard")


def test_unicode_names_pass_through() -> None:
    assert _name("Zoë Müller") == PersonName(given="Zoë", family="Müller")


def test_empty_name() -> None:
    assert _name("") == PersonName()


@pytest.mark.parametrize(
    ("raw", "marks"),
    [
        ("Jianhao Zhang*", "*"),
        ("Zhang, Jianhao*", "*"),
        ("Jianhao Zhang†", "†"),
        ("Jianhao Zhang‡", "‡"),
        ("Jianhao Zhang§", "§"),
        ("Jianhao Zhang\\dag", "†"),
        ("Jianhao Zhang\\ddag", "‡"),
        ("Jianhao Zhang$^*$", "*"),
        ("Jianhao Zhang$^\\dagger$", "†"),
        ("Jianhao Zhang$^{\\dagger}$", "†"),
        ("Jianhao Zhang$^{*}$", "*"),
        ("Jianhao Zhang\\textsuperscript{*}", "*"),
        ("Jianhao Zhang\\textsuperscript{\\dag}", "†"),
        ("Jianhao Zhang*†", "*†"),
        ("Jianhao Zhang$^*$$^\\dagger$", "*†"),
        ("Jianhao* Zhang", "*"),
    ],
)
def test_equal_contribution_marks(raw: str, marks: str) -> None:
    assert parse_name(raw) == (PersonName(given="Jianhao", family="Zhang"), marks)


def test_marks_are_not_found_in_plain_names() -> None:
    assert parse_name("Jianhao Zhang") == (PersonName(given="Jianhao", family="Zhang"), "")


def test_affiliation_superscript_is_dropped_without_mark() -> None:
    assert parse_name("Jianhao Zhang\\textsuperscript{1}") == (
        PersonName(given="Jianhao", family="Zhang"),
        "",
    )


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_parse_name_never_fails(raw: str) -> None:
    name, marks = parse_name(raw)
    assert isinstance(name, PersonName)
    assert isinstance(marks, str)


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_split_authors_never_fails(raw: str) -> None:
    names, more = split_authors(raw)
    assert all(n == n.strip() and n for n in names)
    assert isinstance(more, bool)


# --------------------------------------------------------------------------- fold / match_key


def test_fold_removes_case_accents_and_punctuation() -> None:
    assert fold("Zoë Müller-Lé") == "zoe muller le"
    assert fold("Łukasz Østergaard") == "lukasz ostergaard"
    assert fold("Straße") == "strasse"


def test_match_key_is_order_and_hyphen_insensitive() -> None:
    assert match_key(_name("Zhang, Jian-Hao")) == match_key(_name("Jianhao Zhang")) == "zhang|jianhao"


def test_match_key_includes_von() -> None:
    assert match_key(_name("Ludwig van Beethoven")) == "vanbeethoven|ludwig"


# --------------------------------------------------------------------------- NameMatcher

PROFILES = [
    ("jianhao", ["Jianhao Zhang", "Zhang, J."]),
    ("jun", ["Jun Zhang"]),
    ("zoe", ["Zoë Müller"]),
    ("jp", ["Jian-Hao Wu"]),
    ("lvb", ["Ludwig van Beethoven"]),
]


@pytest.fixture(name="matcher")
def _matcher() -> NameMatcher:
    return NameMatcher(PROFILES)


def _match(matcher: NameMatcher, raw: str) -> str | None:
    return matcher.match(_name(raw))


def test_exact_match(matcher: NameMatcher) -> None:
    assert _match(matcher, "Jianhao Zhang") == "jianhao"


def test_last_first_order(matcher: NameMatcher) -> None:
    assert _match(matcher, "Zhang, Jianhao") == "jianhao"


def test_case_insensitive(matcher: NameMatcher) -> None:
    assert _match(matcher, "JIANHAO ZHANG") == "jianhao"


def test_accent_insensitive(matcher: NameMatcher) -> None:
    assert _match(matcher, "Zoe Muller") == "zoe"
    assert _match(matcher, 'Zo{\\"e} M{\\"u}ller') == "zoe"


def test_initial_matches_full_name(matcher: NameMatcher) -> None:
    assert _match(matcher, "Z. Müller") == "zoe"


def test_full_name_matches_initial_alias() -> None:
    matcher = NameMatcher([("ada", ["A. Lovelace"])])
    assert matcher.match(_name("Ada Lovelace")) == "ada"


def test_hyphenated_initials(matcher: NameMatcher) -> None:
    assert _match(matcher, "J.-H. Wu") == "jp"
    assert _match(matcher, "Jianhao Wu") == "jp"
    assert _match(matcher, "J. Wu") == "jp"


def test_run_together_initials() -> None:
    matcher = NameMatcher([("jh", ["Jian Hao Wu"])])
    assert matcher.match(_name("JH Wu")) == "jh"
    assert matcher.match(_name("Wu, J.H.")) == "jh"


def test_exact_alias_beats_initial_match(matcher: NameMatcher) -> None:
    # "J. Zhang" fits both Zhangs by initial, but is an explicit alias of one of them.
    assert _match(matcher, "J. Zhang") == "jianhao"


def test_ambiguous_initial_returns_none() -> None:
    matcher = NameMatcher([("jianhao", ["Jianhao Zhang"]), ("jun", ["Jun Zhang"])])
    assert matcher.match(_name("J. Zhang")) is None


def test_ambiguous_exact_returns_none() -> None:
    matcher = NameMatcher([("a", ["Wei Li"]), ("b", ["Wei Li"])])
    assert matcher.match(_name("Wei Li")) is None


def test_same_profile_twice_is_not_ambiguous() -> None:
    matcher = NameMatcher([("a", ["Wei Li", "Li, Wei", "W. Li"])])
    assert matcher.match(_name("W. Li")) == "a"


def test_different_given_name_does_not_match() -> None:
    matcher = NameMatcher([("jianhao", ["Jianhao Zhang"])])
    assert matcher.match(_name("Jie Zhang")) is None


def test_initial_alias_matches_any_name_with_that_initial(matcher: NameMatcher) -> None:
    # "Zhang, J." is an alias of one profile only, and "Jie" starts with "J".
    assert _match(matcher, "Jie Zhang") == "jianhao"


def test_different_family_does_not_match(matcher: NameMatcher) -> None:
    assert _match(matcher, "Jianhao Zhao") is None


def test_middle_name_mismatch_does_not_match(matcher: NameMatcher) -> None:
    assert _match(matcher, "Jianhao X. Zhang") is None


def test_von_is_part_of_the_family_name(matcher: NameMatcher) -> None:
    assert _match(matcher, "van Beethoven, L.") == "lvb"
    assert _match(matcher, "Ludwig Beethoven") is None


def test_family_only_does_not_match_a_given_name(matcher: NameMatcher) -> None:
    assert _match(matcher, "Zhang") is None


def test_unknown_name(matcher: NameMatcher) -> None:
    assert _match(matcher, "Ada Lovelace") is None


def test_empty_profiles() -> None:
    assert NameMatcher([]).match(_name("Ada Lovelace")) is None


def test_matching_is_fast() -> None:
    """10,000 papers x 10 authors against 50 profiles; the bound is generous (not a benchmark)."""
    profiles = [(f"p{i}", [f"Given{i} Family{i}", f"Family{i}, G."]) for i in range(50)]
    matcher = NameMatcher(profiles)
    names = [PersonName(given=f"Given{i % 97}", family=f"Family{i % 89}") for i in range(100_000)]
    start = time.perf_counter()
    found = sum(1 for n in names if matcher.match(n))
    assert found > 0
    assert time.perf_counter() - start < 5
