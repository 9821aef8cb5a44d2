"""The GitHub Actions workflows parse and do what the README promises."""

import yaml

from tests.conftest import ROOT

PAGES = ROOT / ".github/workflows/pages.yml"


def load(path):
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_pages_workflow_builds_and_deploys_with_the_official_actions():
    flow = load(PAGES)
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["group"] == "pages"
    assert "main" in flow["on"]["push"]["branches"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("actions/configure-pages@v") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@v") for u in uses)
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "make build" in runs and "--base-url" in runs
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@v")


def test_every_action_is_pinned_to_an_exact_version():
    for path in (ROOT / ".github/workflows").glob("*.yml"):
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    version = step["uses"].split("@")[1]
                    assert version.count(".") == 2, f"{path.name}: {step['uses']} is not an exact version"


def test_new_sites_get_the_same_workflow():
    assert (ROOT / "generator/scaffold/.github/workflows/pages.yml").read_text() == PAGES.read_text()


def test_ci_workflow_runs_the_ci_script():
    flow = load(ROOT / ".github/workflows/ci.yml")
    runs = [s.get("run", "") for s in flow["jobs"]["test"]["steps"]]
    assert ".ci/run" in runs
