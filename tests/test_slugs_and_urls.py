import pytest

from generator.safeurl import email_url, safe_url
from generator.slugs import MAX_LEN, slugify, unique_slugs


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Smith2020", "smith2020"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("a\\b", "a-b"),
        ("nul\x00byte", "nul-byte"),
        ("Müller:2020/ä", "muller-2020-a"),
        ("CON", "con-"),
        ("lpt1", "lpt1-"),
        ("", "item"),
        ("日本語", "item"),
        ("---", "item"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_long_names_are_cut():
    assert len(slugify("x" * 1000)) == MAX_LEN


def test_keys_differing_by_case_do_not_collide():
    assert unique_slugs(["Smith2020", "smith2020", "SMITH2020"]) == [
        "smith2020",
        "smith2020-2",
        "smith2020-3",
    ]


def test_unique_slugs_of_long_names_stay_within_the_limit():
    slugs = unique_slugs(["y" * 200, "y" * 300])
    assert slugs[0] != slugs[1]
    assert all(len(s) <= MAX_LEN for s in slugs)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "java\tscript:x",
        " javascript:x",
        "data:text/html,<b>",
        "vbscript:x",
        "file:///etc/passwd",
        "x:y",
        "",
    ],
)
def test_unsafe_urls_are_refused(url):
    assert safe_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2310.19341", "https://arxiv.org/abs/2310.19341"),
        ("http://x.org/a b", "http://x.org/a%20b"),
        ("mailto:a@b.org", "mailto:a@b.org"),
        ("static/cv.pdf", "static/cv.pdf"),
        ("../papers/", "../papers/"),
    ],
)
def test_safe_urls_are_kept(url, expected):
    assert safe_url(url) == expected


def test_email_url():
    assert email_url("ada@example.org") == "mailto:ada@example.org"
    assert email_url("mailto:ada@example.org") == "mailto:ada@example.org"
    assert email_url("javascript:alert(1)//@x.y") is None
