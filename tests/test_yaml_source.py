from generator.sources.files import SourceFile
from generator.sources.yaml_source import load_yaml, load_yaml_text


def test_values_and_key_locations():
    doc = load_yaml_text("a.yaml", "name: Ada\nmetrics:\n  h-index: 19\n  Novelty: 54%\n")
    assert doc.data == {"name": "Ada", "metrics": {"h-index": 19, "Novelty": "54%"}}
    assert str(doc.loc("metrics", "Novelty")) == "a.yaml:4:3"
    assert str(doc.loc("missing")) == "a.yaml:1"


def test_syntax_error_has_line_and_column():
    doc = load_yaml_text("site.yaml", "title: [unclosed\nauthor: x\n")
    (diag,) = doc.diagnostics
    assert diag.level == "error"
    assert diag.format().startswith("site.yaml:2:7: error: YAML syntax error: ")


def test_tab_indentation_hint():
    doc = load_yaml_text("a.yaml", "name: Ada\n\tbio: x\n")
    assert "indent with spaces, not tabs" in doc.diagnostics[0].format()


def test_duplicate_key_is_a_warning_last_wins():
    doc = load_yaml_text("a.yaml", "name: A\nname: B\n")
    assert doc.data == {"name": "B"}
    assert (
        doc.diagnostics[0].format()
        == "a.yaml:2:1: warning: key 'name' is given twice; the last one wins (remove one of them)"
    )


def test_recursive_alias_and_alias_bomb_are_errors_not_crashes():
    assert load_yaml_text("a.yaml", "&a [*a]\n").diagnostics[0].level == "error"
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    diag = load_yaml_text("a.yaml", bomb).diagnostics[0]
    assert "too many values" in diag.message


def test_bom_crlf_and_latin1():
    doc = load_yaml(SourceFile.from_bytes("a.yaml", b"\xef\xbb\xbfname: Ada\r\nbio: x\r\n"))
    assert doc.data == {"name": "Ada", "bio": "x"}
    assert not doc.diagnostics
    doc = load_yaml(SourceFile.from_bytes("b.yaml", "name: Zoë\n".encode("latin-1")))
    assert doc.data == {"name": "Zoë"}
    assert doc.diagnostics[0].format().startswith("b.yaml:1: warning: file is not valid UTF-8")


def test_empty_document_is_an_empty_mapping():
    doc = load_yaml_text("a.yaml", "# only a comment\n")
    assert doc.data == {}
    assert not doc.diagnostics
