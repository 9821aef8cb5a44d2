import shutil
from pathlib import Path

import pytest

from generator.build import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A copy of the default example site (content/ only) in a temporary folder."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def build_site(root: Path, **kwargs: object) -> BuildResult:
    options = BuildOptions(root / "content", root / "output", **kwargs)  # type: ignore[arg-type]
    return build(options)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default example built once per session; returns the output folder."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(ROOT / "content", root / "content")
    result = build_site(root)
    assert not [d for d in result.diagnostics if d.level == "error"], result.diagnostics
    return root / "output"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the fuzzing campaign's size: the number of generated inputs per target."""
    import sys

    fuzz = sys.modules.get("tests.test_fuzz") or sys.modules.get("test_fuzz")
    inputs = getattr(fuzz, "INPUTS", None)
    if inputs:
        total = sum(inputs.values())
        terminalreporter.write_sep("-", f"fuzz: {total:,} generated inputs across {len(inputs)} targets")
        for name, n in sorted(inputs.items()):
            terminalreporter.write_line(f"  {name}: {n:,}")
