from generator.config import SiteConfig, load_config
from generator.sources.yaml_source import load_yaml_text


def config(text: str):
    cfg, diags = load_config(load_yaml_text("content/site.yaml", text))
    return cfg, [d.format() for d in diags]


def test_defaults():
    cfg, diags = config("")
    assert cfg == SiteConfig()
    assert diags == []
    assert cfg.base_path == "/"


def test_values_and_base_path():
    cfg, diags = config("title: Ada\nbase_url: https://ada.github.io/site\nauthor: ada\nauthors_shown: 5\n")
    assert diags == []
    assert (cfg.title, cfg.author, cfg.authors_shown) == ("Ada", "ada", 5)
    assert cfg.base_url == "https://ada.github.io/site/"
    assert cfg.base_path == "/site/"


def test_unknown_key_suggests_the_close_one():
    _, diags = config("titel: Ada\n")
    assert diags == ["content/site.yaml:1:1: warning: unknown key 'titel' (did you mean 'title'?)"]


def test_wrong_type_is_an_error_and_the_default_is_kept():
    cfg, diags = config("authors_shown: many\nselected_first: 3\n")
    assert cfg.authors_shown == 3
    assert cfg.selected_first is False
    assert diags[0].startswith("content/site.yaml:1:1: error: 'authors_shown' must be a whole number")
    assert diags[1].startswith("content/site.yaml:2:1: error: 'selected_first' must be true or false")


def test_list_instead_of_mapping():
    _, diags = config("- title\n- author\n")
    assert diags[0].startswith("content/site.yaml:1: error: site.yaml must be a mapping")


def test_base_url_scheme_is_checked():
    cfg, diags = config("base_url: javascript:alert(1)\n")
    assert cfg.base_url == "/"
    assert "must start with https://" in diags[0]


def test_nav_items():
    cfg, diags = config("nav:\n  - {label: CV, url: cv/}\n  - oops\n")
    assert cfg.nav == (("CV", "cv/"),)
    assert diags[0].startswith("content/site.yaml:3:5: error: each nav item needs a label and a url")
