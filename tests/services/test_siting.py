"""services/siting.py: a proposal's sites add what it promises, LSCP covers everyone, candidate files are
checked, and the demo's part makes its stations only when the data directory has none."""

from __future__ import annotations

import shutil

import pytest

from smeladder.errors import InvalidInput
from smeladder.registry.store import STORE_FILE
from smeladder.services import coverage, siting

from .network_data import AS_OF, build, context


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return build(tmp_path_factory.mktemp("siting"), n_stations=40)


def test_the_sites_add_what_the_proposal_promises(home):
    steps = []
    proposal = siting.propose(
        context(home), new=4, as_of=AS_OF, time_limit_s=20, progress=lambda what, done: steps.append(what)
    )
    assert steps == ["computing coverage", "solving the siting MILP (HiGHS)"]
    assert proposal.problem == "mclp" and 0 < len(proposal.sites) <= 4
    assert [s.rank for s in proposal.sites] == list(range(1, len(proposal.sites) + 1))
    added = [s.newly_covered for s in proposal.sites]
    assert added == sorted(added, reverse=True)
    assert proposal.covered_after - proposal.covered_before == sum(added)
    before = coverage.coverage(context(home), "district", AS_OF).overall
    assert (proposal.covered_before, proposal.enterprises) == (before.covered, before.enterprises)
    assert proposal.share_after == pytest.approx(proposal.covered_after / proposal.enterprises)
    assert proposal.gap is None or proposal.gap >= 0
    assert all(s.district for s in proposal.sites if s.district_adcode)
    assert type(proposal).model_validate_json(proposal.model_dump_json()) == proposal


def test_cover_all_covers_every_sme(home):
    proposal = siting.propose(context(home), cover_all=True, as_of=AS_OF, time_limit_s=20)
    assert proposal.problem == "lscp"
    # The default candidates are the cells of the uncovered SMEs, so every one of them can be reached.
    assert proposal.unreachable_weight == 0
    assert proposal.covered_after == proposal.enterprises
    layer = siting.sites_geojson(proposal)
    assert [f["properties"]["role"] for f in layer["features"]] == ["site", "circle"] * len(proposal.sites)


def test_candidate_sites_from_a_file(home, tmp_path):
    gaps = coverage.coverage(context(home), "district", AS_OF, gaps=True).uncovered
    path = tmp_path / "sites.csv"
    path.write_text(
        "site_id,latitude,longitude\n"
        f"A,{gaps[0].latitude},{gaps[0].longitude}\n"
        f"B,{gaps[-1].latitude},{gaps[-1].longitude}\n",
        encoding="utf-8",
    )
    proposal = siting.propose(context(home), new=5, candidates=path, as_of=AS_OF, time_limit_s=20)
    assert {s.site_id for s in proposal.sites} <= {"A", "B"}
    assert {s.district_adcode for s in proposal.sites} <= {gaps[0].district_adcode, gaps[-1].district_adcode}
    missing = tmp_path / "no-longitude.csv"
    missing.write_text("site_id,latitude\nA,31.2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"no-longitude.csv: missing column\(s\) longitude"):
        siting.propose(context(home), candidates=missing, as_of=AS_OF)
    words = tmp_path / "words.csv"
    words.write_text("site_id,latitude,longitude\nA,north,121.4\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"words\.csv: latitude and longitude must be numbers"):
        siting.propose(context(home), candidates=words, as_of=AS_OF)
    with pytest.raises(InvalidInput, match="cannot read candidate sites"):
        siting.propose(context(home), candidates=tmp_path / "absent.csv", as_of=AS_OF)


def test_an_unknown_weighting_is_refused_before_any_work(home):
    with pytest.raises(InvalidInput, match="unknown weighting 'height'"):
        siting.propose(context(home), weighting="height", as_of=AS_OF)


def test_the_demo_makes_stations_only_when_there_are_none(home, tmp_path):
    shutil.copy(home / STORE_FILE, tmp_path / STORE_FILE)
    first = siting.demo_plan(context(tmp_path), AS_OF, new_stations=3)
    assert first.synthesized is not None
    assert (first.synthesized.stations, first.synthesized.partners) == (500, 1_000)  # M6.2b's targets
    assert first.synthesized.near_registry
    assert first.coverage.by == "district" and len(first.proposal.sites) <= 3
    second = siting.demo_plan(context(tmp_path), AS_OF, new_stations=3)
    assert second.synthesized is None
    assert second.coverage == first.coverage
