from generator.model import ProfileLink
from generator.sources.authors import read_author
from generator.sources.yaml_source import load_yaml_text


def read(text: str):
    author, diags = read_author(load_yaml_text("content/authors/ada.yaml", text), "ada")
    return author, [d.format() for d in diags]


def test_full_profile():
    author, diags = read(
        "name: Ada Lovelace\n"
        'aliases: ["Lovelace, A.", A. Lovelace]\n'
        "affiliation: Analytical Engine Lab\n"
        "category: LG\n"
        "bio: I write *programs*.\n"
        "links:\n  github: https://github.com/ada\n  email: ada@example.org\n  Blog: https://ada.example.org\n"
        "metrics:\n  h-index: 19\n  Novelty: 54%\n  AI Score: 44\n"
        "papers: [key1]\n"
    )
    assert diags == []
    assert author is not None
    assert author.name == "Ada Lovelace"
    assert author.aliases == ("Lovelace, A.", "A. Lovelace")
    assert author.links == (
        ProfileLink("github", "GitHub", "https://github.com/ada"),
        ProfileLink("email", "Email", "mailto:ada@example.org"),
        ProfileLink("blog", "Blog", "https://ada.example.org"),
    )
    assert author.metric_overrides == (("h-index", "19"), ("Novelty", "54%"), ("AI Score", "44"))
    assert author.paper_keys == ("key1",)
    assert str(author.source) == "content/authors/ada.yaml:1"


def test_missing_name_is_an_error():
    author, diags = read("affiliation: Somewhere\n")
    assert author is None
    assert diags == [
        "content/authors/ada.yaml:1: error: author profile has no 'name' "
        "(add a line like `name: Ada Lovelace`)"
    ]


def test_unsafe_links_are_dropped_with_a_warning():
    author, diags = read("name: Ada\nlinks:\n  homepage: javascript:alert(1)\n  email: not an address\n")
    assert author is not None and author.links == ()
    assert diags[0].startswith("content/authors/ada.yaml:3:3: warning: link 'homepage' is not an http(s)")
    assert diags[1].startswith("content/authors/ada.yaml:4:3: warning: link 'email'")


def test_unknown_key_and_wrong_type():
    author, diags = read("name: Ada\nafiliation: X\nmetrics: [1, 2]\n")
    assert author is not None
    assert "warning: unknown key 'afiliation' (did you mean 'affiliation'?)" in diags[0]
    assert "error: 'metrics' must be a mapping, not a list" in diags[1]


def test_links_as_a_list_of_label_url_pairs():
    author, _ = read("name: Ada\nlinks:\n  - {label: Lab, url: https://lab.example}\n")
    assert author is not None and author.links == (ProfileLink("lab", "Lab", "https://lab.example"),)
