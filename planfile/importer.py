"""Importing a strategy's action plan from a file.

An import is one transaction through the same services the admin uses, so every row it
writes carries the importing user and the file name on its history row, and a file with
any bad row writes nothing.
"""

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, Owner
from actions.owner_names import OwnerDirectory
from actions.services.actions import ACTION_CONTENT_FIELDS
from actions.services.batch import ActionBatch
from actions.services.ownership import owner_find_or_create, ownerships_match
from priorities.models import Priority, Strategy
from priorities.services import area_get_or_create, priority_save, strategy_get_or_create
from sendplan.roles import can_edit_plan

from .layout import PlanRow, read_plan
from .reader import PlanFileError, PlanReadFault, SheetLimits

PERCENT = re.compile(r"(\d{1,3})(?:\.0+)?\s*%?")


class PlanImportError(Exception):
    """A refused plan file: every problem found, each naming its row where it has one.

    ``report`` is what the import would otherwise have done (None when the file was
    refused before it was read), so a preview can show the problems beside it.
    """

    def __init__(self, errors: list[str], *, report: "ImportReport | None" = None):
        self.errors = errors
        self.report = report
        super().__init__("\n".join(errors))


@dataclass
class ImportedItem:
    """A priority or action the import created, updated or left unchanged.

    ``reference`` is the priority number or the action reference; ``changes`` holds
    {field: (old, new)} for an update, with "owners" as tuples of owner names.
    """

    reference: str
    text: str
    row_number: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportReport:
    file_name: str
    area_name: str
    strategy_title: str
    dry_run: bool = False
    area_created: bool = False
    strategy_created: bool = False
    priorities_created: list[ImportedItem] = field(default_factory=list)
    priorities_updated: list[ImportedItem] = field(default_factory=list)
    priorities_unchanged: list[ImportedItem] = field(default_factory=list)
    actions_created: list[ImportedItem] = field(default_factory=list)
    actions_updated: list[ImportedItem] = field(default_factory=list)
    actions_unchanged: list[ImportedItem] = field(default_factory=list)
    owners_created: list[str] = field(default_factory=list)
    # Actions in the strategy the file no longer has; kept, since deleting is a decision.
    not_in_file: list[ImportedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        lines = []
        if self.area_created:
            lines.append(f"Local area created: {self.area_name}")
        if self.strategy_created:
            lines.append(f"Strategy created: {self.strategy_title}")
        lines.append(
            f"Priorities: {len(self.priorities_created)} created, "
            f"{len(self.priorities_updated)} updated, {len(self.priorities_unchanged)} unchanged"
        )
        lines.append(
            f"Actions: {len(self.actions_created)} created, "
            f"{len(self.actions_updated)} updated, {len(self.actions_unchanged)} unchanged"
        )
        owners = f"Owners: {len(self.owners_created)} created"
        if self.owners_created:
            owners += f" ({', '.join(self.owners_created)})"
        lines.append(owners)
        if self.not_in_file:
            references = ", ".join(item.reference for item in self.not_in_file)
            lines.append(f"Not in file (kept): {len(self.not_in_file)} actions ({references})")
        return lines


def plan_import(
    *,
    area_name: str,
    strategy_title: str,
    file_name: str,
    data: bytes,
    user: AbstractUser | None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update a strategy's priorities and actions from a plan file.

    Raises PlanImportError, having written nothing, if the file or any row is refused. A dry
    run does all the work and rolls it back, so its report is exactly what a real run does.
    """
    if user is not None and not can_edit_plan(user):
        raise PermissionDenied("Only plan administrators can import a plan.")
    limit = settings.SENDPLAN_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise PlanImportError(
            [f"{file_name} is {_size(len(data))}, over the import limit of {_size(limit)}."]
        )
    report = ImportReport(
        file_name=file_name, area_name=area_name, strategy_title=strategy_title, dry_run=dry_run
    )
    with transaction.atomic():
        _PlanImport(report=report, data=data, user=user).run()
        if report.errors:
            raise PlanImportError(report.errors, report=report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def sheet_limits() -> SheetLimits:
    """How far an imported workbook's sheets may reach, from the settings."""
    return SheetLimits(
        rows=settings.SENDPLAN_MAX_IMPORT_ROWS, columns=settings.SENDPLAN_MAX_IMPORT_COLUMNS
    )


def _size(size: int) -> str:
    # Exact bytes, so a file just over the limit does not read as the same size as it.
    if size < 1024 * 1024:
        return f"{size:,} bytes"
    return f"{size / (1024 * 1024):.1f} MB ({size:,} bytes)"


class _PlanImport:
    """One run of plan_import: the rows, the preloaded plan and the report being filled."""

    def __init__(self, *, report: ImportReport, data: bytes, user: AbstractUser | None):
        self.report = report
        self.data = data
        self.user = user
        self.reason = f"Imported from {report.file_name}"

    def run(self) -> None:
        report = self.report
        # Created before the file is read so one directory serves parsing and owners; a
        # refused file rolls the area back with everything else.
        try:
            area, report.area_created = area_get_or_create(
                name=report.area_name, user=self.user, reason=self.reason
            )
        except PermissionDenied as refusal:
            report.errors.append(str(refusal))
            return
        self.directory = OwnerDirectory(area)
        self.owners_by_name: dict[str, Owner] = {}
        try:
            rows = read_plan(
                report.file_name,
                self.data,
                known_owner_names=self.directory.spellings(),
                limits=sheet_limits(),
            )
        except PlanFileError as error:
            report.errors.append(str(error))
            return
        except PlanReadFault as fault:
            report.errors.append(fault.message)
            return
        strategy, report.strategy_created = strategy_get_or_create(
            area=area, title=report.strategy_title, user=self.user, reason=self.reason
        )
        # The actions' changes are checked row by row and written together at the end.
        self.batch = ActionBatch(user=self.user, reason=self.reason)
        # Each priority knows its strategy (the related manager sets it), which the rules read.
        priorities = {priority.number: priority for priority in strategy.priorities.all()}
        by_pk = {priority.pk: priority for priority in priorities.values()}
        priority_field = Action._meta.get_field("priority")
        actions = {}
        # Locked until the batch is written, as action_save locks the one it saves; only the
        # actions, not their priorities, and unordered, as no order is needed. Each action
        # is given the priority loaded above rather than a joined copy per row.
        for action in (
            Action.objects.filter(priority__strategy=strategy)
            .select_for_update(of=("self",))
            .order_by()
        ):
            priority_field.set_cached_value(action, by_pk[action.priority_id])
            actions[action.priority_id, action.reference] = action
        self.owners = Owner.objects.filter(area=area).in_bulk()
        # Stored ownerships as (id, owner id, order), by action in order: an ActionOwner is
        # built only for an action whose owners change, which a re-import rarely has.
        self.ownerships: dict[int, list[tuple[int, int, int]]] = {}
        for pk, action_id, owner_id, order in (
            ActionOwner.objects.filter(action__priority__strategy=strategy)
            .order_by("action_id", "order")
            .values_list("pk", "action_id", "owner_id", "order")
        ):
            self.ownerships.setdefault(action_id, []).append((pk, owner_id, order))
        for number, priority_rows in _group_by_priority(rows).items():
            priority = self._import_priority(
                priority=priorities.get(number), strategy=strategy, row=priority_rows[0]
            )
            if priority is None:
                continue
            for position, row, reference in self._referenced(priority_rows):
                self._import_action(
                    old=actions.pop((priority.pk, reference), None),
                    priority=priority,
                    reference=reference,
                    position=position,
                    row=row,
                )
        report.not_in_file = [
            ImportedItem(reference=action.reference, text=action.text)
            for action in sorted(
                actions.values(), key=lambda a: (a.priority.number, a.order, a.reference)
            )
        ]
        # A refused file writes nothing, and its report is complete without the writes.
        if not report.errors:
            self.batch.save()

    def _referenced(self, rows: list[PlanRow]) -> list[tuple[int, PlanRow, str]]:
        """(position, row, reference) for a priority's rows, reporting repeated references."""
        seen: dict[str, int] = {}
        referenced = []
        for position, row in enumerate(rows, start=1):
            reference = row.reference or f"{row.priority_number}.{position}"
            if reference in seen:
                self.report.errors.append(
                    f"Row {row.row_number}, reference: {reference} is also on row "
                    f"{seen[reference]}."
                )
                continue
            seen[reference] = row.row_number
            referenced.append((position, row, reference))
        return referenced

    def _import_priority(
        self, *, priority: Priority | None, strategy: Strategy, row: PlanRow
    ) -> Priority | None:
        created = priority is None
        if created:
            priority = Priority(strategy=strategy, number=row.priority_number)
        wanted = {"title": row.priority_title, "order": row.priority_number}
        changes = {
            name: (getattr(priority, name), value)
            for name, value in wanted.items()
            if getattr(priority, name) != value
        }
        item = ImportedItem(
            reference=str(row.priority_number),
            text=row.priority_title,
            row_number=row.row_number,
            changes={} if created else changes,
        )
        if changes:
            for name, value in wanted.items():
                setattr(priority, name, value)
            try:
                priority_save(priority=priority, user=self.user, reason=self.reason)
            except ValidationError as error:
                self._add_errors(row=row, error=error, model=Priority)
                return None
        if created:
            self.report.priorities_created.append(item)
        elif changes:
            self.report.priorities_updated.append(item)
        else:
            self.report.priorities_unchanged.append(item)
        return priority

    def _import_action(
        self,
        *,
        old: Action | None,
        priority: Priority,
        reference: str,
        position: int,
        row: PlanRow,
    ) -> None:
        """Check the row's action and owners and queue their changes; report what they are."""
        # The row is applied to a copy: old stays as stored, for the rules and the report.
        action = Action(priority=priority, reference=reference) if old is None else copy.copy(old)
        if not self._apply_row(action=action, position=position, row=row):
            return
        try:
            self.batch.add(old=old, action=action)
        except ValidationError as error:
            self._add_errors(row=row, error=error, model=Action)
            return
        owners = self._owners(row)
        if owners is None:
            return
        stored = self.ownerships.get(old.pk, []) if old is not None else []
        if stored and ownerships_match([(owner, order) for _, owner, order in stored], owners):
            owners_changed = False
        else:
            old_ownerships = [
                self._stored_ownership(action=old, pk=pk, owner_id=owner_id, order=order)
                for pk, owner_id, order in stored
            ]
            owners_changed = self.batch.set_owners(
                action=action, owners=owners, existing=old_ownerships
            )
        item = ImportedItem(reference=action.reference, text=action.text, row_number=row.row_number)
        if old is None:
            self.report.actions_created.append(item)
            return
        item.changes = {
            name: (getattr(old, name), getattr(action, name))
            for name in ACTION_CONTENT_FIELDS
            if getattr(old, name) != getattr(action, name)
        }
        if owners_changed:
            item.changes["owners"] = (
                tuple(self.owners[owner_id].name for _, owner_id, _ in stored),
                tuple(owner.name for owner in owners),
            )
        if item.changes:
            self.report.actions_updated.append(item)
        else:
            self.report.actions_unchanged.append(item)

    def _stored_ownership(
        self, *, action: Action, pk: int, owner_id: int, order: int
    ) -> ActionOwner:
        """A stored ownership as loaded from the database, for the rules to change or delete."""
        ownership = ActionOwner(pk=pk, action=action, owner=self.owners[owner_id], order=order)
        ownership._state.adding = False
        return ownership

    def _apply_row(self, *, action: Action, position: int, row: PlanRow) -> bool:
        """Set the action's fields from the row; False (with errors reported) if a value is bad.

        The due date is the services' to derive, from a new or changed deadline only, so a
        due date an administrator moved by hand survives re-importing the same file.
        """
        action.order = position
        action.text = row.text
        action.deadline_text = row.deadline_text
        ok = True
        # An empty cell leaves the value as it is: plain plans carry no progress columns.
        for name, text, parse in (
            ("status", row.status, _status),
            ("rag", row.rag, _rag),
            ("percent_complete", row.percent_complete, _percent),
        ):
            if not text.strip():
                continue
            try:
                setattr(action, name, parse(text))
            except ValueError as error:
                self.report.errors.append(f"Row {row.row_number}, {error}")
                ok = False
        return ok

    def _owners(self, row: PlanRow) -> list[Owner] | None:
        """The row's owners, each once and in order; None (errors reported) if one is refused."""
        owners = []
        for name in row.owners:
            # A plan names the same few owners on thousands of rows: each is looked up once.
            owner = self.owners_by_name.get(name)
            if owner is None:
                try:
                    owner, created = owner_find_or_create(
                        directory=self.directory, name=name, user=self.user, reason=self.reason
                    )
                except ValidationError as error:
                    self._add_errors(row=row, error=error, model=Owner)
                    return None
                if created:
                    self.report.owners_created.append(owner.name)
                self.owners_by_name[name] = owner
            owners.append(owner)
        # Two spellings of one role in a cell ("DCO/Designated Clinical Officer") are one owner.
        return list(dict.fromkeys(owners))

    def _add_errors(
        self, *, row: PlanRow, error: ValidationError, model: type[models.Model]
    ) -> None:
        for name, messages in error.message_dict.items():
            label = (
                model._meta.verbose_name
                if name == NON_FIELD_ERRORS
                else model._meta.get_field(name).verbose_name
            )
            for message in messages:
                self.report.errors.append(f"Row {row.row_number}, {label}: {message}")


def _group_by_priority(rows: list[PlanRow]) -> dict[int, list[PlanRow]]:
    grouped: dict[int, list[PlanRow]] = {}
    for row in rows:
        grouped.setdefault(row.priority_number, []).append(row)
    return grouped


def _choice_key(text: str) -> str:
    return " ".join(re.split(r"[\s_-]+", text.strip())).casefold()


def _choice_parser(
    choices: type[models.TextChoices], *, label: str, examples: str
) -> Callable[[str], str]:
    """Map a choice's value or label, however spaced or cased ("In progress", "in_progress")."""
    by_key = {}
    for value, choice_label in choices.choices:
        by_key[_choice_key(value)] = value
        by_key[_choice_key(choice_label)] = value

    def parse(text: str) -> str:
        try:
            return by_key[_choice_key(text)]
        except KeyError:
            raise ValueError(f'{label}: "{text}" is not {examples}.') from None

    return parse


_status = _choice_parser(
    Status,
    label="status",
    examples="a status (Not started, In progress, At risk, Blocked or Completed)",
)
_rag = _choice_parser(Rag, label="RAG", examples="a RAG rating (Red, Amber, Green or Not rated)")


def _percent(text: str) -> int:
    match = PERCENT.fullmatch(text.strip())
    if match is None or int(match[1]) > 100:
        raise ValueError(f'percent complete: "{text}" is not a percentage from 0 to 100.')
    return int(match[1])
