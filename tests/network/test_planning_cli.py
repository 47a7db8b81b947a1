"""Coverage report, station proposals, GeoJSON and the CLI over a small synthetic registry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import polars as pl
import pytest
from typer.testing import CliRunner

from smeladder.cli import app
from smeladder.cli.siting import show_network_demo
from smeladder.network import enterprises, geojson, partners, planning, stations
from smeladder.network.store import NetworkStore
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize
from smeladder.rules.locate import find_pack

AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("network-data")
    RegistryStore(root).load_tables(synthesize(3000, range(2024, 2026), 11))
    found = enterprises.load_enterprises(root, AS_OF, find_pack().ladder)
    store = NetworkStore(root)
    store.replace("station", stations.synthesize_stations(found["latitude"], found["longitude"], 120, seed=3))
    store.replace("partner", partners.synthesize_partners(100, seed=3))
    return root


def test_tier_is_the_highest_valid_ladder_title():
    firms = pl.DataFrame({"credit_code": ["a", "b", "c", "d"]})
    titles = pl.DataFrame(
        {
            "credit_code": ["a", "a", "b", "c", "d"],
            "title": ["innovative_sme", "little_giant", "ss_sme", "tech_innovative_sme", "ss_sme"],
            "valid_from": [
                dt.date(2022, 1, 1),
                dt.date(2024, 1, 1),
                dt.date(2023, 1, 1),
                dt.date(2026, 1, 1),
                dt.date(2020, 1, 1),
            ],
            "valid_to": [None, dt.date(2026, 12, 31), dt.date(2025, 12, 31), None, dt.date(2022, 12, 31)],
        }
    )
    tiers = (
        enterprises.with_tiers(firms, titles, AS_OF, find_pack().ladder).sort("credit_code")["tier"].to_list()
    )
    assert tiers == ["little_giant", "none", "first_rung", "none"]


def test_report_and_proposal_add_up(data_dir):
    report, proposal = planning.plan(data_dir, AS_OF, find_pack().ladder, 5, time_limit_s=20)
    assert report.overall["enterprises"] == report.per_enterprise.height
    assert report.by("district")["enterprises"].sum() == report.overall["enterprises"]
    assert report.by("track")["covered"].sum() == report.overall["covered"]
    assert proposal.sites.height <= 5
    assert proposal.sites["rank"].to_list() == list(range(1, proposal.sites.height + 1))
    # Ranked by what each adds, and what they add is what the coverage gains.
    added = proposal.sites["newly_covered"].to_list()
    assert added == sorted(added, reverse=True)
    assert proposal.covered_after - proposal.covered_before == sum(added)
    assert proposal.result.objective >= proposal.result.greedy_objective
    # Recomputing coverage with the proposed sites opened gives the promised figure.
    opened = proposal.sites.select(
        pl.col("site_id").alias("station_id"),
        "latitude",
        "longitude",
        pl.lit(AS_OF).alias("opened_on"),
        pl.lit(None, dtype=pl.Date).alias("closed_on"),
    )
    everything = pl.concat(
        [NetworkStore(data_dir).stations().select(opened.columns), opened], how="vertical_relaxed"
    )
    after = planning.coverage_report(
        report.per_enterprise.drop("nearest_station_id", "distance_m", "covered"), everything, AS_OF
    )
    assert after.overall["covered"] == proposal.covered_after


def test_lscp_covers_everyone_coverable(data_dir):
    report, _ = planning.plan(data_dir, AS_OF, find_pack().ladder, 1, time_limit_s=20)
    cover = planning.stations_to_cover_everyone(report, time_limit_s=20)
    assert cover.covered_after == report.overall["enterprises"]
    assert cover.result.objective <= cover.result.greedy_objective


def test_weighting_by_tier_uses_the_parameter_file(data_dir):
    report, _ = planning.plan(data_dir, AS_OF, find_pack().ladder, 1, time_limit_s=20)
    weights = planning.demand_weights(report.per_enterprise, "tier")
    tiers = report.per_enterprise["tier"].to_list()
    weight_of = dict(zip(tiers, weights, strict=True))
    assert weight_of.get("none") == 1.0
    ladder = find_pack().ladder
    assert all(weight_of[t] == ladder.rung(t).siting_weight for t in weight_of if t != "none")
    with pytest.raises(ValueError, match="unknown weighting"):
        planning.demand_weights(report.per_enterprise, "height")


def test_geojson_layers(data_dir):
    report, proposal = planning.plan(data_dir, AS_OF, find_pack().ladder, 3, time_limit_s=20)
    districts = geojson.district_coverage(report.by("district"))
    assert len(districts["features"]) == 16
    assert all("share" in f["properties"] for f in districts["features"])
    cells = geojson.uncovered_cells(report.uncovered_cells())
    assert sum(f["properties"]["uncovered"] for f in cells["features"]) == report.overall["uncovered"]
    ring = cells["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    sites = geojson.proposed_sites(proposal.sites)
    assert [f["properties"]["role"] for f in sites["features"]][:2] == ["site", "circle"]
    circle = geojson.circle(31.2, 121.4)["coordinates"][0]
    assert len(circle) == geojson.CIRCLE_VERTICES + 1


runner = CliRunner()


def test_cli_coverage_site_and_stations(data_dir, tmp_path):
    common = ["--data-dir", str(data_dir), "--as-of", "2026-01-01"]
    result = runner.invoke(app, ["coverage", "--by", "tier", "--format", "json", *common])
    assert result.exit_code == 0, result.output
    assert '"tier"' in result.stdout
    result = runner.invoke(app, ["site", "--new", "3", "--format", "csv", "--time-limit", "20", *common])
    assert result.exit_code == 0, result.output
    sites = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(site["rank"]) for site in sites] == list(range(1, len(sites) + 1))
    assert {"site_id", "latitude", "longitude", "district", "newly_covered"} <= set(sites[0])
    out = tmp_path / "stations.geojson"
    result = runner.invoke(app, ["stations", "list", "--format", "geojson", "-o", str(out), *common])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
    code = enterprises.load_enterprises(data_dir, AS_OF, find_pack().ladder)["credit_code"][0]
    result = runner.invoke(app, ["stations", "nearest", code, *common])
    assert result.exit_code == 0, result.output
    assert "ST" in result.stdout


def test_cli_import_rejects_with_reasons(data_dir, tmp_path):
    bad = tmp_path / "station.csv"
    bad.write_text("station_id,name_zh\nX,站\n", encoding="utf-8")
    result = runner.invoke(app, ["stations", "import", str(bad), "--data-dir", str(data_dir)])
    assert result.exit_code == 2  # invalid input (it was 1 before the service layer's exit codes)
    assert "missing_column" in result.stderr
    assert "nothing was imported" in result.stderr


def test_every_network_help_has_an_example():
    for command in (
        ["stations", "synth"],
        ["stations", "import"],
        ["stations", "list"],
        ["stations", "partners"],
        ["stations", "nearest"],
        ["coverage"],
        ["site"],
    ):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.stdout, command


def test_demo_section(data_dir):
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    plan = show_network_demo(data_dir, AS_OF, new_stations=3, out=Console(file=buffer, width=120))
    text = buffer.getvalue()
    assert "by district" in text and "next 3 stations" in text
    assert len(plan.proposal.sites) <= 3
    assert plan.synthesized is None  # the data directory had its stations
    # District names, not codes, and every district of the registry in the table.
    assert "Xuhui" in text and "310104" not in text
    assert len(plan.coverage.rows) == len({row.district_adcode for row in plan.coverage.rows})


def test_cli_concerns_round_trip(tmp_path):
    from smeladder.registry import credit_code

    home = ["--data-dir", str(tmp_path)]
    code = credit_code.make("310104", 9)
    raised = runner.invoke(
        app,
        [
            "concerns", "raise", "--credit-code", code, "--district", "310104", "--category", "tax",
            "--title", "VAT refund", "--text", "Pending since January.", "--now", "2026-03-02T09:00+08:00", *home,
        ],
    )  # fmt: skip
    assert raised.exit_code == 0, raised.output
    assert "concern 1 → taxation" in raised.stdout
    escalated = runner.invoke(app, ["concerns", "escalate", "--now", "2026-03-03T09:00:01+08:00", *home])
    assert "level 1" in escalated.stdout
    listed = runner.invoke(
        app, ["concerns", "list", "--overdue", "--format", "json", *home, "--now", "2026-03-03T10:00+08:00"]
    )
    assert json.loads(listed.stdout)[0]["missed"] == "acknowledge"
    resolved = runner.invoke(
        app, ["concerns", "resolve", "1", "--text", "Refunded.", *home, "--now", "2026-03-04T09:00+08:00"]
    )
    assert resolved.exit_code == 0, resolved.output
    day = runner.invoke(
        app, ["concerns", "day", "--date", "2026-03-04", *home, "--now", "2026-03-04T18:00+08:00"]
    )
    assert "resolved this week: 1" in day.stdout
    bad = runner.invoke(app, ["concerns", "raise", "--credit-code", "x", "--district", "310104", "--category", "tax",
                              "--title", "t", "--text", "t", *home])  # fmt: skip
    assert bad.exit_code == 1


def test_cli_concerns_use_the_database_and_the_actor_the_delivery_commands_use(tmp_path, monkeypatch):
    # An operator sets SMELADDER_DB_URL once (PostgreSQL in production): Service Day must write there, like the
    # delivery commands, not into the data directory's SQLite file.
    from smeladder.network import concerns as service
    from smeladder.registry import credit_code
    from smeladder.store import open_store
    from smeladder.store.engine import DEFAULT_FILE

    database = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("SMELADDER_DB_URL", f"sqlite:///{database}")
    home = ["--data-dir", str(tmp_path / "home")]
    raised = runner.invoke(
        app,
        [
            "concerns", "raise", "--credit-code", credit_code.make("310104", 9), "--district", "310104",
            "--category", "tax", "--title", "VAT refund", "--text", "Pending.", *home,
        ],
    )  # fmt: skip
    assert raised.exit_code == 0, raised.output
    assert database.exists()
    assert not (tmp_path / "home" / DEFAULT_FILE).exists()
    # Without --actor the history records who is logged in, as the delivery commands do.
    monkeypatch.setattr("getpass.getuser", lambda: "officer-zhao")
    assert runner.invoke(app, ["concerns", "ack", "1", *home]).exit_code == 0
    with open_store(f"sqlite:///{database}")() as session:
        assert [event.actor for event in service.history(session, 1)][-1] == "officer-zhao"
