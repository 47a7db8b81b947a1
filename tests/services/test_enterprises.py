"""Looking up and searching enterprises: every search is checked against an oracle written in plain Python
over the registry's rows, and paging through a search gives every match exactly once, in order."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smeladder.errors import InvalidInput, NotFound
from smeladder.registry import districts, schema
from smeladder.services import enterprises

from .conftest import NOW, context

TODAY = NOW.date()


def valid_on(row, day, start="valid_from", end="valid_to") -> bool:
    return row[start] <= day and (row[end] is None or row[end] >= day)


def oracle(rows, text=None, district=None, title=None, track=None, day=TODAY) -> list[str]:
    """The credit codes a search must return, in order: by the words of the spec, without SQL."""
    words = [w.lower() for w in (text or "").split()]
    holders = {t["credit_code"] for t in rows["title"] if t["title"] == title and valid_on(t, day)}
    found = []
    for e in rows["enterprise"]:
        haystacks = (e["name_zh"].lower(), (e["name_en"] or "").lower(), e["credit_code"].lower())
        if not all(any(w in h for h in haystacks) for w in words):
            continue
        if district and e["district_adcode"] != district:
            continue
        if title and e["credit_code"] not in holders:
            continue
        if track and e["industrial_track"] != track:
            continue
        found.append(e["credit_code"])
    return sorted(found)


def all_pages(ctx, limit, **query) -> list[str]:
    codes, after = [], None
    while True:
        page = enterprises.search(ctx, after=after, limit=limit, **query)
        codes += [e.credit_code for e in page.enterprises]
        assert len(page.enterprises) <= limit
        if page.next_after is None:
            return codes
        assert page.next_after == codes[-1]
        after = page.next_after


def test_a_name_matches_in_chinese_or_english_any_part_any_case(home, rows):
    ctx = context(home)
    named = next(e for e in rows["enterprise"] if e["name_en"])
    english_word = named["name_en"].split()[1]  # "Shanghai Jiahexi Biopharma ..." -> "Jiahexi"
    for text in (named["name_zh"][2:6], english_word.upper(), english_word.lower()):
        page = enterprises.search(ctx, text, limit=1000)
        assert named["credit_code"] in {e.credit_code for e in page.enterprises}
        assert [e.credit_code for e in page.enterprises] == oracle(rows, text)
        assert page.matched == len(oracle(rows, text))


def test_every_word_must_match_and_the_code_counts_as_text(home, rows):
    ctx = context(home)
    first = rows["enterprise"][0]
    page = enterprises.search(ctx, f"{first['credit_code'][-6:].lower()} {first['name_zh'][-4:]}")
    assert [e.credit_code for e in page.enterprises] == [first["credit_code"]]
    for wildcard in ("%", "_", "上海%公司"):  # a word is literal text, never a pattern
        assert enterprises.search(ctx, wildcard).matched == len(oracle(rows, wildcard)) == 0


def test_district_by_name_or_code_title_valid_on_the_day_and_track(home, rows):
    ctx = context(home)
    pudong = enterprises.search(ctx, district="浦东", limit=1000)
    assert {e.district_en for e in pudong.enterprises} == {"Pudong New Area"}
    assert [e.credit_code for e in pudong.enterprises] == oracle(rows, district="310115")
    assert enterprises.search(ctx, district="Pudong").matched == pudong.matched
    assert enterprises.search(ctx, district="310115").matched == pudong.matched
    for day in (dt.date(2023, 1, 1), TODAY):
        page = enterprises.search(ctx, title="ss_sme", as_of=day, limit=1000)
        assert [e.credit_code for e in page.enterprises] == oracle(rows, title="ss_sme", day=day)
        assert all("ss_sme" in e.titles for e in page.enterprises)
    track = enterprises.search(ctx, track="integrated_circuit", limit=1000)
    assert [e.credit_code for e in track.enterprises] == oracle(rows, track="integrated_circuit")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    limit=st.integers(8, 60),
    district=st.sampled_from([None, *districts.adcodes()]),
    title=st.sampled_from([None, "ss_sme", "innovative_sme", "high_tech"]),
    track=st.sampled_from([None, "biomedicine", "other"]),
)
def test_paging_gives_every_match_once_in_credit_code_order(home, rows, data, limit, district, title, track):
    names = [e["name_zh"] for e in rows["enterprise"]]
    name = data.draw(st.sampled_from(names))
    start = data.draw(st.integers(0, len(name) - 2))
    text = data.draw(st.sampled_from([None, name[start : start + 2]]))
    query = {"text": text, "district": district, "title": title, "track": track}
    assert all_pages(context(home), limit, **query) == oracle(rows, **query)


def test_one_enterprise_with_its_latest_figures_titles_and_exclusions(home, rows):
    ctx = context(home)
    titled = sorted(
        {t["credit_code"] for t in rows["title"]},
        key=lambda c: -sum(t["credit_code"] == c for t in rows["title"]),
    )
    excluded = sorted({x["credit_code"] for x in rows["exclusion"]})
    for code in (titled[0], excluded[0]):
        check_one(ctx, rows, code)


def check_one(ctx, rows, code):
    found = enterprises.get(ctx, f" {code.lower()} ")  # as a person types it
    own = next(e for e in rows["enterprise"] if e["credit_code"] == code)
    years = sorted(
        (y for y in rows["enterprise_year"] if y["credit_code"] == code), key=lambda y: y["fiscal_year"]
    )
    assert found.name_zh == own["name_zh"] and found.district_adcode == own["district_adcode"]
    assert found.district_zh == districts.by_adcode()[own["district_adcode"]].name_zh
    assert found.years == [y["fiscal_year"] for y in years]
    assert found.latest.fiscal_year == 2025
    assert found.latest.operating_revenue == years[-1]["operating_revenue"]
    own_titles = [t for t in rows["title"] if t["credit_code"] == code]
    assert sorted((t.title, t.valid) for t in found.titles) == sorted(
        (t["title"], valid_on(t, TODAY)) for t in own_titles
    )
    own_exclusions = [x for x in rows["exclusion"] if x["credit_code"] == code]
    assert sorted((x.kind, x.in_force) for x in found.exclusions) == sorted(
        (x["kind"], valid_on(x, TODAY, "start_on", "end_on")) for x in own_exclusions
    )


def test_the_record_models_follow_the_schema():
    for model, table in (
        (enterprises.EnterpriseRecord, schema.ENTERPRISE),
        (enterprises.Figures, schema.ENTERPRISE_YEAR),
    ):
        fields = set(model.model_fields)
        assert fields == set(table.column_names) - (
            {"credit_code"} if model is enterprises.Figures else set()
        )
    assert enterprises.unit_of(enterprises.Figures, "operating_revenue") == "yuan"


def test_an_unknown_code_is_not_found_and_says_why_a_malformed_one_is_wrong(home, rows):
    ctx = context(home)
    real = rows["enterprise"][0]["credit_code"]
    mistyped = real[:-1] + ("1" if real[-1] != "1" else "2")  # a wrong check character
    with pytest.raises(NotFound) as raised:
        enterprises.get(ctx, mistyped)
    assert raised.value.next_action == "find_enterprise"
    assert f"check character should be {real[-1]}" in str(raised.value)


@pytest.mark.parametrize(
    "query, says",
    [
        ({"district": "Atlantis"}, "Minhang (310112)"),
        ({"title": "boss"}, "little_giant"),
        ({"track": "mining"}, "integrated_circuit"),
        ({"limit": 0}, "1 to 1000"),
        ({"limit": 1001}, "1 to 1000"),
    ],
)
def test_a_bad_search_is_invalid_input_naming_the_choices(home, query, says):
    with pytest.raises(InvalidInput, match=re.escape(says)):
        enterprises.search(context(home), **query)
