"""A second city's pack runs everything the Shanghai pack does, with no code of its own outside its directory
(tests/packs/othercity/: two rungs, an automatic money measure G1, an apply-mode measure A1, a guide, YAML tests):
import, funnel, explain (the letter), invite, guide, a round and coverage by tier, through the service layer and
the CLI's `--pack PATH`. The figures asserted come from its Order (pack.yaml's comments and tests/*.yaml)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.network import enterprises, partners, stations
from smeladder.network.store import NetworkStore
from smeladder.registry import files
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize
from smeladder.rules.locate import find_pack
from smeladder.services import coverage, guide, ladder, letters, packtests, registry
from smeladder.services.context import AppContext, Settings

PACK = Path(__file__).parent / "othercity"
AS_OF = dt.date(2025, 8, 1)
runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """The synthetic registry's firms and figures with Othercity's own titles and applications, imported through
    the service layer with Othercity as the pack (its title codes and application types are the allowed ones)."""
    root = tmp_path_factory.mktemp("othercity")
    tables = synthesize(400, range(2023, 2025), seed=4)
    RegistryStore(root).load_tables(
        {name: tables[name] for name in ("enterprise", "enterprise_year", "exclusion")}
    )
    year = {r["credit_code"]: r for r in tables["enterprise_year"].to_pylist() if r["fiscal_year"] == 2024}
    starters = sorted(
        c for c, r in year.items() if r["operating_revenue"] >= 5_000_000 and r["employees"] <= 300
    )
    assert len(starters) > 20
    titled, applicants = starters[::2], starters[:10]
    title_rows = [
        {"credit_code": c, "title": "oc_starter", "level": "municipal", "valid_from": "2025-01-01"}
        for c in titled
    ]
    application_rows = [
        {
            "application_id": f"A1-{n}",
            "credit_code": c,
            "measure": "A1",
            "fiscal_year": 2024,
            "submitted_on": "2025-03-01",
            "contract_value": "300000.00",
        }
        for n, c in enumerate(applicants)
    ]
    folder = root / "in"
    folder.mkdir()
    paths = [
        files.write_table(pa.Table.from_pylist(title_rows), folder / "title.csv", "csv"),
        files.write_table(pa.Table.from_pylist(application_rows), folder / "application.csv", "csv"),
    ]
    registry.import_files(_context(root), paths)
    found = enterprises.load_enterprises(root, AS_OF, find_pack(PACK).ladder)
    network = NetworkStore(root)
    network.replace(
        "station", stations.synthesize_stations(found["latitude"], found["longitude"], 40, seed=3)
    )
    network.replace("partner", partners.synthesize_partners(20, seed=3))
    return root


def _context(root: Path) -> AppContext:
    return AppContext(Settings(data_dir=root, pack=str(PACK)))


def _cli(*args: str) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_its_yaml_tests_pass(tmp_path):
    tests = packtests.run(_context(tmp_path))
    assert tests.pack == "othercity" and len(tests.cases) == 10 and tests.ok, tests.cases


def test_the_import_takes_its_codes_and_refuses_shanghais(home, tmp_path):
    refused = tmp_path / "title.csv"
    code = next(iter(_titles(home)))
    refused.write_text(f"credit_code,title,level,valid_from\n{code},ss_sme,municipal,2025-01-01\n", "utf-8")
    with pytest.raises(Exception, match="1 error"):
        registry.import_files(_context(home), [refused])


def _titles(home: Path) -> dict[str, str]:
    con = RegistryStore(home).connect(read_only=True)
    try:
        return dict(con.execute("SELECT credit_code, title FROM title").fetchall())
    finally:
        con.close()


def test_funnel_counts_its_two_rungs_and_its_measures(home):
    shown = ladder.funnel(_context(home), AS_OF, "en")
    rungs = {row.criterion: row for row in shown.rungs}
    assert shown.pack == "othercity" and list(rungs) == ["starter_eligible", "leader_eligible", "excluded"]
    starter = rungs["starter_eligible"]
    assert starter.name == "starter enterprise" and starter.holders == len(_titles(home))
    assert starter.meeting_without_title <= starter.meeting_criteria
    costs = {row.measure: row for row in shown.measures}
    # Art. 5: 100,000 to every starter not excluded; Art. 6: half of a 300,000 contract.
    assert costs["G1"].cost == Decimal(100_000) * costs["G1"].beneficiaries > 0
    assert costs["A1"].cost == Decimal(150_000) * costs["A1"].beneficiaries > 0
    assert costs["A1"].figures_confirmed is False  # its cap is unconfirmed


def test_a_starter_gets_a_letter_in_its_citys_words(home):
    code = next(c for c, t in _titles(home).items() if t == "oc_starter")
    english = letters.render(letters.readiness(_context(home), code, AS_OF, "en").letter)
    assert "Othercity's 2025 enterprise order" in english
    assert "starter enterprise" in english and "G1 Growth grant for starter enterprises" in english
    assert "To reach the next rung, leading enterprise" in english or "You already meet" in english
    chinese = letters.render(letters.readiness(_context(home), code, AS_OF, "zh").letter)
    assert "他城2025年企业令" in chinese and "起步企业成长补助" in chinese


def test_invite_lists_the_firms_meeting_a_rung_without_its_title(home, tmp_path):
    _cli("invite", "--as-of", AS_OF, "--rung", "starter", "--lang", "en", "--no-letters", "--out", tmp_path,
         "--pack", PACK, "--data-dir", home)  # fmt: skip
    with (tmp_path / "invitations.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["rung"] == "starter" and r["rung_name"] == "starter enterprise" for r in rows)
    assert not {r["credit_code"] for r in rows} & set(_titles(home))
    funnel = {row.criterion: row for row in ladder.funnel(_context(home), AS_OF, "en").rungs}
    assert len(rows) == funnel["starter_eligible"].meeting_without_title


def test_the_guide_is_its_own(tmp_path):
    found = guide.guide(_context(tmp_path), AS_OF, "en", out=tmp_path)
    assert [m.id for m in found.measures] == ["G1", "A1"]
    english = (tmp_path / "guide.en.md").read_text(encoding="utf-8")
    assert english.startswith("# Othercity's support in plain words")
    assert "Starter enterprise → leading enterprise." in english
    assert "## G1 — Growth grant for starter enterprises" in english and "100,000.00 yuan a year" in english
    assert "50% of the contract value, at most 200,000.00 yuan* a year" in english
    assert "## A1 — 咨询服务补贴" in (tmp_path / "guide.zh.md").read_text(encoding="utf-8")


def test_a_round_pays_its_automatic_measure(home, tmp_path):
    db = f"sqlite:///{tmp_path / 'rounds.db'}"
    _cli("budget", "set", "othercity-fund", "G1", "2025", "100000000", "--db", db, "--data-dir", home)
    # No --results: the round evaluates the pack named by --pack itself.
    shown = _cli("round", "run", "G1", "2025", "--fund", "othercity-fund", "--as-of", AS_OF,
                 "--out", tmp_path / "pay", "--pack", PACK, "--db", db, "--data-dir", home, "--json")  # fmt: skip
    run = json.loads(shown)
    assert run["state"] == "closed"
    starters = {c for c, t in _titles(home).items() if t == "oc_starter"}
    # Art. 5: each starter not excluded, 100,000 yuan, nobody else. The synthetic registry holds no bank
    # accounts, so every grant is held back until the enterprise confirms one.
    held = run["detail"]["held_back"]
    assert held["enterprises"] == len(held["lines"]) > 0
    assert {line["credit_code"] for line in held["lines"]} <= starters
    assert all(Decimal(line["granted"]) == 100_000 for line in held["lines"])
    assert Decimal(held["total"]) == 100_000 * held["enterprises"]


def test_coverage_by_tier_names_its_rungs(home):
    found = coverage.coverage(_context(home), by="tier", as_of=AS_OF)
    tiers = {row.tier for row in found.rows}
    assert "starter" in tiers and tiers <= {"starter", "leader", "none"}
    assert sum(row.enterprises for row in found.rows) == found.overall.enterprises
