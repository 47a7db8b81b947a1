"""A letter as a document: title, addressee and date line, sections of items (sentences with the numbered notes
they cite, and the items under them), the notes, and the next actions as codes. Built in one language from
the message catalogue; rendered to text, Markdown or HTML by one template set (letter_render.py); an
interface's JSON is the document itself.

An item's `kind`: "line" (a sentence), "choice" (its items are alternative ways: the first the way in, the
others read "or, instead"), "way" (one alternative: `lead` is its opening words, `text` its first sentence and
its items the rest), "more" (a further sentence of the way above it, without a bullet of its own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from smeladder.rules.explain_nodes import Leaf


@dataclass(frozen=True)
class Item:
    text: str
    kind: Literal["line", "choice", "way", "more"] = "line"
    lead: str = ""
    cites: tuple[int, ...] = ()
    items: tuple[Item, ...] = ()
    condition: Leaf | None = None  # the condition the sentence says, for an interface that shows more


@dataclass(frozen=True)
class Section:
    """A part of the letter: an opening sentence, its items, a closing sentence. `id` names the part for an
    interface (receives, met, lacking, could_apply, next_rung, designations, unconfirmed, excluded...)."""

    id: str
    text: str = ""
    items: tuple[Item, ...] = ()
    numbered: bool = False
    closing: str = ""
    cites: tuple[int, ...] = ()


@dataclass(frozen=True)
class Note:
    number: int
    text: str


@dataclass(frozen=True)
class NextAction:
    """What the reader can do next, as a code each interface words its own way (the command line as a command
    to type, a web page as a link): `full_calculation` is the whole calculation of `key` on `as_of`."""

    code: str
    text: str  # the sentence that introduces it, in the letter's language
    key: str
    as_of: dt.date


@dataclass(frozen=True)
class Letter:
    lang: str
    title: str
    key: str
    addressee: str  # "To: …" in words
    dateline: str  # "As of …, under … (rule version …)."
    as_of: dt.date
    rule_version: str
    name: str = ""
    sections: tuple[Section, ...] = ()
    notes_heading: str = ""
    notes: tuple[Note, ...] = ()
    next_actions: tuple[NextAction, ...] = ()


@dataclass
class Notes:
    """References told once each, numbered in the order the letter first cites them."""

    references: list[str] = field(default_factory=list)

    def cite(self, references: Iterable[str]) -> tuple[int, ...]:
        """The note numbers of `references` (empty ones skipped), each reference numbered on first sight."""
        numbers: list[int] = []
        for reference in references:
            if not reference:
                continue
            if reference not in self.references:
                self.references.append(reference)
            number = self.references.index(reference) + 1
            if number not in numbers:
                numbers.append(number)
        return tuple(sorted(numbers))

    def notes(self) -> tuple[Note, ...]:
        return tuple(Note(number, text) for number, text in enumerate(self.references, start=1))
