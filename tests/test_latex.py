"""generator.latex: BibTeX field values -> light TeX -> plain text / safe HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import latex
from generator.latex import decode, to_html, to_plain

NBSP = "\u00a0"


# --------------------------------------------------------------------------- decode: fast path


def test_plain_text_is_returned_unchanged() -> None:
    assert decode("Attention Is All You Need") == "Attention Is All You Need"


def test_whitespace_and_newlines_collapse() -> None:
    assert decode("  Attention\n   Is\tAll  You Need \n") == "Attention Is All You Need"


def test_single_quote_and_backtick_are_kept() -> None:
    assert decode("Don't `panic'") == "Don't `panic'"


def test_empty() -> None:
    assert decode("") == ""


# --------------------------------------------------------------------------- decode: accents


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{\\"u}', "ü"),
        ('\\"{u}', "ü"),
        ('\\"u', "ü"),
        ('{\\"{u}}', "ü"),
        ("\\'e", "é"),
        ("\\'{E}", "É"),
        ("\\`a", "à"),
        ("\\^o", "ô"),
        ("\\~n", "ñ"),
        ("\\={a}", "ā"),
        ("\\.z", "ż"),
        ("\\c{c}", "ç"),
        ("\\c c", "ç"),
        ("{\\c{C}}", "Ç"),
        ("\\v{s}", "š"),
        ("\\v s", "š"),
        ("\\u{g}", "ğ"),
        ("\\H{o}", "ő"),
        ("\\k{a}", "ą"),
        ("\\r{a}", "å"),
        ("\\d{h}", "ḥ"),
        ('\\"{\\i}', "ï"),
        ("\\'\\i", "í"),
        ("\\'{\\i}", "í"),
    ],
)
def test_accents(raw: str, expected: str) -> None:
    assert decode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{\\ss}", "ß"),
        ("Stra\\ss e", "Straße"),
        ("\\ss{}", "ß"),
        ("{\\o}", "ø"),
        ("{\\O}stergaard", "Østergaard"),
        ("{\\aa}", "å"),
        ('{\\AA}ngstr{\\"o}m', "Ångström"),
        ("{\\l}", "ł"),
        ("{\\L}{\\'o}d{\\'z}", "Łódź"),
        ("{\\ae}", "æ"),
        ("{\\OE}uvre", "Œuvre"),
        ("\\dag", "†"),
        ("\\ddag", "‡"),
        ("\\S 3", "§3"),
        ("\\textohm", "\u2126"),
    ],
)
def test_special_letters_and_symbols(raw: str, expected: str) -> None:
    assert decode(raw) == expected


def test_accented_names_in_context() -> None:
    assert decode("Schr{\\\"o}dinger and Poincar\\'e") == "Schrödinger and Poincaré"


def test_accent_with_empty_argument_gives_the_spacing_accent() -> None:
    assert decode("\\~{}") == "~"


def test_accent_on_a_non_letter_keeps_the_argument() -> None:
    assert decode("\\'{1}") == "1"


# --------------------------------------------------------------------------- decode: escapes, dashes, quotes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Q\\&A", "Q&A"),
        ("50\\%", "50%"),
        ("snake\\_case", "snake_case"),
        ("\\#1", "#1"),
        ("pages 1--10", "pages 1–10"),
        ("yes---no", "yes—no"),
        ("a-b", "a-b"),
        ("Dr.~Who", f"Dr.{NBSP}Who"),
        ("``quoted''", "“quoted”"),
        ("one\\\\two", "one two"),
        ("hy\\-phen", "hyphen"),
        ("a\\,b", "a b"),
    ],
)
def test_escapes_dashes_and_quotes(raw: str, expected: str) -> None:
    assert decode(raw) == expected


def test_escaped_dollar_stays_escaped_in_light_tex() -> None:
    # A literal dollar must not look like the start of math to to_html/to_plain.
    assert decode("costs \\$5 or \\$10") == "costs \\$5 or \\$10"
    assert to_plain(decode("costs \\$5 or \\$10")) == "costs $5 or $10"
    assert to_html(decode("costs \\$5 or \\$10")) == "costs $5 or $10"


def test_escaped_braces_stay_escaped_in_light_tex() -> None:
    assert decode("set \\{a\\}") == "set \\{a\\}"
    assert to_plain("set \\{a\\}") == "set {a}"


# --------------------------------------------------------------------------- decode: braces


def test_protective_braces_are_removed() -> None:
    assert decode("{BERT}: Pre-training of {Deep} Transformers") == "BERT: Pre-training of Deep Transformers"


def test_nested_protective_braces_are_removed() -> None:
    assert decode("Deep Learning for {{Protein}} Folding") == "Deep Learning for Protein Folding"


def test_unbalanced_braces_do_not_fail() -> None:
    assert decode("a } b { c") == "a b c"


# --------------------------------------------------------------------------- decode: math and commands


def test_inline_math_is_kept_verbatim() -> None:
    assert decode("A $k$-NN {Model} with $O(n \\log n)$ cost") == "A $k$-NN Model with $O(n \\log n)$ cost"


def test_math_keeps_its_braces() -> None:
    assert decode("$x^{10}$ and {A}") == "$x^{10}$ and A"


def test_paren_math_becomes_dollar_math() -> None:
    assert decode("\\(\\alpha\\)-divergence") == "$\\alpha$-divergence"


def test_display_math_becomes_inline_math() -> None:
    assert decode("$$x$$ and \\[y\\]") == "$x$ and $y$"


def test_unclosed_dollar_is_a_literal_dollar() -> None:
    assert decode("costs $5") == "costs \\$5"


def test_math_inner_whitespace_collapses() -> None:
    assert decode("$a \n  + b$") == "$a + b$"


@pytest.mark.parametrize("command", sorted(latex.KEPT_COMMANDS))
def test_formatting_commands_are_kept(command: str) -> None:
    assert decode(f"\\{command}{{x {{Y}}}}") == f"\\{command}{{x Y}}"


def test_formatting_argument_is_decoded() -> None:
    assert decode('\\emph{M{\\"u}ller}') == "\\emph{Müller}"


def test_textsl_becomes_textit() -> None:
    assert decode("\\textsl{x}") == "\\textit{x}"


def test_em_declaration_becomes_emph() -> None:
    assert decode("A {\\em fast} method") == "A \\emph{fast} method"


def test_bf_declaration_becomes_textbf() -> None:
    assert decode("{\\bf Bold} text") == "\\textbf{Bold} text"


def test_url_keeps_its_argument_verbatim() -> None:
    assert decode("see \\url{https://x.org/~me/a_b}") == "see https://x.org/~me/a_b"


def test_url_argument_is_unescaped() -> None:
    assert decode("\\url{https://x.org/a\\_b\\%20}") == "https://x.org/a_b%20"


def test_href_keeps_the_text() -> None:
    assert decode("\\href{https://x.org}{our site}") == "our site"


def test_unknown_command_keeps_its_argument() -> None:
    assert decode("\\mbox{A} \\foo{bar} \\textsuperscript{th}") == "A bar th"


def test_textcolor_drops_the_colour() -> None:
    assert decode("\\textcolor{red}{Warning}") == "Warning"


def test_unknown_command_without_argument_is_dropped() -> None:
    assert decode("a \\relax b \\zzzunknown c") == "a b c"


def test_latex_logo() -> None:
    assert decode("\\LaTeX{} and \\TeX") == "LaTeX and TeX"


def test_ensuremath_becomes_math() -> None:
    assert decode("\\ensuremath{\\alpha}") == "$\\alpha$"


def test_trailing_backslash_does_not_fail() -> None:
    assert decode("abc\\") == "abc\\"


def test_deeply_nested_braces_do_not_exhaust_the_stack() -> None:
    assert decode("{" * 5000 + "x" + "}" * 5000) == "x"


def test_many_unclosed_math_openers_are_fast_and_harmless() -> None:
    assert decode("\\(" * 20000 + "x") == "x"


def test_deeply_nested_formatting_renders() -> None:
    light = "\\emph{" * 3000 + "x" + "}" * 3000
    assert to_plain(light) == "x"
    assert "x" in to_html(light)


def test_deeply_nested_math_falls_back_to_source() -> None:
    assert to_plain("$" + "{" * 3000 + "x" + "}" * 3000 + "$").startswith("{{{")


# --------------------------------------------------------------------------- to_plain


def test_to_plain_drops_formatting() -> None:
    assert to_plain("\\emph{Fast} and \\textbf{bold \\textit{x}}") == "Fast and bold x"


@pytest.mark.parametrize(
    ("light", "expected"),
    [
        ("$2\\times$ faster", "2× faster"),
        ("$\\sim$10", "∼10"),
        ("$\\alpha$-NN", "α-NN"),
        ("$x^2$", "x²"),
        ("$x^{10}$", "x¹⁰"),
        ("$H_2O$", "H₂O"),
        ("$\\mathbb{R}^n$", "ℝⁿ"),
        ("$O(n \\log n)$", "O(n log n)"),
        ("$\\leq 5$", "≤ 5"),
        ("$\\mathcal{O}(n)$", "\\mathcal{O}(n)"),
        ("$\\frac{a}{b}$", "\\frac{a}{b}"),
        ("$x^{\\alpha}$", "x^{\\alpha}"),
    ],
)
def test_to_plain_math(light: str, expected: str) -> None:
    assert to_plain(light) == expected


def test_to_plain_fast_path() -> None:
    assert to_plain("Plain title") == "Plain title"


def test_to_plain_unescapes() -> None:
    assert to_plain("a \\\\ b \\$ c") == "a \\ b $ c"


# --------------------------------------------------------------------------- to_html


def test_to_html_escapes_text() -> None:
    assert to_html("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#x27;"


def test_to_html_formatting() -> None:
    html = to_html(
        "\\emph{a} \\textit{b} \\textbf{c} \\texttt{d} \\textsc{e} \\underline{f}",
    )
    assert html == (
        '<em>a</em> <em>b</em> <strong>c</strong> <code>d</code> <span class="smallcaps">e</span> <u>f</u>'
    )


def test_to_html_nested_and_unclosed_formatting() -> None:
    assert to_html("\\emph{a \\textbf{b}} c") == "<em>a <strong>b</strong></em> c"
    assert to_html("\\emph{open") == "<em>open</em>"


def test_to_html_math_is_mathml_with_annotation() -> None:
    html = to_html("$x^2$")
    assert html.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><semantics>')
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert '<annotation encoding="application/x-tex">x^2</annotation></semantics></math>' in html


def test_to_html_math_symbols_are_characters() -> None:
    assert "<mi>α</mi>" in to_html("$\\alpha$")


def test_to_html_broken_math_falls_back_to_code() -> None:
    assert to_html("$\\frac{a}{$") == '<code class="tex">$\\frac{a}{$</code>'


def test_to_html_math_text_is_escaped() -> None:
    html = to_html("$\\text{<script>alert(1)</script>}$")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_to_html_math_href_is_not_passed_through() -> None:
    assert "href=" not in to_html("$\\href{javascript:alert(1)}{x}$")


def test_to_html_math_style_is_not_passed_through() -> None:
    assert "style=" not in to_html("$\\style{color:red}{x}$")


def test_to_html_math_macro_definitions_are_refused() -> None:
    assert to_html("$\\def\\a{xx}\\a$").startswith('<code class="tex">')


def test_to_html_drops_control_characters() -> None:
    assert to_html("a\x00b\x1bc\x85d") == "abcd"


def test_to_html_fast_path() -> None:
    assert to_html("Plain & simple") == "Plain &amp; simple"


def test_pipeline_on_a_real_title() -> None:
    light = decode("{BERT}: Pre-training of Deep Bidirectional {T}ransformers for $\\ell_2$--{Caf\\'e}")
    assert light == "BERT: Pre-training of Deep Bidirectional Transformers for $\\ell_2$–Café"
    assert to_plain(light) == "BERT: Pre-training of Deep Bidirectional Transformers for ℓ₂–Café"
    assert "<math" in to_html(light)


# --------------------------------------------------------------------------- safety (property tests)

ALLOWED_TAGS = {"em", "strong", "code", "span", "u"} | set(latex.MATHML_ELEMENTS)
ALLOWED_ATTRS = {"class", "xmlns", "encoding"} | set(latex.MATHML_ATTRIBUTES)


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _check_safe(html: str) -> None:
    parser = _TagCollector()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, (name, html)
            assert not name.startswith("on")
            assert "javascript" not in (value or "").lower()
            if name == "class":
                assert value in ("smallcaps", "tex")
    assert "<script" not in html.lower()


TEXTY = st.lists(
    st.sampled_from(
        [*"ab <>&\"'=/\\{}$^_~-`:;()", "script", "onerror", "href", "javascript", "\\emph{", "\\url{"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_to_html_arbitrary_text_is_safe(text: str) -> None:
    _check_safe(to_html(text))


@settings(max_examples=300)
@given(TEXTY)
def test_to_html_of_decoded_hostile_text_is_safe(text: str) -> None:
    _check_safe(to_html(decode(text)))


TEX_PIECES = st.sampled_from(
    [
        "\\text{<script>}",
        "\\href{javascript:x}{y}",
        "\\style{a}{b}",
        "\\color{red}{x}",
        "\\mathrm{a&b}",
        "x^2",
        "\\frac{a}{b}",
        "\\begin{matrix}a&b\\\\c&d\\end{matrix}",
        "\\sqrt[3]{x}",
        "<img src=x onerror=alert(1)>",
        "\\unknown",
        "{",
        "}",
        "\\operatorname{x}",
        "\\hspace{1em}",
        "\\overbrace{a}^{b}",
        "\\left(x\\right)",
        "&#x3C;",
    ]
)


@settings(max_examples=300)
@given(st.lists(TEX_PIECES, max_size=5))
def test_to_html_math_is_safe(pieces: list[str]) -> None:
    _check_safe(to_html("$" + "".join(pieces) + "$"))


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_decode_and_to_plain_never_fail(text: str) -> None:
    light = decode(text)
    assert isinstance(to_plain(light), str)
    assert "\n" not in light


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_characters="\\{}$~-`'"), max_size=60))
def test_fast_path_only_collapses_whitespace(text: str) -> None:
    assert decode(text) == re.sub(r"[ \t\n\r\f\v]+", " ", text).strip(" ")


def test_mathml_operator_fixes():
    """\\sim is a relation with its own glyph; \\log is set apart from its argument."""
    from generator.latex import to_html

    assert "<mo>\u223c</mo>" in to_html("$\\sim$")
    html = to_html("$O(n \\log n)$")
    assert '<mi>log</mi><mo>\u2061</mo><mspace width="0.1667em"></mspace><mi>n</mi>' in html


def test_operator_names_in_scripts_stay_single_arguments():
    """Inside msub the function name must stay one child: msub takes exactly base and script."""
    from generator.latex import to_html

    html = to_html("$\\log_2 n$")
    assert "<msub><mi>log</mi><mn>2</mn></msub><mo>\u2061</mo>" in html
