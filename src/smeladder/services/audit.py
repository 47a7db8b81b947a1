"""The tamper-evident audit log: verify its hash chain."""

from __future__ import annotations

from smeladder.delivery import audit
from smeladder.services.context import AppContext
from smeladder.services.models import Result


class AuditCheck(Result):
    intact: bool
    records: int
    first_broken_id: int | None = None
    problem: str | None = None


def verify(ctx: AppContext) -> AuditCheck:
    """Walk the chain from the first record; name the first record that does not hold."""
    with ctx.sessions() as session:
        check = audit.verify(session)
    return AuditCheck(
        intact=check.ok, records=check.records, first_broken_id=check.first_broken_id, problem=check.problem
    )
