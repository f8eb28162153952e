"""The two lock files: the site runs from requirements/base.txt, the tests from
requirements/test.txt installed over it, so a package pinned differently in the two is tested
at a version the site does not run."""

import re
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements"


def pins(name: str) -> dict[str, str]:
    text = (REQUIREMENTS / name).read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", text, flags=re.MULTILINE))


def test_the_tests_run_every_package_of_the_site_at_the_version_the_site_runs():
    site, tests = pins("base.txt"), pins("test.txt")
    differ = {
        package: f"{version} in base.txt, {tests.get(package)} in test.txt"
        for package, version in site.items()
        if tests.get(package) != version
    }
    assert not differ, (
        f"The lock files disagree: {differ}. Regenerate the one that lags with "
        "`uv pip compile pyproject.toml [--extra test] -o requirements/<file> "
        "--upgrade-package <package>`."
    )
