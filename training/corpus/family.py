"""A family: the lines one piece of software writes, with their labels, and the group held out with it."""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = {
    "H": "HTTP Status",
    "C": "Critical Error",
    "E": "Error",
    "S": "Security Alert",
    "N": "System Notification",
    "R": "Resource Usage",
    "U": "User Action",
    "W": "Workflow Error",
    "D": "Deprecation Warning",
}
# Within a family, a routine template is written this many times more often than a failure: most real
# lines are routine (requests served, sessions opened, blocks received, jobs run).
ROUTINE_WEIGHT = {"N": 4.0, "H": 4.0, "U": 1.5}


@dataclass(frozen=True)
class Family:
    """`templates` maps a label code (see LABELS) to templates; `share` is the family's relative volume.

    `source` is what the `source` column says (the family name unless given; "*" = one of the business
    sources at random). `words` are the family's own slot vocabularies, on top of training.corpus.slots.
    """

    name: str
    group: str
    share: float
    templates: dict[str, list[str]]
    words: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None

    def weighted(self) -> list[tuple[str, str, float]]:
        """(label, template, weight) for every template."""
        return [(LABELS[code], t, ROUTINE_WEIGHT.get(code, 1.0)) for code, ts in self.templates.items() for t in ts]
