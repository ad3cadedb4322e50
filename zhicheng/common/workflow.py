"""The workflow kernel: the one place a status-bearing row changes its status.

Each status-bearing model declares its table as a class attribute::

    class EvaluationPlan(models.Model):
        workflow = Workflow({PlanStatus.DRAFT: {"submit": PlanStatus.SUBMITTED}, ...})

and every service moves it with :func:`transition`, which

1. refuses to run outside a transaction (the status, its record row and the log entry are
   written together or not at all);
2. checks the table — a move it lacks raises :class:`TransitionRefused` (an
   ``ApplicationError`` with the model's Chinese message) and changes nothing;
3. writes the status and the step's other fields (``values``);
4. writes the record row where the model keeps a timeline (the model's ``record`` hook, e.g.
   the application's ``ReviewRecord``);
5. writes the operation-log entry (when the caller gives a ``summary``);
6. schedules side effects with ``transaction.on_commit`` (they run once the step is durable).

``save=False`` stops after 3, in memory: the caller sets the step's other columns and then
writes it with ``Step.write`` (4 and 5: the record row is built then, from the final row), or
writes many steps at once with ``transitions_write``, or saves the row itself together with
other columns (a background job's bookkeeping, which keeps no record and no log entry).
``tools/lint.py`` refuses ``.status =`` and ``update(status=…)`` anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, router, transaction

from zhicheng.common.errors import ApplicationError

# status → action → the statuses the action may lead to (one status, or a set of them).
Table = Mapping[str, Mapping[str, str | Iterable[str]]]
Summary = str | Callable[[], str] | None


class TransitionRefused(ApplicationError):
    """The table lacks the move: nothing was changed."""

    def __init__(self, message: str, *, status: str = "", action: str = "", to: str = ""):
        super().__init__(message)
        self.status, self.action, self.to = status, action, to


class Workflow:
    """A model's status table and its hooks.

    - ``table``: status → action → target status(es); a status missing from it has no moves.
    - ``actions``: the action labels (a ``TextChoices`` or a dict), for the refusal message.
    - ``record``: the name of a model method building the (unsaved) timeline row of a step,
      called as ``obj.<record>(action=, actor=, from_status=, opinion=, **record)``.
    - ``refused``: ``(obj, action, to) -> str``, the model's own refusal message; by default
      "当前状态（审核中）不能撤回申报".
    """

    def __init__(
        self,
        table: Table,
        *,
        actions: type[models.TextChoices] | Mapping[str, str] | None = None,
        field: str = "status",
        record: str | None = None,
        refused: Callable[[models.Model, str, str], str] | None = None,
    ) -> None:
        self.table: dict[str, dict[str, frozenset[str]]] = {
            str(status): {
                str(action): frozenset({str(to)})
                if isinstance(to, str)
                else frozenset(map(str, to))
                for action, to in moves.items()
            }
            for status, moves in table.items()
        }
        if actions is not None and not isinstance(actions, Mapping):
            actions = dict(actions.choices)
        self.action_labels: dict[str, str] = {str(k): str(v) for k, v in (actions or {}).items()}
        self.field = field
        self.record = record
        self.refused = refused

    # --- reading the table -------------------------------------------------------------------

    def moves(self, status: str, action: str) -> frozenset[str]:
        """Where ``action`` may lead from ``status`` (empty: refused)."""
        return self.table.get(str(status), {}).get(str(action), frozenset())

    def allows(self, status: str, action: str, to: str | None = None) -> bool:
        moves = self.moves(status, action)
        return bool(moves) if to is None else str(to) in moves

    def statuses(self) -> set[str]:
        return set(self.table) | {
            to for moves in self.table.values() for t in moves.values() for to in t
        }

    def actions(self) -> set[str]:
        return {action for moves in self.table.values() for action in moves}

    def targets(self) -> dict[str, frozenset[str]]:
        """status → every status reachable in one step (whatever the action)."""
        return {
            status: frozenset().union(*moves.values()) if moves else frozenset()
            for status, moves in self.table.items()
        }

    def triples(self) -> list[tuple[str, str, str]]:
        """Every allowed (status, action, to)."""
        return [
            (status, action, to)
            for status, moves in self.table.items()
            for action, targets in moves.items()
            for to in sorted(targets)
        ]

    # --- refusing ----------------------------------------------------------------------------

    def action_label(self, action: str) -> str:
        return self.action_labels.get(str(action), str(action))

    def refusal(self, obj: models.Model, action: str, to: str | None) -> str:
        if self.refused is not None:
            return self.refused(obj, action, to or "")
        status = getattr(obj, f"get_{self.field}_display")()
        return f"当前状态（{status}）不能{self.action_label(action)}"

    def check(self, obj: models.Model, action: str, to: str | None = None) -> str:
        """The status ``action`` leads ``obj`` to, or :class:`TransitionRefused`. ``to`` may be
        left out when the action has one target."""
        status = getattr(obj, self.field)
        moves = self.moves(status, action)
        if to is None and len(moves) > 1:
            raise ValueError(f"{type(obj).__name__}: {action} from {status} needs to=")
        target = str(to) if to is not None else next(iter(moves), "")
        if target not in moves:
            raise TransitionRefused(
                self.refusal(obj, action, target), status=status, action=action, to=target
            )
        return target


def _log(**kwargs: Any) -> None:
    # Imported on use: models declare their workflow at import time, before the audit app's
    # models (and the user model it names) can be imported.
    from zhicheng.common.oplog import operation_record

    operation_record(**kwargs)


def workflow_of(obj_or_model: models.Model | type[models.Model]) -> Workflow:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    workflow = getattr(model, "workflow", None)
    if not isinstance(workflow, Workflow):
        raise TypeError(f"{model.__name__} declares no workflow")
    return workflow


def _require_atomic(obj: models.Model) -> None:
    using = obj._state.db or router.db_for_write(type(obj))
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError(
            f"{type(obj).__name__}: a status transition must run inside transaction.atomic()"
        )


def _has_auto_now(model: type[models.Model], name: str) -> bool:
    try:
        return bool(getattr(model._meta.get_field(name), "auto_now", False))
    except Exception:
        return False


@dataclass
class Step:
    """One applied move (status assigned in memory; written by ``write`` unless the caller
    writes it itself). The record row is built when the step is written, so a caller may set
    the step's other fields (the route, the organization it went to) in between."""

    obj: models.Model
    action: str
    from_status: str
    to: str
    actor: Any
    opinion: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    record_args: dict[str, Any] = field(default_factory=dict)
    record: models.Model | None = None
    written: bool = False

    @property
    def fields(self) -> list[str]:
        """The columns the step changed (+ ``updated_at`` where the model keeps one)."""
        names = [workflow_of(self.obj).field, *self.values]
        if "updated_at" not in names and _has_auto_now(type(self.obj), "updated_at"):
            names.append("updated_at")
        return names

    def build_record(self, **record: Any) -> models.Model | None:
        """The model's timeline row of this step (unsaved), or None when it keeps none."""
        hook = workflow_of(self.obj).record
        if hook is None:
            return None
        self.record_args.update(record)
        self.record = getattr(self.obj, hook)(
            action=self.action,
            actor=self.actor,
            from_status=self.from_status,
            opinion=self.opinion,
            **self.record_args,
        )
        return self.record

    def write(
        self,
        *,
        save: bool | Callable[[models.Model], None] = True,
        record: Mapping[str, Any] | None = None,
        summary: Summary = None,
        operation: str | None = None,
        changes: dict[str, Any] | None = None,
    ) -> Step:
        """Save the row (``save`` may be the model's own way of saving it), its record row
        (``record``: more arguments of the hook), and — when ``summary`` is given — the
        operation-log entry."""
        _require_atomic(self.obj)
        if callable(save):
            save(self.obj)
        elif save:
            self.obj.save(update_fields=self.fields)
        if self.build_record(**(record or {})) is not None:
            self.record.save()
        if summary is not None:
            _log(
                actor=self.actor,
                operation=operation or self.action,
                obj=self.obj,
                summary=summary() if callable(summary) else summary,
                changes=changes,
            )
        self.written = True
        return self


def transition(
    obj: models.Model,
    action: str,
    *,
    actor: Any,
    to: str | None = None,
    opinion: str = "",
    values: Mapping[str, Any] | None = None,
    record: Mapping[str, Any] | None = None,
    save: bool | Callable[[models.Model], None] = True,
    summary: Summary = None,
    operation: str | None = None,
    changes: dict[str, Any] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> Step:
    """Move ``obj`` by ``action`` (see the module docstring). ``values``: other fields the step
    sets; ``record``: extra arguments of the model's record hook; ``save=False`` leaves the
    writing to the caller (``Step.write`` or ``transitions_write``); ``summary`` (text, or a
    callable read after the row is saved) writes the operation-log entry (``operation``
    defaults to the action); ``on_commit`` runs once the transaction commits."""
    _require_atomic(obj)
    workflow = workflow_of(obj)
    from_status = str(getattr(obj, workflow.field))
    target = workflow.check(obj, action, to)
    setattr(obj, workflow.field, target)
    values = dict(values or {})
    for name, value in values.items():
        setattr(obj, name, value)
    step = Step(obj, str(action), from_status, target, actor, opinion, values, dict(record or {}))
    if save is not False:
        step.write(save=save, summary=summary, operation=operation, changes=changes)
    if on_commit is not None:
        transaction.on_commit(on_commit, using=obj._state.db)
    return step


def transitions_write(
    steps: Sequence[Step],
    *,
    fields: Sequence[str],
    actor: Any,
    operation: str,
    summary: str,
    batch_size: int = 500,
) -> None:
    """Write many steps of one model at once (a batch approval): the rows with one bulk
    update of ``fields``, their record rows with one bulk insert, one operation-log entry
    (on the first row) for the batch."""
    if not steps:
        return
    _require_atomic(steps[0].obj)
    model = type(steps[0].obj)
    model.objects.bulk_update([s.obj for s in steps], list(fields), batch_size=batch_size)
    records = [record for s in steps if (record := s.build_record()) is not None]
    if records:
        type(records[0]).objects.bulk_create(records, batch_size=batch_size)
    for step in steps:
        step.written = True
    _log(actor=actor, operation=operation, obj=steps[0].obj, summary=summary)
