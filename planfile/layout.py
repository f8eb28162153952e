"""Read a SEND strategy action plan (the "appendix") into one clean `PlanRow` per action.

Plans arrive in whatever shape the local area keeps them: Word tables pasted into Excel,
CSV exports, tab-separated text. The seed file shows the mess to expect: a priority's
title split over several rows, page-break rows ("APPENDIX 2"), a title row above the
header row, blank lines and owners joined by "/" and ",". `reader` turns the file into
grids of cell texts; this module finds the header row and walks the rows below it.
Pure Python: no Django, no database.

Text is kept as written (typos included); only whitespace is normalised.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .by_whom import OwnerSplitter
from .reader import Grid, PlanFileError, SheetLimits, clean, faults_reported, read_grids

# The header row sits near the top, below at most a title and a few notes.
HEADER_SEARCH_ROWS = 30

# Header cells as people write them, matched after `_header_key` (case and whitespace
# folded, trailing ":" "." "?" "*" dropped). The first name is the one error messages use.
HEADER_NAMES = {
    "number": ("No.", "No", "Number", "Priority number", "Priority no", "#", "Priority #"),
    "priority": (
        "Priority",
        "Priority title",
        "Strategic priority",
        "Priorities",
        "Strategic priorities",
        "Priority area",
    ),
    "action": (
        "Actions",
        "Action",
        "Action description",
        "What",
        "Description",
        "Key actions",
        "Actions required",
        "What we will do",
        "Activity",
        "Activities",
        "Task",
        "Tasks",
    ),
    "owner": (
        "By whom",
        "Owner",
        "Owners",
        "Owner(s)",
        "Action owner",
        "Action owners",
        "Lead",
        "Leads",
        "Lead(s)",
        "Lead officer",
        "Lead officers",
        "Responsible",
        "Responsible officer",
        "Responsibility",
        "Who",
    ),
    "deadline": (
        "By when",
        "Deadline",
        "Due",
        "Due date",
        "Due by",
        "Timescale",
        "Timescales",
        "Timeframe",
        "Target date",
        "Completion date",
        "When",
    ),
    "reference": ("Ref", "Reference", "Ref no", "Reference number", "Action ref", "Action id"),
    "status": ("Status", "Action status", "Current status"),
    "rag": ("RAG", "RAG status", "RAG rating"),
    "percent_complete": (
        "% complete",
        "Percent complete",
        "Percentage complete",
        "% completed",
        "Complete %",
    ),
    "last_update": ("Last update", "Last updated", "Latest update", "Update", "Progress update"),
}

# The columns that belong to an action (everything except the priority's number/title).
ACTION_FIELDS = (
    "action",
    "owner",
    "deadline",
    "reference",
    "status",
    "rag",
    "percent_complete",
    "last_update",
)

# "(continued)" after a priority repeated at the top of a page adds nothing to its title.
CONTINUED = re.compile(r"\(?(continued|cont'?d?\.?)\)?", re.IGNORECASE)
# Rows a printed document repeats at page breaks; never data.
PAGE_FURNITURE = re.compile(
    rf"appendix\s+[\w.]+|page\s+\d+(\s+of\s+\d+)?|{CONTINUED.pattern}", re.IGNORECASE
)

# A priority cell that carries its own number: "1. Provide ...", "1 Provide ...",
# "Priority 1: Provide ...", "Strategic priority 2 - Make sure ...". The number must not
# be the start of "1.1" or "16-25", hence the lookahead after a punctuation separator.
NUMBERED_TITLE = re.compile(
    r"(?P<word>(?:strategic\s+)?priority\s*)?(?P<number>\d{1,2})"
    r"(?:(?P<punct>\s*[.:)\u2013\u2014-])(?!\d)\s*|(?P<space>\s+)|$)(?P<title>.*)",
    re.IGNORECASE | re.DOTALL,
)
# A number cell on its own: "1", "1.", "1.0", "Priority 1", "P1".
BARE_NUMBER = re.compile(r"(?:(?:strategic\s+)?priority\s*|p)?(\d{1,3})(?:\.0)?\.?", re.IGNORECASE)


@dataclass(frozen=True)
class PlanRow:
    row_number: int
    priority_number: int
    priority_title: str
    text: str
    owners: tuple[str, ...]
    owners_text: str
    deadline_text: str
    reference: str = ""
    status: str = ""
    rag: str = ""
    percent_complete: str = ""
    last_update: str = ""


def read_plan(
    name: str,
    data: bytes,
    *,
    known_owner_names: Iterable[str] = (),
    limits: SheetLimits | None = None,
) -> list[PlanRow]:
    """Every action in the file, in file order, with its priority's full title.

    Raises PlanFileError, with a message for the uploader, when the file cannot be read or
    a sheet reaches beyond ``limits``, and PlanReadFault, having logged it, when reading it
    fails through a fault of ours.
    """
    with faults_reported(name, data):
        grid, layout = _find_layout(read_grids(name, data, limits))
        rows = _plan_rows(grid, layout, OwnerSplitter(known_owner_names))
    if not rows:
        raise PlanFileError(f"The file has no actions below its header row (row {layout.row}).")
    return rows


# Finding the header row


@dataclass(frozen=True)
class _Layout:
    row: int
    columns: dict[str, int]
    # The priority column, plus an unnamed column right of it (a "Priority" header
    # merged across number and title columns leaves the title column unnamed).
    title_columns: tuple[int, ...]
    # Text above the header, i.e. the document title; a page break may repeat it.
    preamble: frozenset[str] = frozenset()

    @property
    def has_priority_columns(self) -> bool:
        return "number" in self.columns or bool(self.title_columns)


def _header_key(text: str) -> str:
    return clean(text).casefold().rstrip(":.?* ")


HEADER_ROLES = {_header_key(name): role for role, names in HEADER_NAMES.items() for name in names}


def _header_roles(cells: Sequence[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        role = HEADER_ROLES.get(_header_key(cell))
        if role and role not in roles:
            roles[role] = index
    return roles


def _is_header(roles: dict[str, int]) -> bool:
    return "action" in roles and ("owner" in roles or "deadline" in roles)


def _find_layout(grids: Sequence[Grid]) -> tuple[Grid, _Layout]:
    """The first grid (sheet, or delimiter guess) with a header row, and its layout."""
    for grid in grids:
        for index, (row, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]):
            roles = _header_roles(cells)
            if _is_header(roles):
                preamble = frozenset(text.casefold() for _, above in grid[:index] for text in above)
                return grid, _layout(row, cells, roles, preamble)
    raise _missing_columns_error(grids)


def _layout(row: int, cells: list[str], roles: dict[str, int], preamble: frozenset[str]) -> _Layout:
    columns = dict(roles)
    title_columns: tuple[int, ...] = ()
    priority = roles.get("priority")
    if priority is not None:
        title_columns = (priority,)
        # The seed's number column has an empty header cell left of "Priority".
        if "number" not in roles and priority > 0 and not cells[priority - 1]:
            columns["number"] = priority - 1
        if priority + 1 < len(cells) and not cells[priority + 1]:
            title_columns = (priority, priority + 1)
    return _Layout(row, columns, title_columns, preamble)


def _missing_columns_error(grids: Sequence[Grid]) -> PlanFileError:
    """Name the missing columns, showing the row that looks most like a header."""
    candidates = [
        (len(_header_roles(cells)), sum(map(bool, cells)), -position, row, cells)
        for grid in grids
        for position, (row, cells) in enumerate(grid[:HEADER_SEARCH_ROWS])
    ]
    *_, row, cells = max(candidates, key=lambda candidate: candidate[:3])
    roles = _header_roles(cells)
    missing = []
    if "action" not in roles:
        missing.append(_accepted_names("action"))
    if "owner" not in roles and "deadline" not in roles:
        missing.append(f"{_accepted_names('owner')} or {_accepted_names('deadline')}")
    seen = ", ".join(f'"{cell}"' for cell in cells if cell)
    return PlanFileError(
        f"Could not find the column headers. The plan needs {' and '.join(missing)}. "
        f"Headers seen in row {row}: {seen}."
    )


def _accepted_names(role: str) -> str:
    first, *others = HEADER_NAMES[role]
    also = ", ".join(f'"{name}"' for name in others[:5])
    return f'a column headed "{first}" (or {also})'


# Turning data rows into actions


@dataclass
class _Priority:
    number: int
    title: str

    def extend_title(self, text: str) -> None:
        # A merged title filled down, or a title repeated after a page break, is not new text.
        if text and text != self.title:
            self.title = f"{self.title} {text}" if self.title else text


@dataclass
class _Action:
    row: int
    priority: _Priority
    fields: dict[str, str]


class _PlanBuilder:
    """Walks the data rows, tracking which priority each action belongs to."""

    def __init__(self, numbered: bool):
        # Whether the file numbers its priorities at all; if not, each new title is a
        # new priority, numbered in order.
        self.numbered = numbered
        self.priorities: dict[int, _Priority] = {}
        self.current: _Priority | None = None
        self.actions: list[_Action] = []

    @property
    def next_number(self) -> int | None:
        return max(self.priorities) + 1 if self.priorities else None

    def note_priority(self, number: int | None, title: str) -> None:
        """Start, return to or continue a priority, from a row's number and title text."""
        if number is not None:
            self._go_to(number).extend_title(title)
        elif not title:
            return
        elif self.numbered:
            # Unnumbered text under a numbered priority continues its title.
            if self.current:
                self.current.extend_title(title)
        else:
            same_title = [p for p in self.priorities.values() if p.title == title]
            if same_title:
                self.current = same_title[0]
            else:
                self._go_to(self.next_number or 1).extend_title(title)

    def _go_to(self, number: int) -> _Priority:
        # A number seen before (merged cells filled down, a page break repeating the
        # priority) returns to that priority rather than starting another.
        self.current = self.priorities.setdefault(number, _Priority(number, ""))
        return self.current

    def add_action(self, row: int, fields: dict[str, str]) -> None:
        if self.current is None:
            raise PlanFileError("an action comes before any priority", row=row)
        last = self._last_action()
        # An action cell merged down over several rows (filled down on reading) is one action.
        if last and last.fields["action"] == fields["action"]:
            _extend_fields(last, fields)
        else:
            self.actions.append(_Action(row, self.current, fields))

    def extend_last_action(self, row: int, fields: dict[str, str]) -> None:
        """Owner or deadline text on a row of its own continues the action above it."""
        if self.current is None:
            return  # Still under the header: a second header row ("Name", "Date").
        last = self._last_action()
        if last is None:
            raise PlanFileError("there is owner or deadline text here but no action", row=row)
        _extend_fields(last, fields)

    def _last_action(self) -> _Action | None:
        """The action above, if it belongs to the current priority."""
        if self.actions and self.actions[-1].priority is self.current:
            return self.actions[-1]
        return None


def _extend_fields(action: _Action, fields: dict[str, str]) -> None:
    for name, text in fields.items():
        before = action.fields[name]
        # Text equal to what is there already is a merged cell filled down, not more text.
        if not text or text == before:
            continue
        # An owner on the next row is another owner, unless the cell above ended in "/".
        joiner = "/" if name == "owner" and before and not before.endswith(("/", ",", ";")) else " "
        action.fields[name] = f"{before}{joiner}{text}" if before else text


def _plan_rows(grid: Grid, layout: _Layout, split: OwnerSplitter) -> list[PlanRow]:
    data = [(row, cells) for row, cells in grid if row > layout.row]
    plan = _PlanBuilder(numbered=_has_priority_numbers(data, layout))
    for row, cells in data:
        if _is_page_furniture(cells, layout):
            continue
        number, title = _priority_cells(cells, layout, plan.next_number)
        heading = _heading(cells, layout) if number is None and not title else None
        if heading:
            plan.note_priority(*heading)
            continue
        plan.note_priority(number, title)
        fields = {name: _cell(cells, layout.columns.get(name)) for name in ACTION_FIELDS}
        if fields["action"]:
            plan.add_action(row, fields)
        elif any(fields.values()):
            plan.extend_last_action(row, fields)
    return [_plan_row(action, split) for action in plan.actions]


def _plan_row(action: _Action, split: OwnerSplitter) -> PlanRow:
    fields = action.fields
    return PlanRow(
        row_number=action.row,
        priority_number=action.priority.number,
        priority_title=action.priority.title,
        text=fields["action"],
        owners=split(fields["owner"]),
        owners_text=fields["owner"],
        deadline_text=fields["deadline"],
        reference=fields["reference"],
        status=fields["status"],
        rag=fields["rag"],
        percent_complete=fields["percent_complete"],
        last_update=fields["last_update"],
    )


def _cell(cells: Sequence[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


def _is_page_furniture(cells: Sequence[str], layout: _Layout) -> bool:
    """A repeated header, the document title or an "APPENDIX 2" line at a page break."""
    texts = [cell for cell in cells if cell]
    return (
        _is_header(_header_roles(cells))
        or all(text.casefold() in layout.preamble for text in texts)
        or (len(texts) == 1 and PAGE_FURNITURE.fullmatch(texts[0]) is not None)
    )


def _priority_cells(
    cells: Sequence[str], layout: _Layout, expected: int | None
) -> tuple[int | None, str]:
    """The priority number and title text on this row, from its number and priority cells."""
    number_text = _cell(cells, layout.columns.get("number"))
    title = " ".join(filter(None, (_cell(cells, column) for column in layout.title_columns)))
    if CONTINUED.fullmatch(title):
        title = ""
    bare = BARE_NUMBER.fullmatch(number_text)
    if bare:
        number = int(bare[1])
        # "1" in the number column and "1. Provide ..." in the title column say it twice.
        own_number, own_title = _numbered_title(title, expected=number)
        return number, own_title if own_number == number else title
    return _numbered_title(" ".join(filter(None, (number_text, title))), expected)


def _numbered_title(text: str, expected: int | None) -> tuple[int | None, str]:
    """Split "1. Provide ..." into (1, "Provide ..."); (None, text) if it has no number.

    "1 Provide" (number, space, title) is only believed for the next priority number, so
    that a title continuing with "19 years and over" does not start priority 19.
    """
    match = NUMBERED_TITLE.fullmatch(text)
    if not match:
        return None, text
    number = int(match["number"])
    if match["space"] and not match["word"] and expected is not None and number != expected:
        return None, text
    return number, match["title"].strip()


def _heading(cells: Sequence[str], layout: _Layout) -> tuple[int, str] | None:
    """A row holding only "Priority 1: Provide ..." heads the actions below it."""
    texts = [(column, cell) for column, cell in enumerate(cells) if cell]
    if len(texts) != 1:
        return None
    column, text = texts[0]
    match = NUMBERED_TITLE.fullmatch(text)
    if not match or not (match["word"] or match["punct"]):
        return None
    # In the action column "2. Develop ..." is a numbered action, unless the layout has
    # nowhere else to put priorities.
    if column == layout.columns["action"] and not match["word"] and layout.has_priority_columns:
        return None
    return int(match["number"]), match["title"].strip()


def _has_priority_numbers(data: Grid, layout: _Layout) -> bool:
    return any(_priority_cells(cells, layout, expected=None)[0] is not None for _, cells in data)
