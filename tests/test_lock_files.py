"""The two lock files: the site runs from requirements/base.txt, the tests from
requirements/test.txt installed over it, so a package pinned differently in the two is tested
at a version the site does not run."""

import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
# How each is made (the Makefile installs base.txt, then test.txt over it; CI runs make).
COMMANDS = {
    "base.txt": "uv pip compile pyproject.toml -o requirements/base.txt",
    "test.txt": "uv pip compile pyproject.toml --extra test -o requirements/test.txt",
}


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


def declared(*, extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(line) for line in named]


@pytest.mark.parametrize(
    "lock_file, extras",
    [("base.txt", [None]), ("test.txt", [None, "test"])],
)
def test_each_lock_file_pins_what_pyproject_declares_within_its_bounds(lock_file, extras):
    """Both are generated from pyproject.toml: a dependency added or re-bounded there without
    regenerating them fails here."""
    locked = {canonicalize_name(name.split("[")[0]): v for name, v in pins(lock_file).items()}
    wrong = {
        str(requirement): locked.get(canonicalize_name(requirement.name))
        for extra in extras
        for requirement in declared(extra=extra)
        if locked.get(canonicalize_name(requirement.name)) not in requirement.specifier
    }
    assert not wrong, (
        f"{lock_file} does not satisfy pyproject.toml: {wrong}. Regenerate it with "
        f"`{COMMANDS[lock_file]}`."
    )


def test_each_lock_file_says_it_was_compiled_from_pyproject_by_the_documented_command():
    for lock_file, command in COMMANDS.items():
        assert f"#    {command}\n" in (REQUIREMENTS / lock_file).read_text(), lock_file


def test_the_node_lock_file_holds_exactly_the_versions_package_json_names():
    manifest = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for section in ("dependencies", "devDependencies"):
        assert lock[""][section] == manifest[section]
        for name, version in manifest[section].items():
            assert lock[f"node_modules/{name}"]["version"] == version, name
