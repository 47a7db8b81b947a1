"""Service stations (M6.2b, "500 public-interest SME service stations"): a realistic synthetic set for the
demo and tests. Real stations come in through `NetworkStore.import_files`.

The synthetic stations follow the enterprises, as a district would place them (most in business districts and
parks, some spread for reach) and open in waves from 2023 on, so coverage has gaps to plan for and changes
with the as-of date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike

from smeladder.network import districts as network_districts
from smeladder.network.schema import OPERATORS, SERVICES, STATION, arrow_schema
from smeladder.registry import districts as reference

TARGET_STATIONS = 500  # M6.2b
FOLLOW_ENTERPRISES_SHARE = 0.75  # the rest are spread over the land for reach
JITTER_M = 250.0
FIRST_OPENING = dt.date(2023, 1, 1)
LAST_OPENING = dt.date(2026, 6, 30)
CLOSED_SHARE = 0.03
OPERATOR_WEIGHTS = (0.25, 0.35, 0.2, 0.1, 0.1)
OPERATOR_NAMES_ZH = {
    "district_centre": "中小企业服务中心",
    "subdistrict": "街镇企业服务中心",
    "park": "园区管理公司",
    "association": "行业协会",
    "service_provider": "专业服务机构",
}
OPENING_HOURS = ("Mon-Fri 09:00-17:00", "Mon-Fri 08:30-17:30", "Mon-Sat 09:00-18:00", "Mon-Fri 09:00-20:00")
STREET_WORDS = ("科技路", "创新路", "园区路", "工业路", "振兴路", "长江路", "发展大道", "人民路")


def synthesize_stations(
    enterprise_latitude: ArrayLike,
    enterprise_longitude: ArrayLike,
    n: int = TARGET_STATIONS,
    seed: int = 0,
) -> pa.Table:
    """n stations as a typed Arrow table in `schema.STATION`'s layout, placed near the given enterprises."""
    rng = np.random.default_rng(seed)
    ent_lat = np.asarray(enterprise_latitude, dtype=np.float64)
    ent_lon = np.asarray(enterprise_longitude, dtype=np.float64)
    lat, lon, adcode = _locations(rng, ent_lat, ent_lon, n)
    names = reference.by_adcode()
    per_district: dict[str, int] = {}
    ids, names_zh, names_en, addresses = [], [], [], []
    for i, code in enumerate(adcode):
        per_district[code] = per_district.get(code, 0) + 1
        number = per_district[code]
        district = names[code]
        ids.append(f"ST{code[-3:]}{number:03d}")
        names_zh.append(f"{district.name_zh}第{number}中小企业服务站")
        names_en.append(f"{district.name_en} SME Service Station {number}")
        addresses.append(
            f"上海市{district.name_zh}{STREET_WORDS[i % len(STREET_WORDS)]}{rng.integers(1, 2000)}号"
        )
    operators = rng.choice(OPERATORS, size=n, p=OPERATOR_WEIGHTS)
    span = (LAST_OPENING - FIRST_OPENING).days
    # Openings bunch in early waves (the 2025 measures asked for the network quickly): a skewed draw.
    opened = [FIRST_OPENING + dt.timedelta(days=int(span * rng.beta(1.3, 2.0))) for _ in range(n)]
    closed = [
        o + dt.timedelta(days=int(rng.integers(180, 720))) if rng.random() < CLOSED_SHARE else None
        for o in opened
    ]
    services = [_services(rng) for _ in range(n)]
    table = {
        "station_id": ids,
        "name_zh": names_zh,
        "name_en": names_en,
        "address": addresses,
        "latitude": lat.round(6),
        "longitude": lon.round(6),
        "district_adcode": list(adcode),
        "operator": list(operators),
        "operator_name": [
            names[c].name_zh + OPERATOR_NAMES_ZH[o] for c, o in zip(adcode, operators, strict=True)
        ],
        "opening_hours": list(rng.choice(OPENING_HOURS, size=n)),
        "services": services,
        "capacity_per_week": rng.integers(20, 200, n),
        "phone": [f"021-{rng.integers(5000_0000, 6999_9999)}" for _ in range(n)],
        "opened_on": opened,
        "closed_on": closed,
    }
    return pa.table(table, schema=arrow_schema(STATION))


def _locations(rng: np.random.Generator, ent_lat, ent_lon, n: int):
    follow = round(n * FOLLOW_ENTERPRISES_SHARE) if len(ent_lat) else 0
    picks = rng.integers(0, len(ent_lat), follow) if follow else np.empty(0, dtype=np.int64)
    degrees = JITTER_M / 111_195.0
    lat = ent_lat[picks] + rng.normal(0, degrees, follow)
    lon = ent_lon[picks] + rng.normal(0, degrees, follow) / np.cos(np.radians(ent_lat[picks]))
    # Spread stations: districts in proportion to the square root of their area (reach, not density).
    all_districts = reference.load_districts()
    reach = np.sqrt([d.area_km2 for d in all_districts])
    counts = rng.multinomial(n - follow, reach / reach.sum())
    spread = [
        network_districts.random_points_in(d.adcode, int(c), rng)
        for d, c in zip(all_districts, counts, strict=True)
    ]
    lat = np.concatenate([lat, *[s[0] for s in spread]])
    lon = np.concatenate([lon, *[s[1] for s in spread]])
    adcode = network_districts.district_of(lat, lon)
    # A jittered point can fall in the river or the sea: put it back on the enterprise it followed.
    off_land = adcode == None  # noqa: E711 - elementwise on an object array
    lat[off_land[: len(picks)].nonzero()[0]] = ent_lat[picks[off_land[: len(picks)]]]
    lon[off_land[: len(picks)].nonzero()[0]] = ent_lon[picks[off_land[: len(picks)]]]
    adcode = network_districts.district_of(lat, lon)
    keep = adcode != None  # noqa: E711
    order = np.lexsort((lon[keep], adcode[keep].astype(str)))
    return lat[keep][order], lon[keep][order], adcode[keep][order]


def _services(rng: np.random.Generator) -> str:
    # Every station gives policy advice (M6.4); the rest varies.
    others = [s for s in SERVICES if s != "policy_consulting"]
    chosen = rng.choice(others, size=int(rng.integers(2, 6)), replace=False)
    return ";".join(["policy_consulting", *sorted(chosen)])
