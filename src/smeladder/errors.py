"""The one error hierarchy every layer raises and every interface maps (the CLI to an exit code, the HTTP API
to a status): an error a user can act on says what is wrong in its message and belongs to one of five kinds.

Lower layers keep their own error classes for their own callers (`PackError`, `DeliveryError`,
`ImportRejected`, ...); each of them is also one of these kinds, so an interface needs to know only this module.
"""

from __future__ import annotations


class SmeladderError(Exception):
    """Something a user asked for that cannot be done as asked; the message says why and what to do.

    `details`: one plain dict per problem when there are several (the rows of a rejected import, the bad
    fields of a request), each naming where (row, field), the value and the rule. `next_action`: a code for
    what the user can do about it ("import_registry", "set_budget"), which each interface words its own way
    (the CLI as a command to type, the web as a link); never a command line in the message itself."""

    kind = "error"

    def __init__(
        self,
        message: str = "",
        *,
        details: list[dict[str, object]] | None = None,
        next_action: str | None = None,
    ) -> None:
        super().__init__(message)
        self.details = details or []
        self.next_action = next_action


class NotFound(SmeladderError):
    """The thing named (an enterprise, a round, a station...) does not exist, or the caller may not see it."""

    kind = "not_found"


class Refused(SmeladderError):
    """A rule forbids the action now: a round's state or window, a budget, four-eyes, a deadline."""

    kind = "refused"


class InvalidInput(SmeladderError):
    """The input itself is wrong: a bad date, an unknown variable, a file that does not validate."""

    kind = "invalid_input"


class Conflict(SmeladderError):
    """The action collides with the stored state: a duplicate, a concurrent change, a lock held elsewhere."""

    kind = "conflict"


class Forbidden(SmeladderError):
    """The caller is known but their role does not allow the action."""

    kind = "forbidden"


KINDS = (NotFound, Refused, InvalidInput, Conflict, Forbidden)
