"""The pack's own tests: its YAML cases (inputs -> expected outputs) run through the same compiled query as a
batch run; a failing case says what was wrong and explains the variables involved."""

from __future__ import annotations

from smeladder.rules.errors import PackError
from smeladder.services.context import AppContext
from smeladder.services.letters import checked_language
from smeladder.services.models import Result


class CaseResult(Result):
    id: str  # file stem:number:name
    passed: bool
    failures: list[str]  # each wrong output, then the explanation of the variables involved


class PackTests(Result):
    pack: str
    rule_version: str
    cases: list[CaseResult]
    passed: int
    failed: int

    @property
    def ok(self) -> bool:
        """Every case passed, and there was at least one."""
        return bool(self.cases) and not self.failed


def run(ctx: AppContext, match: str | None = None, lang: str = "en") -> PackTests:
    """Run the pack's cases whose id contains `match` (all of them by default); explanations in `lang`."""
    from smeladder.rules.yamltests import collect

    lang = checked_language(lang)
    pack = ctx.pack
    results = []
    for case in collect(pack, columns=registry_columns()):
        if match and match not in case.id:
            continue
        try:
            failures = case.run(lang)
        except PackError as exc:
            failures = [str(exc)]
        results.append(CaseResult(id=case.id, passed=not failures, failures=failures))
    failed = sum(1 for r in results if not r.passed)
    return PackTests(
        pack=pack.name,
        rule_version=pack.version,
        cases=results,
        passed=len(results) - failed,
        failed=failed,
    )


def registry_columns() -> dict[str, dict[str, str]]:
    """The registry's column types per table: a case's rows of a table its pack.yaml does not declare are
    typed by them (the engine itself knows no registry)."""
    from smeladder.registry import schema

    return {
        name: {column.name: column.dtype for column in table.columns} for name, table in schema.TABLES.items()
    }
