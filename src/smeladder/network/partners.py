"""Service partners and providers: M6.2b's "1,000 outstanding service partners", M4.1's qualified
digital-transformation providers, M6.2c's professional-service providers and M5.3's going-global directory.

`synthesize_partners` makes a plausible set for the demo; `find_partners` is what an enterprise's "who can
help me with this?" and the subsidy checks (is this provider on the M4.1 list on the contract date?) ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import polars as pl
import pyarrow as pa

from smeladder.network import districts as network_districts
from smeladder.network.points import DISTRICT_SHARE
from smeladder.network.schema import PARTNER, PARTNER_KINDS, SERVICES, arrow_schema
from smeladder.registry import districts as reference

TARGET_PARTNERS = 1_000  # M6.2b
KIND_SHARES = (0.55, 0.2, 0.15, 0.1)  # service partners, digital, professional, going-global
KIND_SERVICES = {
    "service_partner": SERVICES,
    "digital_transformation": ("digital_transformation", "technology_innovation", "quality_standards"),
    "professional_service": ("technology_innovation", "legal_compliance", "intellectual_property", "listing"),
    "going_global": ("going_global", "legal_compliance", "talent", "market_matchmaking"),
}
KIND_WORDS = {
    "service_partner": ("企业服务有限公司", "Enterprise Services Co."),
    "digital_transformation": ("数字科技有限公司", "Digital Technology Co."),
    "professional_service": ("咨询有限公司", "Consulting Co."),
    "going_global": ("国际商务咨询有限公司", "International Business Consulting Co."),
}
NAME_WORDS = ("智联", "启航", "汇能", "博远", "云策", "融通", "正信", "卓越", "同创", "远景", "德勤", "华信")


def synthesize_partners(n: int = TARGET_PARTNERS, seed: int = 0) -> pa.Table:
    """n partners as a typed Arrow table in `schema.PARTNER`'s layout."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(PARTNER_KINDS, size=n, p=KIND_SHARES)
    all_districts = reference.load_districts()
    shares = np.array([DISTRICT_SHARE[d.adcode] for d in all_districts])
    codes = rng.choice([d.adcode for d in all_districts], size=n, p=shares / shares.sum())
    lat = np.empty(n)
    lon = np.empty(n)
    for code in np.unique(codes):
        mask = codes == code
        lat[mask], lon[mask] = network_districts.random_points_in(code, int(mask.sum()), rng)
    names = reference.by_adcode()
    rows: dict[str, list] = {c.name: [] for c in PARTNER.columns}
    for i in range(n):
        kind, code = str(kinds[i]), str(codes[i])
        word = NAME_WORDS[i % len(NAME_WORDS)] + NAME_WORDS[(i * 7 + 3) % len(NAME_WORDS)]
        listed = dt.date(2023, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3 * 365)))
        offered = KIND_SERVICES[kind]
        chosen = rng.choice(offered, size=min(len(offered), int(rng.integers(1, 4))), replace=False)
        rows["partner_id"].append(f"PT{i + 1:05d}")
        rows["name_zh"].append(f"上海{word}{KIND_WORDS[kind][0]}")
        rows["name_en"].append(f"Shanghai {word} {KIND_WORDS[kind][1]}")
        rows["kind"].append(kind)
        rows["services"].append(";".join(sorted(chosen)))
        rows["credit_code"].append(None)
        rows["district_adcode"].append(code)
        rows["address"].append(f"上海市{names[code].name_zh}{rng.integers(1, 999)}号")
        rows["latitude"].append(round(float(lat[i]), 6))
        rows["longitude"].append(round(float(lon[i]), 6))
        rows["contact"].append("业务部")
        rows["phone"].append(f"021-{rng.integers(5000_0000, 6999_9999)}")
        rows["website"].append(f"https://partner{i + 1:05d}.example.cn")
        rows["listed_on"].append(listed)
        rows["delisted_on"].append(listed + dt.timedelta(days=730) if rng.random() < 0.04 else None)
    return pa.table(rows, schema=arrow_schema(PARTNER))


def find_partners(
    partners: pl.DataFrame,
    as_of: dt.date,
    measure_of: Mapping[str, str],
    kind: str | None = None,
    service: str | None = None,
    district_adcode: str | None = None,
) -> pl.DataFrame:
    """Partners listed on `as_of`, filtered by kind, service and district, with the measure that lists them
    (`measure_of`: by kind, from the pack's measure catalogue; none for a kind it does not name)."""
    if kind is not None and kind not in PARTNER_KINDS:
        raise ValueError(f"unknown partner kind {kind!r}; choose one of {', '.join(PARTNER_KINDS)}")
    if service is not None and service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; choose one of {', '.join(SERVICES)}")
    found = partners.filter(
        (pl.col("listed_on") <= as_of) & (pl.col("delisted_on").is_null() | (pl.col("delisted_on") > as_of))
    )
    if kind is not None:
        found = found.filter(pl.col("kind") == kind)
    if service is not None:
        found = found.filter(pl.col("services").str.split(";").list.contains(service))
    if district_adcode is not None:
        found = found.filter(pl.col("district_adcode") == district_adcode)
    measure = pl.col("kind").replace_strict(dict(measure_of), default=None, return_dtype=pl.String)
    return found.with_columns(measure.alias("measure"))
