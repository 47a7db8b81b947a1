"""A broken pack fails at load, with the variable and the file in the message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smeladder.rules import PackError, load_pack
from smeladder.rules.pack import pack_version

MANIFEST = """
name: {name}
label: Broken pack
entity: {{table: enterprise, key: credit_code}}
tables:
  enterprise_year: {{period_column: fiscal_year}}
"""
PARAMETER = """
description: A threshold
unit: yuan
values: {2023-01-01: 100}
"""
HEADER = """
import ibis
from smeladder.rules import BOOL, INT, MONEY, Aggregate, Input, variable, criterion, all_of, at_least, param
revenue = Input("enterprise_year.operating_revenue", type=MONEY, default=0, label="Revenue")
"""


def make_pack(root: Path, body: str, name: str = "broken") -> Path:
    directory = root / name
    (directory / "parameters").mkdir(parents=True)
    (directory / "variables").mkdir()
    (directory / "pack.yaml").write_text(MANIFEST.format(name=name))
    (directory / "parameters" / "threshold.yaml").write_text(PARAMETER)
    (directory / "variables" / "rules.py").write_text(HEADER + textwrap.dedent(body))
    return directory


CASES = {
    "unknown_variable": (
        """
        @variable(type=MONEY, period="instant", label="x")
        def doubled(v, period, p):
            return v.revenu(period.last_year) * 2
        """,
        r"variable doubled \(.*rules\.py:\d+\): uses unknown variable 'revenu'",
    ),
    "cycle": (
        """
        @variable(type=INT, period="instant", label="a")
        def first(v, period, p):
            return v.second(period) + 1

        @variable(type=INT, period="instant", label="b")
        def second(v, period, p):
            return v.first(period) + 1
        """,
        r"dependency cycle: (first -> second -> first|second -> first -> second)",
    ),
    "float_result": (
        """
        @variable(type=MONEY, period="instant", label="share")
        def share(v, period, p):
            return v.revenue(period.last_year).cast("float64") / 3
        """,
        r"variable share .*returns float64 but the variable is declared money \(did you divide",
    ),
    "type_error": (
        """
        @variable(type=BOOL, period="instant", label="rich")
        def rich(v, period, p):
            return v.revenue(period.last_year) + 1
        """,
        r"variable rich .*declared bool",
    ),
    "period_mistake": (
        """
        @variable(type=MONEY, period="instant", label="x")
        def current(v, period, p):
            return v.revenue(period)
        """,
        r"variable current .*revenue is defined per year: pass period.last_year",
    ),
    "missing_parameter_value": (
        """
        @variable(type=BOOL, period="instant", label="big", since="2020-01-01")
        def big(v, period, p):
            return v.revenue(period.last_year) >= p.threshold
        """,
        r"variable big \(.*rules\.py:\d+\): parameter threshold \(.*threshold\.yaml\): has no value on 2020-01-01",
    ),
    "unknown_parameter": (
        """
        @variable(type=BOOL, period="instant", label="big")
        def big(v, period, p):
            return v.revenue(period.last_year) >= p.treshold
        """,
        r"variable big .*unknown parameter 'treshold'",
    ),
    "criterion_unknown_variable": (
        """
        ok = criterion(all_of(at_least("revenue", param("threshold"), at="last_year"), at_least("profit", 0)), label="ok")
        """,
        r"variable ok .*uses unknown variable 'profit'",
    ),
    "undeclared_table": (
        """
        staff = Input("payroll.staff", type=INT, label="Staff")
        """,
        r"variable staff .*reads table 'payroll', not declared in pack.yaml",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_pack_names_variable_and_file(tmp_path, case):
    body, message = CASES[case]
    directory = make_pack(tmp_path, body, name=f"broken_{case}")
    with pytest.raises(PackError, match=message):
        load_pack(directory)


def test_a_good_pack_loads_and_its_version_changes_with_any_rule_file(tmp_path):
    body = """
    @variable(type=BOOL, period="instant", label="big")
    def big(v, period, p):
        return v.revenue(period.last_year) >= p.threshold
    """
    directory = make_pack(tmp_path, body, name="good")
    pack = load_pack(directory)
    assert pack.variables["big"].kind == "formula"
    assert pack.variables["revenue"].period == "year"
    assert pack.version == pack_version(directory)
    (directory / "tests").mkdir(exist_ok=True)
    (directory / "tests" / "more.yaml").write_text("[]\n")
    assert pack_version(directory) == pack.version  # a new test case changes no result
    (directory / "parameters" / "threshold.yaml").write_text(PARAMETER.replace("100", "101"))
    assert pack_version(directory) != pack.version


def test_packs_are_found_by_directory_and_unknown_names_are_explained(monkeypatch):
    from smeladder.rules.locate import ENV_PACK, find_pack, pack_directory

    from .conftest import TOY_PACK

    assert find_pack(str(TOY_PACK)).name == "toy"
    monkeypatch.setenv(ENV_PACK, str(TOY_PACK))
    assert pack_directory() == TOY_PACK
    with pytest.raises(PackError, match="no policy pack 'atlantis'"):
        pack_directory("atlantis")


def test_a_yearly_rule_over_a_mid_year_change_without_a_rule_stops_the_run(tmp_path, toy_pack):
    import datetime as dt

    from smeladder.rules.plan import make_plan

    body = """
    @variable(type=BOOL, period="year", label="big")
    def big(v, period, p):
        return v.revenue(period) >= p.threshold
    """
    directory = make_pack(tmp_path, body, name="midyear")
    (directory / "parameters" / "threshold.yaml").write_text(
        PARAMETER.replace("{2023-01-01: 100}", "{2023-01-01: 100, 2024-07-01: 200}")
    )
    pack = load_pack(directory)
    assert make_plan(pack, ["big"], dt.date(2023, 6, 1)).requested
    with pytest.raises(PackError, match=r"variable big .*changes on 2024-07-01 inside period 2024"):
        make_plan(pack, ["big"], dt.date(2024, 6, 1))
