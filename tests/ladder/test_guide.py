"""The guide is generated from the pack: every measure, both languages, figures from the parameters, open
figures starred."""

from __future__ import annotations

import datetime as dt
import json

from smeladder.policy_guide.build import guide_entries, write_guide


def test_guide_files_cover_every_measure_in_both_languages(pack, tmp_path):
    written = write_guide(pack, dt.date(2025, 8, 1), tmp_path)
    assert sorted(p.name for p in written) == ["guide.en.md", "guide.json", "guide.zh.md"]
    english = (tmp_path / "guide.en.md").read_text(encoding="utf-8")
    chinese = (tmp_path / "guide.zh.md").read_text(encoding="utf-8")
    guided = [m for m in pack.measures.measures if m.guide]
    for measure in guided:
        assert f"## {measure.id} — {measure.name.en}" in english
        assert f"## {measure.id} — {measure.name.zh}" in chinese
    assert "{" not in english and "{" not in chinese
    data = json.loads((tmp_path / "guide.json").read_text(encoding="utf-8"))
    assert len(data["measures"]["zh"]) == len(guided) == len(data["measures"]["en"]) == 11


def test_figures_come_from_the_parameters_and_open_ones_are_starred(pack):
    entries = {e["id"]: e for e in guide_entries(pack, dt.date(2025, 8, 1), "en")}
    assert entries["M3.4b"]["amount"] == "Up to 10% of the approved investment, at most 100,000,000.00 yuan."
    assert "at most 500,000.00 yuan* a year" in entries["M4.1"]["amount"]  # the cap is open
    assert entries["M4.1"]["delivery_mode"] == "apply" and entries["M1.2a"]["delivery_mode"] == "auto"
    assert "M4.1.cap" in entries["M4.1"]["unconfirmed"]


def test_a_changed_parameter_changes_the_guide(pack):
    changed = type(pack)(
        **{**pack.__dict__, "parameters": pack.parameters.with_overrides({"M4.1.cap": 800000})}
    )
    entries = {e["id"]: e for e in guide_entries(changed, dt.date(2025, 8, 1), "zh")}
    assert "80.00万元" in entries["M4.1"]["amount"]


GUIDE_DATE = dt.date(
    2026, 5, 1
)  # the date docs/guide/ is generated for: `smeladder guide --out docs/guide --as-of 2026-05-01`


def test_the_guide_in_docs_is_up_to_date(pack, tmp_path):
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "guide"
    for path in write_guide(pack, GUIDE_DATE, tmp_path):
        assert (docs / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/guide/{path.name} is stale: run smeladder guide --out docs/guide --as-of 2026-05-01"
        )
