"""The registry's services: a rejected import is one InvalidInput carrying its error rows and changes
nothing; the summary counts what an oracle over the rows counts, with district names."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from smeladder.errors import InvalidInput, NotFound
from smeladder.registry import districts
from smeladder.services import registry

from .conftest import context


def counts(ctx) -> dict[str, int]:
    return ctx.registry.counts()


def test_a_rejected_import_carries_its_error_rows_and_changes_nothing(home, tmp_path):
    ctx = context(home)
    before = counts(ctx)
    dirty = registry.synthesize(ctx, tmp_path, enterprises=200, years=[2025], seed=5, dirty_rate=0.1)
    with pytest.raises(InvalidInput) as raised:
        registry.import_files(ctx, dirty.files)
    error = raised.value
    assert error.next_action == "fix_import"
    assert error.details and all(
        {"file", "row", "field", "value", "rule"} <= set(detail) for detail in error.details
    )
    assert all(isinstance(detail["row"], int) for detail in error.details)
    report = next(part for part in str(error).split() if part.endswith("-errors.csv"))
    assert (home / "reports").exists() and report.endswith(
        tuple(p.name for p in (home / "reports").iterdir())
    )
    assert counts(ctx) == before  # all or nothing


def test_quarantine_imports_the_good_rows_and_counts_the_bad(tmp_path):
    ctx = context(tmp_path / "home")
    dirty = registry.synthesize(
        ctx, tmp_path / "files", enterprises=200, years=[2025], seed=5, dirty_rate=0.1
    )
    steps = []
    imported = registry.import_files(ctx, dirty.files, quarantine=True, progress=lambda s, n: steps.append(n))
    assert steps == [3 * len(dirty.files)] * (3 * len(dirty.files))  # read, validate, write each file
    assert imported.quarantined_errors > 0 and imported.report is not None and imported.report.exists()
    assert sum(f.quarantined for f in imported.files) > 0
    assert counts(ctx)["enterprise"] == next(f.inserted for f in imported.files if f.table == "enterprise")


def test_the_summary_counts_what_the_rows_hold_with_district_names(home, rows):
    summary = registry.registry_summary(context(home))
    assert summary.latest_year == 2025 and summary.as_of == dt.date(2025, 12, 31)
    assert summary.enterprises == len(rows["enterprise"])
    by_district = Counter(e["district_adcode"] for e in rows["enterprise"])
    names = districts.by_adcode()
    assert {(d.adcode, d.name_zh, d.name_en, d.enterprises) for d in summary.districts} == {
        (code, names[code].name_zh, names[code].name_en, n) for code, n in by_district.items()
    }
    assert [d.enterprises for d in summary.districts] == sorted(by_district.values(), reverse=True)
    latest = {y["credit_code"]: y for y in rows["enterprise_year"] if y["fiscal_year"] == 2025}
    pudong = next(d for d in summary.districts if d.adcode == "310115")
    assert pudong.operating_revenue == sum(
        latest[e["credit_code"]]["operating_revenue"]
        for e in rows["enterprise"]
        if e["district_adcode"] == "310115" and e["credit_code"] in latest
    )
    day = summary.as_of
    valid = {
        (t["title"], t["level"], t["credit_code"])
        for t in rows["title"]
        if t["valid_from"] <= day and (t["valid_to"] is None or t["valid_to"] >= day)
    }
    assert {(t.title, t.level, t.enterprises) for t in summary.titles} == {
        (title, level, n) for (title, level), n in Counter((t, lv) for t, lv, _ in valid).items()
    }
    assert sum(x.ever for x in summary.exclusions) == len(rows["exclusion"])


def test_show_is_the_summary_or_one_enterprise(home, rows):
    ctx = context(home)
    assert registry.show(ctx).summary is not None and registry.show(ctx).enterprise is None
    code = rows["enterprise"][3]["credit_code"]
    shown = registry.show(ctx, code)
    assert shown.summary is None and shown.enterprise.credit_code == code


def test_a_registry_not_made_yet_is_not_found_with_the_next_action(tmp_path):
    with pytest.raises(NotFound) as raised:
        registry.registry_summary(context(tmp_path))
    assert raised.value.next_action == "import_registry"
    assert "smeladder" not in str(raised.value)  # words for every interface, no command line


def test_synthesize_and_export_refuse_an_unknown_format(home, tmp_path):
    with pytest.raises(InvalidInput, match="choose one of"):
        registry.synthesize(context(tmp_path), tmp_path, enterprises=10, fmt="dbf")
    with pytest.raises(InvalidInput, match="choose one of"):
        registry.export(context(home), tmp_path, "dbf")


@pytest.mark.parametrize(
    "asked, says",
    [({"enterprises": 0}, "at least 1"), ({"years": []}, "years"), ({"dirty_rate": 0.9}, "dirty_rate")],
)
def test_synthesize_says_what_it_cannot_make(tmp_path, asked, says):
    with pytest.raises(InvalidInput, match=says):
        registry.synthesize(context(tmp_path), tmp_path, **{"enterprises": 10, **asked})


def test_an_import_for_an_unknown_table_or_of_a_missing_file_is_invalid_input(home, tmp_path):
    with pytest.raises(InvalidInput, match="enterprise_year"):
        registry.import_files(context(home), [tmp_path / "x.csv"], table="firms")
    with pytest.raises(InvalidInput, match=r"missing\.csv"):
        registry.import_files(context(home), [tmp_path / "enterprise-missing.csv"])
