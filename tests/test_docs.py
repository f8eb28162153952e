"""The README and docs/ say what is true: every link leads somewhere; every file, command,
setting and demo user they name exists, with the defaults they state; the layer chain is
the tested one; and every decision record carries its status and date and is listed as it
says."""

import ast
import datetime
import re
from pathlib import Path

from django.core.management import get_commands

from demo.management.commands.load_demo import DEMO_USERS
from tests.test_layers import LAYERS, SHARED_MODULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DECISIONS = sorted((DOCS / "decisions").glob("*.md"))
# The guides describe the code as it is; a decision record also names what it replaced.
GUIDES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
PAGES = [*GUIDES, *DECISIONS]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
CHAIN = re.compile(r"^\w+(?: <- \w+)+$")
STATUS = re.compile(r"^Status: (accepted|(?:amended|superseded) by \d{4}(?:, \d{4})*)(?: \(.+\))?$")


def prose(path: Path) -> str:
    """The text outside fenced code blocks, where links and headings mean something."""
    return re.sub(r"^```.*?^```", "", path.read_text(), flags=re.MULTILINE | re.DOTALL)


def anchors(path: Path) -> set[str]:
    """The anchors a Markdown renderer (GitHub's) gives the file's headings."""
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#+ (.+)$", prose(path), flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if not count else f"{slug}-{count}")
    return found


def test_every_relative_link_leads_to_a_file_and_heading_that_exist():
    broken = []
    for page in PAGES:
        for target in LINK.findall(prose(page)):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            linked = (page.parent / file).resolve() if file else page
            if not linked.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and anchor not in anchors(linked):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, broken


def test_every_file_the_docs_name_exists():
    """A path in backticks that starts in one of the project's folders names a real one."""
    folders = {entry.name for entry in ROOT.iterdir() if entry.is_dir()}
    missing = [
        f"{page.relative_to(ROOT)}: {path}"
        for page in GUIDES
        for path in CODE.findall(page.read_text())
        if "/" in path
        and path.split("/")[0] in folders
        and re.fullmatch(r"[\w./-]+", path)
        and not (ROOT / path).exists()
    ]
    assert not missing, missing


def test_every_command_the_docs_run_exists():
    commands = get_commands()
    named = {
        command
        for page in PAGES
        for command in re.findall(r"manage\.py ([a-z_]+)", page.read_text())
    }
    assert "import_plan" in named
    assert sorted(named - set(commands)) == []


def settings_variables() -> set[str]:
    read = r"(?:environ\.get|env_bool|env_list)\(\s*\"([A-Z][A-Z0-9_]*)\""
    return {
        name
        for module in (ROOT / "sendplan" / "settings").glob("*.py")
        for name in re.findall(read, module.read_text())
    }


def test_the_operations_guide_tables_every_variable_the_settings_read():
    """In the settings table, or the sign-on and e-mail tables it points to."""
    rows = re.findall(r"^\|.*$", (DOCS / "operations.md").read_text(), flags=re.MULTILINE)
    variables = settings_variables()
    assert "SENDPLAN_SITE_URL" in variables
    assert sorted(name for name in variables if not any(f"`{name}`" in row for row in rows)) == []


def test_the_settings_table_names_only_variables_the_settings_read():
    table = re.search(r"^## Settings\n(.*?)^## ", (DOCS / "operations.md").read_text(), re.M | re.S)
    named = {
        name
        for row in re.findall(r"^\| (.*?) \|", table.group(1), flags=re.MULTILINE)
        for name in re.findall(r"`([A-Z][A-Z0-9_]*[A-Z0-9])`", row)
    }
    assert len(named) > 30
    assert sorted(named - settings_variables()) == []


def constant(node: ast.expr):
    """The value of a literal default, `str(20 * 1024 * 1024)` included; None for the rest."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "str" and node.args:
        value = constant(node.args[0])
        return None if value is None else str(value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = constant(node.left), constant(node.right)
        return left * right if isinstance(left, int) and isinstance(right, int) else None
    return node.value if isinstance(node, ast.Constant) else None


def base_defaults() -> dict[str, str]:
    """What sendplan/settings/base.py takes when the variable is not set, as text."""
    tree = ast.parse((ROOT / "sendplan" / "settings" / "base.py").read_text())
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and len(node.args) == 2:
            name, default = constant(node.args[0]), constant(node.args[1])
            if isinstance(name, str) and name.isupper() and default is not None:
                found[name] = str(default).lower() if isinstance(default, bool) else str(default)
    return found


def documented_default(cell: str) -> str | None:
    """A default the table states plainly: 60, 200,000, 20 MiB or a `value`; else None."""
    if match := re.fullmatch(r"([\d,]+)( MiB)?", cell):
        number = int(match.group(1).replace(",", ""))
        return str(number * 1024 * 1024 if match.group(2) else number)
    if match := re.fullmatch(r"`([^`]+)`", cell):
        return match.group(1)
    return None


def test_the_defaults_the_operations_guide_states_are_the_settings_defaults():
    defaults = base_defaults()
    stated = {
        name: documented_default(default)
        for name, default in re.findall(
            r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+?) \| [^|]+ \|$",
            (DOCS / "operations.md").read_text(),
            re.M,
        )
    }
    compared = {name: value for name, value in stated.items() if value and name in defaults}
    assert len(compared) > 20
    assert {name: defaults[name] for name in compared} == compared


def test_the_readme_demo_users_are_the_ones_the_demo_makes():
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| ([\w ]+) \| `(\w+)` \| `([\w-]+)` \| (\w+) \|$", readme, re.M)
    made = [(role, username, password, area) for username, _, role, password, area, _ in DEMO_USERS]
    assert rows == made


def test_the_documented_layer_chain_is_the_one_tested():
    for page in (DOCS / "architecture.md", DOCS / "decisions" / "0003-the-plan-file-package.md"):
        chains = [line for line in page.read_text().splitlines() if CHAIN.match(line)]
        assert [chain.split(" <- ") for chain in chains] == [LAYERS], page.name
    architecture = (DOCS / "architecture.md").read_text()
    assert [module for module in SHARED_MODULES if f"`{module}`" not in architecture] == []


def record_header(path: Path) -> tuple[str, str]:
    lines = path.read_text().splitlines()
    assert re.match(rf"# {int(path.name[:4])}\. \S", lines[0]), path.name
    assert STATUS.match(lines[2]), f"{path.name}: {lines[2]!r}"
    assert lines[3].startswith("Date: "), f"{path.name}: {lines[3]!r}"
    datetime.date.fromisoformat(lines[3].removeprefix("Date: "))
    return lines[2].removeprefix("Status: "), lines[3].removeprefix("Date: ")


def test_every_decision_record_has_its_status_and_date():
    numbers = {path.name[:4] for path in DECISIONS}
    assert len(DECISIONS) >= 17
    for path in DECISIONS:
        status, _ = record_header(path)
        for later in re.findall(r"\d{4}", status.split(" (")[0]):
            assert later in numbers and later > path.name[:4], f"{path.name}: {status}"


def test_the_architecture_lists_every_decision_record_as_it_says():
    listed = re.findall(
        r"^\| \[\d+\]\(decisions/([^)]+)\) \| .+ \| (.+) \| (\S+) \|$",
        (DOCS / "architecture.md").read_text(),
        flags=re.MULTILINE,
    )
    recorded = []
    for path in DECISIONS:
        status, date = record_header(path)
        recorded.append((path.name, status.split(" (")[0], date))
    assert listed == recorded
