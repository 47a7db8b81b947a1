"""services/ladder.py and services/guide.py: the funnel, the firms to invite and the guide, on the services'
registry; files in the format their name says, with district names."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from smeladder.errors import InvalidInput
from smeladder.services import guide, ladder

from .conftest import context

AS_OF = dt.date(2026, 5, 1)
RUNGS = ("first_rung", "ss_sme", "little_giant", "single_champion")


@pytest.fixture(scope="module")
def ctx(home):
    ctx = context(home, pack="shanghai")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def funnel(ctx):
    return ladder.funnel(ctx, AS_OF, "en")


def test_the_invitations_of_a_rung_are_the_funnels_firms_meeting_it_without_the_title(ctx, funnel):
    without_title = [r.meeting_without_title for r in funnel.rungs[: len(RUNGS)]]
    invited = [len(ladder.invite(ctx, AS_OF, "en", rung=rung).invitations) for rung in RUNGS]
    assert invited == without_title and any(invited)


def test_the_funnels_total_is_the_sum_of_its_measures(funnel):
    *measures, total = funnel.measures
    assert total.measure == "total" and total.cost == sum(m.cost for m in measures)


def test_an_xlsx_listing_is_excel_with_district_names_and_the_letters_beside_it(ctx, tmp_path):
    import fastexcel

    out = tmp_path / "near.xlsx"
    result = ladder.invite(
        ctx, AS_OF, "zh", rung="ss_sme", missing=1, out=out, actions={"full_calculation": "ask {key}"}
    )
    assert result.out == out and result.format == "xlsx" and result.invitations
    assert out.read_bytes()[:2] == b"PK"  # a zip: Excel's format, never Parquet under a wrong name
    sheet = fastexcel.read_excel(str(out)).load_sheet(0).to_arrow().to_pylist()
    assert [row["credit_code"] for row in sheet] == [i.credit_code for i in result.invitations]
    assert all(row["district"].endswith("区") for row in sheet)  # the name, in the listing's language
    near = [row for row in sheet if row["missing"] == 1]
    assert near and all(row["lacking"] for row in near)
    letters = sorted(path.stem for path in (tmp_path / "letters").glob("*.txt"))
    assert letters == sorted({i.credit_code for i in result.invitations}) == sorted(
        set(letters)
    ) and result.letters_written == len(letters)
    first = result.invitations[0].credit_code
    assert f"ask {first}" in (tmp_path / "letters" / f"{first}.txt").read_text(encoding="utf-8")


def test_a_directory_gets_invitations_csv_that_excel_reads_in_chinese(ctx, tmp_path):
    result = ladder.invite(ctx, AS_OF, "zh", rung="first_rung", out=tmp_path / "invite", letters=False)
    listing = tmp_path / "invite" / "invitations.csv"
    assert result.out == listing and result.letters is None
    assert listing.read_bytes()[:3] == b"\xef\xbb\xbf"  # the byte-order mark Excel needs for Chinese
    with listing.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["credit_code"] for row in rows] == [i.credit_code for i in result.invitations]
    assert {"district_adcode", "district", "rung_name", "lacking"} <= set(rows[0])
    assert not (tmp_path / "invite" / "letters").exists()
    as_excel = ladder.invite(
        ctx, AS_OF, "zh", rung="first_rung", out=tmp_path / "invite", fmt="xlsx", letters=False
    )
    assert as_excel.out == tmp_path / "invite" / "invitations.xlsx" and as_excel.out.read_bytes()[:2] == b"PK"


def test_a_district_is_named_or_given_by_its_code(ctx):
    by_name = ladder.invite(ctx, AS_OF, "en", district="Minhang", missing=1)
    by_code = ladder.invite(ctx, AS_OF, "en", district="310112", missing=1)
    assert by_name.invitations == by_code.invitations and by_name.district_adcode == "310112"
    assert {i.district for i in by_name.invitations} <= {"Minhang"}
    with pytest.raises(InvalidInput, match="none of Shanghai's districts"):
        ladder.invite(ctx, AS_OF, "en", district="Atlantis")


@pytest.mark.parametrize(
    ("name", "fmt", "error"),
    [
        ("list.xlsx", "csv", "the suffix says xlsx"),
        ("list.parquet", None, "choose one of csv, xlsx, json"),
        (None, "xlsx", "is a file"),
    ],
)
def test_a_file_format_the_name_contradicts_or_cannot_hold_is_refused(ctx, tmp_path, name, fmt, error):
    out = tmp_path / name if name else None
    with pytest.raises(InvalidInput, match=error):
        ladder.invite(ctx, AS_OF, "en", rung="single_champion", out=out, fmt=fmt)
    with pytest.raises(InvalidInput, match=error):
        ladder.funnel(ctx, AS_OF, "en", out=out, fmt=fmt)
    assert not (tmp_path / "list.xlsx").exists() and not (tmp_path / "list.parquet").exists()


def test_an_unknown_rung_is_invalid_input(ctx):
    with pytest.raises(InvalidInput, match="unknown rung 'gold'"):
        ladder.invite(ctx, AS_OF, "en", rung="gold")


def test_the_funnel_in_a_json_file_has_the_rungs_then_the_measures(ctx, funnel, tmp_path):
    out = tmp_path / "funnel.json"
    ladder.funnel(ctx, AS_OF, "en", out=out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    parts = [row["part"] for row in rows]
    assert parts == ["ladder"] * len(funnel.rungs) + ["measures"] * len(funnel.measures)
    assert rows[-1]["measure"] == "total" and rows[-1]["cost"] == str(funnel.measures[-1].cost)


def test_the_guide_covers_every_measure_and_writes_its_files(ctx, tmp_path):
    result = guide.guide(ctx, AS_OF, "en", out=tmp_path)
    assert [p.name for p in result.written] == ["guide.zh.md", "guide.en.md", "guide.json"]
    for measure in result.measures:
        assert f"## {measure.id} — {measure.title}" in result.markdown
    data = json.loads((tmp_path / "guide.json").read_text(encoding="utf-8"))
    assert [m["id"] for m in data["measures"]["en"]] == [m.id for m in result.measures]
