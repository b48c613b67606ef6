"""Working out a checklist's result from the ticks given."""

from __future__ import annotations

from dataclasses import dataclass

from dpup.engine.model import STANDARD_ANSWERS as ANSWERS
from dpup.engine.model import Checklist, ChecklistItem


@dataclass(frozen=True)
class ChecklistOutcome:
    checklist: Checklist
    to_do: tuple[ChecklistItem, ...]
    not_applicable: tuple[tuple[ChecklistItem, str], ...]
    missing: tuple[ChecklistItem, ...]

    @property
    def all_clear(self) -> bool:
        return not self.to_do and not self.missing

    @property
    def message(self) -> str:
        return self.checklist.result.all_clear if self.all_clear else self.checklist.result.not_clear


class ChecklistError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def evaluate_checklist(checklist: Checklist, ticks: dict[str, str], reasons: dict[str, str]) -> ChecklistOutcome:
    """``ticks`` maps item id to yes/no/na. Raises ChecklistError naming each bad item."""
    errors = {}
    for item in checklist.items:
        tick = ticks.get(item.id)
        if tick is not None and tick not in ANSWERS or tick == "na" and not item.allow_na:
            errors[item.id] = "Choose one of the answers shown."
        elif tick == "na" and not reasons.get(item.id, "").strip():
            errors[item.id] = "Say briefly why this does not apply."
    if errors:
        raise ChecklistError(errors)
    return ChecklistOutcome(
        checklist=checklist,
        to_do=tuple(i for i in checklist.items if ticks.get(i.id) == "no" and i.required),
        not_applicable=tuple((i, reasons[i.id].strip()) for i in checklist.items if ticks.get(i.id) == "na"),
        missing=tuple(i for i in checklist.items if i.required and ticks.get(i.id) is None),
    )
