"""A synthetic Shanghai registry that a district officer would find plausible.

No real registry is public, so the demo, the tests and the benchmarks run on this one. Everything is drawn
from one seeded numpy Generator, so a seed always gives the same registry.

How it is built (the docs, `docs/synthetic-data.md`, give the reasons and the calibration):
- each enterprise gets a district (central districts denser), a point inside that district's polygon
  clustered around industrial parks, a track of Shanghai's industrial system and a GB/T 4754 class of it;
- a latent *capability* z ~ N(0, 1) drives R&D intensity, IP, digitalization, certifications and titles
  together, which is what makes them correlate as in life;
- revenue is log-normal with a Pareto tail; a persistent *growth type* (decliner, steady, grower, gazelle)
  sets the yearly growth, so a gazelle stays a gazelle;
- titles are given to the enterprises ranking highest on capability and size, in the numbers the city
  published, scaled by N / 400,000 (`SHANGHAI_SCALE`), nested as the ladder requires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from smeladder.registry import credit_code, districts, schema

# The registry size at which the title counts equal the city's published stock (press release, 2025-04-11):
# about 400,000 enterprises with a registered R&D or industrial activity.
SHANGHAI_SCALE = 400_000
PUBLISHED_STOCK = {
    "innovative_sme": 22_400,  # ">22,000 innovative SMEs", which include the S&S SMEs
    "ss_sme": 12_300,  # ">12,000 S&S SMEs", which include the little giants
    "little_giant": 857,
    "single_champion": 129,
}
# Other designations, as shares of the registry (orders of magnitude from municipal reports).
OTHER_TITLE_SHARES = {
    "high_tech": 0.045,
    "tech_sme": 0.040,
    "rd_institution": 0.035,
    "ip_advantage": 0.004,
    "tech_innovation_demo": 0.0005,
    "st_award": 0.002,
    "maker_contest": 0.001,
    "quality_award": 0.001,
}
RESEARCH_TITLES = (
    "high_tech",
    "tech_sme",
    "rd_institution",
    "ip_advantage",
    "tech_innovation_demo",
    "st_award",
)
# Who reports R&D at all: P = sigmoid(slope × (capability + size weight × size score − midpoint)), about 8.5 % of
# firms. Calibrated so that the first rung's criteria select about the published stock (docs/synthetic-data.md).
RD_ACTIVE_SLOPE = 2.5
RD_ACTIVE_MIDPOINT = 2.1
RD_ACTIVE_SIZE_WEIGHT = 0.8
IP1_WITHOUT_RD = 0.15
FINANCING_WITHOUT_RD = 0.1

# Share of enterprises by district: suburban districts hold more firms, central ones more per km².
DISTRICT_SHARES = {
    "310101": 0.030,  # Huangpu
    "310104": 0.050,  # Xuhui
    "310105": 0.033,  # Changning
    "310106": 0.042,  # Jing'an
    "310107": 0.035,  # Putuo
    "310109": 0.024,  # Hongkou
    "310110": 0.040,  # Yangpu
    "310112": 0.100,  # Minhang
    "310113": 0.060,  # Baoshan
    "310114": 0.085,  # Jiading
    "310115": 0.220,  # Pudong
    "310116": 0.035,  # Jinshan
    "310117": 0.085,  # Songjiang
    "310118": 0.055,  # Qingpu
    "310120": 0.050,  # Fengxian
    "310151": 0.026,  # Chongming
}

# track: (share, GB/T 4754 classes, base R&D intensity, strategic-emerging probability, name word zh, en)
TRACK_PROFILES: dict[str, tuple[float, tuple[str, ...], float, float, str, str]] = {
    "integrated_circuit": (
        0.04,
        ("C3973", "C3972", "C3976", "I6520"),
        0.08,
        0.95,
        "微电子",
        "Microelectronics",
    ),
    "biomedicine": (0.05, ("C2710", "C2730", "C2761", "C2770", "M7340"), 0.07, 0.9, "生物医药", "Biopharma"),
    "artificial_intelligence": (0.04, ("I6513", "I6519", "I6550", "C3491"), 0.08, 0.9, "智能科技", "AI Tech"),
    "electronic_information": (0.07, ("C3914", "C3921", "C3922", "C3982"), 0.04, 0.7, "电子", "Electronics"),
    "life_health": (0.04, ("C3581", "C3583", "C3584", "M7340"), 0.04, 0.6, "医疗器械", "Medical"),
    "automotive": (0.05, ("C3611", "C3612", "C3670", "C3660"), 0.03, 0.5, "汽车零部件", "Auto Parts"),
    "high_end_equipment": (
        0.09,
        ("C3411", "C3442", "C3491", "C3562", "C4011"),
        0.035,
        0.6,
        "精密机械",
        "Precision",
    ),
    "advanced_materials": (
        0.06,
        ("C2614", "C2651", "C3091", "C3240", "C3311"),
        0.03,
        0.6,
        "新材料",
        "New Materials",
    ),
    "fashion_consumer": (0.08, ("C1810", "C1951", "C2438", "C2682"), 0.012, 0.1, "时尚", "Fashion"),
    "software_information": (
        0.16,
        ("I6511", "I6513", "I6519", "I6531", "I6450"),
        0.05,
        0.6,
        "信息技术",
        "InfoTech",
    ),
    "producer_services": (
        0.18,
        ("M7320", "M7491", "L7212", "M7520", "G5179"),
        0.01,
        0.2,
        "科技服务",
        "Services",
    ),
    "other": (0.14, ("C2926", "C3360", "F5179", "E4910", "C3130"), 0.006, 0.1, "实业", "Industrial"),
}

# growth type: (share, mean yearly growth, sd)
GROWTH_TYPES = {
    "decliner": (0.20, -0.08, 0.08),
    "steady": (0.63, 0.05, 0.07),
    "grower": (0.13, 0.18, 0.08),
    "gazelle": (0.04, 0.38, 0.10),
}

TRADE_NAMES = (
    ("华芯", "Huaxin"),
    ("申科", "Shenke"),
    ("浦创", "Puchuang"),
    ("联影", "Lianying"),
    ("宏达", "Hongda"),
    ("东方", "Dongfang"),
    ("中晶", "Zhongjing"),
    ("智远", "Zhiyuan"),
    ("云启", "Yunqi"),
    ("博瑞", "Borui"),
    ("恒泰", "Hengtai"),
    ("天擎", "Tianqing"),
    ("瑞昇", "Ruisheng"),
    ("海纳", "Haina"),
    ("鼎新", "Dingxin"),
    ("协同", "Xietong"),
    ("永鑫", "Yongxin"),
    ("光启", "Guangqi"),
    ("星辰", "Xingchen"),
    ("汇能", "Huineng"),
    ("朗德", "Langde"),
    ("启明", "Qiming"),
    ("锐思", "Ruisi"),
    ("科华", "Kehua"),
    ("新元", "Xinyuan"),
    ("精工", "Jinggong"),
    ("伟创", "Weichuang"),
    ("安泰", "Antai"),
    ("沪光", "Huguang"),
    ("嘉禾", "Jiahe"),
)
ROADS = (
    "张江路",
    "科苑路",
    "祖冲之路",
    "金科路",
    "漕河泾开发区宜山路",
    "莘庄工业区春东路",
    "嘉定工业区叶城路",
    "松江工业区荣乐东路",
    "临港新片区海洋一路",
    "宝山城市工业园区山连路",
    "青浦工业园区崧华路",
    "外高桥富特北路",
    "市北高新园区江场三路",
    "大柏树逸仙路",
    "长阳创谷长阳路",
    "虹桥商务区申长路",
    "金山工业区夏宁路",
    "奉贤东方美谷大道",
    "崇明工业园区秀山路",
    "南京西路",
    "淮海中路",
    "四川北路",
    "天山路",
    "真北路",
)


@dataclass(frozen=True)
class SynthOptions:
    enterprises: int
    years: range
    seed: int
    dirty_rate: float = 0.0


def scaled_title_counts(enterprises: int) -> dict[str, int]:
    """Title holders to create for a registry of this size: the published stock, scaled."""
    factor = enterprises / SHANGHAI_SCALE
    return {title: round(count * factor) for title, count in PUBLISHED_STOCK.items()}


def synthesize(enterprises: int, years: range, seed: int, dirty_rate: float = 0.0) -> dict[str, pa.Table]:
    """A registry of `enterprises` firms with figures for each fiscal year in `years`.

    Returns one Arrow table per registry table (schema.TABLES order), typed as the store types them.
    With `dirty_rate` > 0, about that share of rows carries one realistic mistake each, for import drills.
    """
    if enterprises < 1:
        raise ValueError("enterprises must be at least 1")
    if len(years) == 0:
        raise ValueError("years must not be empty")
    if not 0 <= dirty_rate <= 0.5:
        raise ValueError("dirty_rate must be between 0 and 0.5")
    rng = np.random.default_rng(seed)
    firms = _enterprises(rng, enterprises, years)
    panel = _enterprise_years(rng, firms, years)
    tables = {
        "enterprise": _enterprise_table(firms),
        "enterprise_year": panel,
        "title": _titles(rng, firms, panel, years),
        "exclusion": _exclusions(rng, firms, years),
    }
    # Drawn last, so adding applications left every other table of a seed unchanged.
    tables["application"] = _applications(rng, firms, panel, tables["title"], years)
    if dirty_rate > 0:
        from smeladder.registry.dirt import soil

        tables = soil(tables, rng, dirty_rate)
    return tables


# --- enterprises ---------------------------------------------------------------------------------------------


def _enterprises(rng: np.random.Generator, n: int, years: range) -> dict[str, np.ndarray]:
    adcodes = np.array(list(DISTRICT_SHARES))
    shares = np.array(list(DISTRICT_SHARES.values()))
    district = rng.choice(adcodes, size=n, p=shares / shares.sum())
    lat, lon = _locations(rng, district)

    tracks = np.array(list(TRACK_PROFILES))
    track_shares = np.array([p[0] for p in TRACK_PROFILES.values()])
    track = rng.choice(tracks, size=n, p=track_shares / track_shares.sum())
    industry = np.empty(n, dtype=object)
    strategic = np.zeros(n, dtype=bool)
    base_rd = np.zeros(n)
    for name, (_, classes, rd, p_sei, _, _) in TRACK_PROFILES.items():
        mask = track == name
        industry[mask] = rng.choice(np.array(classes), size=mask.sum())
        strategic[mask] = rng.random(mask.sum()) < p_sei
        base_rd[mask] = rd

    capability = rng.standard_normal(n)
    # Founding: ages skewed young (most firms are under 10 years), a few decades old.
    first_year = years[0]
    age_at_start = np.minimum(rng.gamma(shape=1.6, scale=5.0, size=n), 40.0)
    founded_ordinal = (
        dt.date(first_year, 1, 1).toordinal()
        - (age_at_start * 365.25).astype(np.int64)
        + rng.integers(0, 365, n)
    )
    growth_names = np.array(list(GROWTH_TYPES))
    growth_shares = np.array([g[0] for g in GROWTH_TYPES.values()])
    # Capable firms are likelier to grow fast: tilt the growth type by capability.
    growth_type = _tilted_choice(
        rng, growth_names, growth_shares, tilt=np.array([-0.4, 0.0, 0.4, 0.8]) * 0.8, z=capability
    )

    # Revenue in the first year: log-normal body with a Pareto tail for the large firms.
    log_revenue = np.log(4_000_000) + 1.55 * rng.standard_normal(n) + 0.35 * capability
    tail = rng.random(n) < 0.02
    log_revenue[tail] += np.log1p(rng.pareto(1.1, tail.sum()) * 20)
    log_revenue = np.minimum(log_revenue, np.log(30_000_000_000))  # nobody above 30 billion yuan
    # R&D is a persistent trait: about one firm in twelve reports any (the order of magnitude of Shanghai's R&D
    # super-deduction claims), capable and larger firms far likelier. Innovation titles go only to them.
    rd_active = rng.random(n) < _sigmoid(
        RD_ACTIVE_SLOPE * (capability + RD_ACTIVE_SIZE_WEIGHT * _size_score(log_revenue) - RD_ACTIVE_MIDPOINT)
    )
    return {
        "district": district,
        "lat": lat,
        "lon": lon,
        "track": track,
        "industry": industry,
        "strategic": strategic,
        "base_rd": base_rd,
        "capability": capability,
        "founded_ordinal": founded_ordinal,
        "growth_type": growth_type,
        "log_revenue0": log_revenue,
        "rd_active": rd_active,
        "ownership": rng.choice(np.array(schema.OWNERSHIPS), size=n, p=[0.80, 0.04, 0.01, 0.07, 0.03, 0.05]),
        "listed": np.zeros(n, dtype=bool),  # set after revenues are known
        "codes": _credit_codes(rng, district),
        "trade": rng.integers(0, len(TRADE_NAMES), n),
        "trade2": rng.integers(0, len(TRADE_NAMES), n),
        "road": rng.integers(0, len(ROADS), n),
        "house": rng.integers(1, 2000, n),
        "has_en": rng.random(n) < 0.35,
    }


def _tilted_choice(rng, names, shares, tilt, z) -> np.ndarray:
    weights = shares[None, :] * np.exp(tilt[None, :] * z[:, None])
    weights /= weights.sum(axis=1, keepdims=True)
    cumulative = weights.cumsum(axis=1)
    pick = (rng.random(len(z))[:, None] > cumulative).sum(axis=1)
    return names[np.minimum(pick, len(names) - 1)]


def _locations(rng: np.random.Generator, district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points inside each district's polygon, clustered around a few industrial parks per district."""
    lat = np.empty(len(district))
    lon = np.empty(len(district))
    info = districts.by_adcode()
    for adcode in np.unique(district):
        index = np.flatnonzero(district == adcode)
        polygon = districts.polygons()[adcode]
        min_lon, min_lat, max_lon, max_lat = polygon.bounds
        # Park centres: random interior points; firms sit around them (sd ~ 1.5 km) or anywhere (30 %).
        parks = _uniform_inside(rng, adcode, 6, (min_lat, max_lat, min_lon, max_lon))
        spread_deg = 0.015 * np.sqrt(info[adcode].area_km2 / 100)
        placed = np.zeros(len(index), dtype=bool)
        plat = np.empty(len(index))
        plon = np.empty(len(index))
        for _ in range(60):
            todo = np.flatnonzero(~placed)
            if todo.size == 0:
                break
            park = rng.integers(0, len(parks[0]), todo.size)
            clustered = rng.random(todo.size) < 0.7
            cand_lat = np.where(
                clustered,
                parks[0][park] + rng.normal(0, spread_deg, todo.size),
                rng.uniform(min_lat, max_lat, todo.size),
            )
            cand_lon = np.where(
                clustered,
                parks[1][park] + rng.normal(0, spread_deg, todo.size),
                rng.uniform(min_lon, max_lon, todo.size),
            )
            inside = districts.contains(adcode, cand_lat, cand_lon)
            hit = todo[inside]
            plat[hit], plon[hit] = cand_lat[inside], cand_lon[inside]
            placed[hit] = True
        if not placed.all():  # vanishingly rare: fall back to uniform interior points
            rest = np.flatnonzero(~placed)
            plat[rest], plon[rest] = _uniform_inside(
                rng, adcode, rest.size, (min_lat, max_lat, min_lon, max_lon)
            )
        lat[index] = np.round(plat, 6)
        lon[index] = np.round(plon, 6)
    return lat, lon


def _uniform_inside(rng, adcode, count, box) -> tuple[np.ndarray, np.ndarray]:
    min_lat, max_lat, min_lon, max_lon = box
    lats, lons = [], []
    found = 0
    while found < count:
        cand_lat = rng.uniform(min_lat, max_lat, max(64, 4 * count))
        cand_lon = rng.uniform(min_lon, max_lon, max(64, 4 * count))
        inside = districts.contains(adcode, cand_lat, cand_lon)
        lats.append(cand_lat[inside])
        lons.append(cand_lon[inside])
        found += int(inside.sum())
    return np.concatenate(lats)[:count], np.concatenate(lons)[:count]


def _credit_codes(rng: np.random.Generator, district: np.ndarray) -> np.ndarray:
    # An affine map i -> (a*i + b) mod 31**6 with a coprime to 31**6 is a bijection: distinct, scattered serials.
    n = len(district)
    if n > 31**6:
        raise ValueError("at most 31**6 enterprises")
    a = int(rng.integers(1, 31**6 // 31)) * 31 + int(rng.integers(1, 31))
    b = int(rng.integers(0, 31**6))
    serials = (np.arange(n, dtype=np.int64) * a + b) % 31**6
    return np.array(
        [credit_code.make(d, int(s)) for d, s in zip(district, serials, strict=True)], dtype=object
    )


BANKS = (
    "中国工商银行上海市分行",
    "中国建设银行上海市分行",
    "上海浦东发展银行",
    "上海银行",
    "交通银行上海市分行",
)


def _account_on_file(code: str, name: str) -> dict[str, str | None]:
    """The bank account the tax registration has on file, derived from the credit code (no draw of the
    generator, so adding it changed nothing else); about 3 % of enterprises have none."""
    digest = hashlib.sha256(code.encode()).digest()
    if digest[0] < 8:
        return {"bank_account_name": None, "bank_account_no": None, "bank_name": None}
    number = int.from_bytes(digest[1:9], "big") % 10**15
    return {
        "bank_account_name": name,
        "bank_account_no": f"6222{number:015d}",
        "bank_name": BANKS[digest[9] % len(BANKS)],
    }


def _enterprise_table(f: dict[str, np.ndarray]) -> pa.Table:
    n = len(f["district"])
    info = districts.by_adcode()
    profile_zh = {name: p[4] for name, p in TRACK_PROFILES.items()}
    profile_en = {name: p[5] for name, p in TRACK_PROFILES.items()}
    names_zh, names_en, addresses = [], [], []
    accounts: dict[str, list[str | None]] = {"bank_account_name": [], "bank_account_no": [], "bank_name": []}
    for i in range(n):
        trade_zh, trade_en = TRADE_NAMES[f["trade"][i]]
        trade2_zh, trade2_en = TRADE_NAMES[f["trade2"][i]]
        track = f["track"][i]
        names_zh.append(f"上海{trade_zh}{trade2_zh[0]}{profile_zh[track]}有限公司")
        names_en.append(
            f"Shanghai {trade_en}{trade2_en[:2].lower()} {profile_en[track]} Co., Ltd."
            if f["has_en"][i]
            else None
        )
        addresses.append(f"上海市{info[f['district'][i]].name_zh}{ROADS[f['road'][i]]}{f['house'][i]}号")
        for column, value in _account_on_file(str(f["codes"][i]), names_zh[-1]).items():
            accounts[column].append(value)
    revenue0 = np.exp(f["log_revenue0"])
    size_class = np.select(
        [revenue0 >= 400_000_000, revenue0 >= 20_000_000, revenue0 >= 3_000_000],
        ["large", "medium", "small"],
        default="micro",
    )
    listed = (revenue0 > 300_000_000) & (f["capability"] > 0.5)
    return pa.table(
        {
            "credit_code": pa.array(f["codes"], pa.string()),
            "name_zh": pa.array(names_zh, pa.string()),
            "name_en": pa.array(names_en, pa.string()),
            "district_adcode": pa.array(f["district"].astype(str), pa.string()),
            "address": pa.array(addresses, pa.string()),
            **{column: pa.array(values, pa.string()) for column, values in accounts.items()},
            "latitude": pa.array(f["lat"], pa.float64()),
            "longitude": pa.array(f["lon"], pa.float64()),
            "founded_on": pa.array(f["founded_ordinal"] - dt.date(1970, 1, 1).toordinal(), pa.int32()).cast(
                pa.date32()
            ),
            "industry_code": pa.array(f["industry"].astype(str), pa.string()),
            "strategic_emerging": pa.array(f["strategic"], pa.bool_()),
            "industrial_track": pa.array(f["track"].astype(str), pa.string()),
            "size_class": pa.array(size_class.astype(str), pa.string()),
            "listed": pa.array(listed, pa.bool_()),
            "ownership": pa.array(f["ownership"].astype(str), pa.string()),
        }
    )


# --- enterprise-years ----------------------------------------------------------------------------------------


def yuan(amounts: np.ndarray) -> pa.Array:
    """Float yuan rounded to the fen, as an exact DECIMAL(18,2) Arrow array (built from integer fen)."""
    fen = np.round(np.asarray(amounts, dtype=np.float64) * 100).astype(np.int64)
    return fen_array(fen)


def fen_array(fen: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An int64 array of fen as DECIMAL(18,2) without any float step: decimal128 stores the unscaled integer."""
    words = np.empty((len(fen), 2), dtype=np.int64)
    words[:, 0] = fen
    words[:, 1] = np.where(fen < 0, -1, 0)  # two's-complement sign extension to 128 bits
    mask = None if valid is None else pa.array(valid, pa.bool_()).buffers()[1]
    return pa.Array.from_buffers(
        pa.decimal128(schema.money.PRECISION, schema.money.SCALE),
        len(fen),
        [mask, pa.py_buffer(words.tobytes())],
    )


def _enterprise_years(rng: np.random.Generator, f: dict[str, np.ndarray], years: range) -> pa.Table:
    n = len(f["district"])
    z = f["capability"]
    founded_year = np.array([dt.date.fromordinal(int(o)).year for o in f["founded_ordinal"]])
    mean_growth = np.zeros(n)
    sd_growth = np.zeros(n)
    for name, (_, mean, sd) in GROWTH_TYPES.items():
        mean_growth[f["growth_type"] == name] = mean
        sd_growth[f["growth_type"] == name] = sd
    is_industrial = np.char.startswith(f["industry"].astype(str), "C")
    # Persistent firm traits, drawn once.
    main_share = np.clip(rng.beta(9, 1.3, n) + 0.03 * z, 0.3, 1.0)
    rd_ratio = np.clip(0.8 * f["base_rd"] * np.exp(0.75 * z + 0.35 * rng.standard_normal(n)), 0, 0.6)
    rd_ratio[~f["rd_active"]] = 0.0
    debt_ratio = np.clip(rng.beta(2.6, 2.8, n) - 0.05 * z, 0.02, 1.3)
    asset_turnover = np.exp(rng.normal(0.0, 0.45, n))
    revenue_per_head = np.exp(rng.normal(np.log(900_000), 0.5, n))
    rd_staff_share = np.clip(0.05 + 2.2 * rd_ratio + 0.05 * rng.standard_normal(n), 0, 0.95)
    margin = rng.normal(0.04, 0.07, n) + 0.015 * z
    niche_share_base = np.clip(np.exp(rng.normal(-1.1 + 1.5 * z, 1.0, n)), 0.01, 80)
    # Invention patents come from research: a firm without R&D holds one only by acquisition (rarely).
    ip1_rate = np.exp(-1.2 + 1.0 * z + 0.5 * np.log1p(f["base_rd"] * 30)) * np.where(
        f["rd_active"], 1.0, IP1_WITHOUT_RD
    )
    ip2_rate = np.exp(0.8 + 0.6 * z)
    digital_base = 1.6 + 0.55 * z + 0.5 * rng.standard_normal(n)
    cert_base = rng.random((n, len(schema.CERTIFICATIONS)))
    finance_propensity = (
        0.005
        * np.exp(0.9 * z)
        * np.where(founded_year >= years[0] - 8, 2.0, 0.6)
        * np.where(f["rd_active"], 1.0, FINANCING_WITHOUT_RD)
    )

    log_revenue = f["log_revenue0"].copy()
    columns: dict[str, list] = {name: [] for name in schema.ENTERPRISE_YEAR.column_names}
    for index, year in enumerate(years):
        if index > 0:
            log_revenue = log_revenue + np.log1p(np.clip(rng.normal(mean_growth, sd_growth), -0.6, 2.0))
            log_revenue = np.minimum(log_revenue, np.log(30_000_000_000))
        revenue = np.exp(log_revenue)
        alive = founded_year <= year
        main = revenue * np.clip(main_share + rng.normal(0, 0.015, n), 0.3, 1.0)
        rd = revenue * np.clip(rd_ratio * np.exp(rng.normal(0, 0.12, n)), 0, 0.6)
        assets = revenue / asset_turnover
        liabilities = assets * np.clip(debt_ratio + rng.normal(0, 0.03, n), 0.0, 1.4)
        employees = np.maximum(1, np.round(revenue / revenue_per_head)).astype(np.int64)
        rd_staff = np.minimum(employees, np.round(employees * rd_staff_share)).astype(np.int64)
        above_size = np.where(is_industrial, revenue >= 20_000_000, revenue >= 10_000_000)
        financing = np.where(
            rng.random(n) < finance_propensity, np.exp(rng.normal(np.log(15_000_000), 1.1, n)), 0.0
        )
        ip1 = rng.poisson(ip1_rate * (1 + 0.08 * index))
        ip2 = rng.poisson(ip2_rate * (1 + 0.1 * index))
        digital = np.clip(np.round(digital_base + 0.12 * index), 1, 4).astype(np.int64)
        niche_share = np.clip(
            niche_share_base * np.exp(rng.normal(0, 0.08, n)) * (revenue / revenue.mean()) ** 0.05, 0, 95
        )
        niche_rank = np.maximum(1, np.round(60 / (1 + niche_share) ** 1.3)).astype(np.int64)
        certs = _certifications(cert_base, z, revenue, index)
        years_in_niche = np.maximum(0, year - founded_year - np.where(z > 0, 0, 1))

        keep = np.flatnonzero(alive)
        columns["credit_code"].append(pa.array(f["codes"][keep], pa.string()))
        columns["fiscal_year"].append(pa.array(np.full(keep.size, year), pa.int64()))
        columns["operating_revenue"].append(yuan(revenue[keep]))
        columns["main_business_revenue"].append(yuan(np.minimum(main, revenue)[keep]))
        output = np.where(is_industrial, revenue * rng.normal(1.02, 0.05, n), 0.0)
        columns["industrial_output_value"].append(
            fen_array(np.round(output[keep] * 100).astype(np.int64), valid=is_industrial[keep])
        )
        columns["rd_expense"].append(yuan(rd[keep]))
        columns["employees"].append(pa.array(employees[keep], pa.int64()))
        columns["rd_staff"].append(pa.array(rd_staff[keep], pa.int64()))
        columns["total_assets"].append(yuan(assets[keep]))
        columns["total_liabilities"].append(yuan(liabilities[keep]))
        columns["net_profit"].append(yuan((revenue * (margin + rng.normal(0, 0.02, n)))[keep]))
        columns["new_equity_financing"].append(yuan(financing[keep]))
        columns["above_designated_size"].append(pa.array(above_size[keep], pa.bool_()))
        columns["ip_class1"].append(pa.array(ip1[keep], pa.int64()))
        columns["ip_class2"].append(pa.array(ip2[keep], pa.int64()))
        columns["digitalization_level"].append(pa.array(digital[keep], pa.int64()))
        columns["certifications"].append(pa.array(certs[keep], pa.string()))
        columns["niche_market_share"].append(
            pa.array(np.round(niche_share[keep], 2), pa.float64()).cast(pa.decimal128(7, 4))
        )
        columns["niche_rank"].append(pa.array(niche_rank[keep], pa.int64()))
        columns["years_in_niche"].append(pa.array(years_in_niche[keep], pa.int64()))
    return pa.table({name: pa.concat_arrays(parts) for name, parts in columns.items()})


def _certifications(cert_base: np.ndarray, z: np.ndarray, revenue: np.ndarray, index: int) -> np.ndarray:
    # ISO 9001 is common and grows with size; the others are rarer and sector-specific.
    base_p = np.array([0.35, 0.15, 0.10, 0.03, 0.05, 0.04, 0.06, 0.02, 0.02])
    size = np.clip((np.log10(np.maximum(revenue, 1)) - 6) / 3, 0, 1)
    p = base_p[None, :] * (0.5 + size[:, None] + 0.3 * np.maximum(z, 0)[:, None]) * (1 + 0.05 * index)
    held = cert_base < p
    labels = np.array(schema.CERTIFICATIONS)
    out = np.empty(len(z), dtype=object)
    for i, row in enumerate(held):
        out[i] = ";".join(labels[row]) if row.any() else None
    return out


# --- titles and exclusions -----------------------------------------------------------------------------------


def _titles(rng: np.random.Generator, f: dict[str, np.ndarray], panel: pa.Table, years: range) -> pa.Table:
    n = len(f["district"])
    z = f["capability"]
    size_score = _size_score(f["log_revenue0"])
    does_rd = f["rd_active"]
    counts = scaled_title_counts(n)
    last = years[-1]
    founded_year = np.array([dt.date.fromordinal(int(o)).year for o in f["founded_ordinal"]])
    eligible_age = founded_year <= last - 2
    is_manufacturing = np.char.startswith(f["industry"].astype(str), "C")

    def top(score: np.ndarray, k: int, mask: np.ndarray) -> np.ndarray:
        score = np.where(mask, score + 0.35 * rng.standard_normal(n), -np.inf)
        k = min(k, int(mask.sum()))
        return np.argpartition(-score, k - 1)[:k] if k > 0 else np.array([], dtype=np.int64)

    rows: list[tuple[np.ndarray, str, str]] = []
    sme = np.exp(f["log_revenue0"]) < 400_000_000
    # Designations go to research-intensive tracks too: the tiers all ask for R&D (calibration).
    research_weight = 15 * f["base_rd"]
    innovative = top(
        z + 1.6 * size_score + research_weight, counts["innovative_sme"], sme & eligible_age & does_rd
    )
    in_innovative = np.zeros(n, dtype=bool)
    in_innovative[innovative] = True
    ss = top(z + 1.5 * size_score + research_weight, counts["ss_sme"], in_innovative)
    in_ss = np.zeros(n, dtype=bool)
    in_ss[ss] = True
    giants = top(z + 2.5 * size_score + research_weight, counts["little_giant"], in_ss)
    champions_pool = is_manufacturing & (f["log_revenue0"] > np.log(150_000_000))
    champions = top(z + size_score, counts["single_champion"], champions_pool)
    rows += [
        (innovative, "innovative_sme", "municipal"),
        (ss, "ss_sme", "municipal"),
        (giants, "little_giant", "national"),
        (champions, "single_champion", "national"),
    ]
    for title, share in OTHER_TITLE_SHARES.items():
        # The innovation titles (high-tech, tech SME, R&D institution, IP, awards) all require research.
        pool = does_rd if title in RESEARCH_TITLES else np.ones(n, dtype=bool)
        chosen = top(z + 0.2 * size_score + research_weight, round(share * n), pool)
        level = {"high_tech": "national", "tech_sme": "national", "tech_innovation_demo": "national"}.get(
            title, "municipal"
        )
        rows.append((chosen, title, level))
    gazelles = top(z, max(1, round(300 * n / SHANGHAI_SCALE)), f["growth_type"] == "gazelle")
    unicorns = top(
        z + size_score,
        max(0, round(70 * n / SHANGHAI_SCALE)),
        (f["ownership"] == "private") & (founded_year >= last - 9),
    )
    potential = top(
        z, max(0, round(200 * n / SHANGHAI_SCALE)), (f["ownership"] == "private") & (founded_year >= last - 8)
    )
    rows += [
        (gazelles, "gazelle", "municipal"),
        (unicorns, "unicorn", "municipal"),
        (potential, "potential_unicorn", "municipal"),
    ]

    codes, titles, levels, starts, ends, ranks = [], [], [], [], [], []
    # Designation rounds are yearly (July); current holders come from the last three (titles last 3 years).
    round_dates = [dt.date(y, 7, 1) for y in range(last - 2, last + 1)]
    for chosen, title, level in rows:
        k = len(chosen)
        if k == 0:
            continue
        start = np.array(round_dates, dtype="datetime64[D]")[rng.integers(0, len(round_dates), k)]
        end = start + np.timedelta64(3 * 365, "D")
        if title in ("st_award", "maker_contest", "quality_award"):
            end = np.full(k, np.datetime64("NaT"), dtype="datetime64[D]")
            rank = rng.integers(1, 4 if title == "st_award" else 200, k).astype(float)
        else:
            rank = np.full(k, np.nan)
        codes.append(f["codes"][chosen])
        titles.append(np.full(k, title, dtype=object))
        levels.append(np.full(k, level, dtype=object))
        starts.append(start)
        ends.append(end)
        ranks.append(rank)
    # Some designations lapsed: an earlier round's title that was not renewed (history, not stock).
    lapsed = rng.choice(n, size=max(1, n // 100), replace=False)
    codes.append(f["codes"][lapsed])
    titles.append(np.full(lapsed.size, "innovative_sme", dtype=object))
    levels.append(np.full(lapsed.size, "municipal", dtype=object))
    lapsed_start = np.full(
        lapsed.size, np.datetime64(dt.date(max(2019, last - 6), 7, 1)), dtype="datetime64[D]"
    )
    starts.append(lapsed_start)
    ends.append(lapsed_start + np.timedelta64(3 * 365, "D"))
    ranks.append(np.full(lapsed.size, np.nan))

    rank_all = np.concatenate(ranks)
    end_all = np.concatenate(ends)
    table = pa.table(
        {
            "credit_code": pa.array(np.concatenate(codes), pa.string()),
            "title": pa.array(np.concatenate(titles), pa.string()),
            "level": pa.array(np.concatenate(levels), pa.string()),
            "valid_from": pa.array(np.concatenate(starts), pa.date32()),
            "valid_to": pa.array(end_all, pa.date32(), mask=np.isnat(end_all)),
            "rank": pa.array(np.nan_to_num(rank_all).astype(np.int64), pa.int64(), mask=np.isnan(rank_all)),
        }
    )
    return _unique_keys(table, schema.TITLE.key)


def _unique_keys(table: pa.Table, key: tuple[str, ...]) -> pa.Table:
    import pyarrow.compute as pc

    keys = table.select(list(key)).to_pandas()
    first = ~keys.duplicated().to_numpy()
    return table.filter(pc.invert(pa.array(~first)))


def _exclusions(rng: np.random.Generator, f: dict[str, np.ndarray], years: range) -> pa.Table:
    n = len(f["district"])
    kinds = np.array(schema.EXCLUSION_KINDS)
    # Abnormal operations are common and short; dishonesty and incidents rare; weaker firms more exposed.
    p_kind = np.array([0.003, 0.015, 0.0015, 0.001, 0.001, 0.0008, 0.0004])
    risk = np.exp(-0.4 * f["capability"])
    codes, kind_list, starts, ends, sources = [], [], [], [], []
    source_by_kind = {
        "serious_dishonesty": "市发展改革委",
        "abnormal_operations": "市市场监管局",
        "major_safety_incident": "市应急管理局",
        "major_quality_incident": "市市场监管局",
        "major_environmental_incident": "市生态环境局",
        "tax_evasion": "市税务局",
        "data_fraud": "市统计局",
    }
    first = dt.date(years[0], 1, 1).toordinal()
    last = dt.date(years[-1], 12, 31).toordinal()
    for kind, p in zip(kinds, p_kind, strict=True):
        chosen = np.flatnonzero(rng.random(n) < p * risk)
        start = rng.integers(first, last, chosen.size)
        duration = (
            rng.integers(90, 900, chosen.size)
            if kind == "abnormal_operations"
            else rng.integers(365, 1500, chosen.size)
        )
        ended = rng.random(chosen.size) < (0.7 if kind == "abnormal_operations" else 0.3)
        end = np.where(ended & (start + duration <= last), start + duration, 0)
        codes.append(f["codes"][chosen])
        kind_list.append(np.full(chosen.size, kind, dtype=object))
        starts.append(start)
        ends.append(end)
        sources.append(np.full(chosen.size, source_by_kind[kind], dtype=object))
    epoch = dt.date(1970, 1, 1).toordinal()
    end_all = np.concatenate(ends)
    table = pa.table(
        {
            "credit_code": pa.array(np.concatenate(codes), pa.string()),
            "kind": pa.array(np.concatenate(kind_list), pa.string()),
            "start_on": pa.array((np.concatenate(starts) - epoch).astype(np.int32), pa.int32()).cast(
                pa.date32()
            ),
            "end_on": pa.array((end_all - epoch).astype(np.int32), pa.int32(), mask=end_all == 0).cast(
                pa.date32()
            ),
            "source": pa.array(np.concatenate(sources), pa.string()),
        }
    )
    return _unique_keys(table, schema.EXCLUSION.key)


# --- applications --------------------------------------------------------------------------------------------


def _size_score(log_revenue: np.ndarray) -> np.ndarray:
    return np.clip((log_revenue - np.log(2_000_000)) / 3, -1.5, 2.5)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _applications(
    rng: np.random.Generator, f: dict[str, np.ndarray], panel: pa.Table, title: pa.Table, years: range
) -> pa.Table:
    """Facts only an application holds: tier designation applications with their self-declared assessment
    items (for firms on the ladder and strong candidates), and apply-mode measure applications (contracts,
    loans, guarantees, projects, water bills) in the last two fiscal years. Capability drives both."""
    n = len(f["district"])
    z = f["capability"]
    last = years[-1]
    index_of = {code: i for i, code in enumerate(f["codes"])}
    end_of_last = dt.date(last, 12, 31)
    current = {}
    for code, name, start, end in zip(
        title["credit_code"].to_pylist(),
        title["title"].to_pylist(),
        title["valid_from"].to_pylist(),
        title["valid_to"].to_pylist(),
        strict=True,
    ):
        if start <= end_of_last and (end is None or end >= end_of_last):
            current.setdefault(name, np.zeros(n, dtype=bool))[index_of[code]] = True
    empty = np.zeros(n, dtype=bool)
    first_rung = current.get("innovative_sme", empty)
    ss = current.get("ss_sme", empty)
    giant = current.get("little_giant", empty)
    champion = current.get("single_champion", empty)
    manufacturing = np.char.startswith(f["industry"].astype(str), "C")
    founded_year = np.array([dt.date.fromordinal(int(o)).year for o in f["founded_ordinal"]])
    alive = founded_year <= last

    # Tier applications: the rung above the one held; strong firms without a title apply for the first rung.
    candidate = alive & f["rd_active"] & ~first_rung & (z + 0.35 * rng.standard_normal(n) > 1.6)
    tier = np.full(n, "", dtype=object)
    tier[candidate] = "innovative_sme"
    tier[first_rung] = "ss_sme"
    tier[ss] = "little_giant"
    tier[(giant | champion) & manufacturing] = "single_champion"
    applying = np.flatnonzero(tier != "")
    za = z[applying]
    k = applying.size
    noise = rng.standard_normal((8, k))
    ip_grade = np.where(
        za + 0.5 * noise[0] > 1.4, "high_value", np.where(za + 0.5 * noise[0] > 0.6, "self_developed", None)
    )
    position = np.where(
        rng.random(k) < _sigmoid(1.6 * za - 1.2),
        "key_link",
        np.where(rng.random(k) < 0.35, "chain_support", "none"),
    )
    champion_review = tier[applying] == "single_champion"
    tiers = {
        "measure": tier[applying],
        "ip_grade": ip_grade,
        "supply_chain_position": position,
        "own_brand": rng.random(k) < _sigmoid(0.4 + 1.2 * za),
        "drafted_standards": rng.random(k) < _sigmoid(-0.8 + 1.2 * za),
        "distinctiveness_points": np.clip(np.round(8 + 3 * za + 2 * noise[1]), 0, 15).astype(np.int64),
        "ss_innovation_points": np.clip(np.round(13 + 5 * za + 3 * noise[2]), 0, 25).astype(np.int64),
        "development_quality_score": np.clip(np.round(50 + 11 * za + 6 * noise[3]), 0, 100).astype(np.int64),
        "niche_leading": rng.random(k) < _sigmoid(1.5 * za - 0.5),
        "key_field_product": rng.random(k) < _sigmoid(1.5 * za - 0.8),
        # Assessed only in a single-champion review: other tier applications leave them empty.
        "global_rank": np.where(
            champion_review,
            np.maximum(1, np.round(np.exp(2.7 - 0.9 * za + 0.5 * noise[4]))).astype(np.int64),
            None,
        ),
        "internationally_advanced": np.where(champion_review, rng.random(k) < _sigmoid(2.0 * za - 3.0), None),
    }
    submitted = np.array(
        [dt.date(last, 1, 1).toordinal() + int(d) for d in rng.integers(0, 365, k)], dtype=np.int64
    )
    rows = _application_rows(k)
    rows["credit_code"] = f["codes"][applying]
    rows["fiscal_year"] = np.full(k, last)
    rows["submitted_on"] = submitted
    rows.update(tiers)
    parts = [rows]

    # Valuations (a valuation application): young, privately funded firms with equity financing, valued at a
    # multiple of the round; the firms the city lists as unicorns and potential unicorns declare valuations in
    # their band (US$1 billion and up; US$50 million to 1 billion), so the list and the figures agree.
    year_rows = panel.filter(pa.compute.equal(panel["fiscal_year"], last))
    financing = np.zeros(n)
    codes_last = year_rows["credit_code"].to_pylist()
    for code, amount in zip(codes_last, year_rows["new_equity_financing"].to_pylist(), strict=True):
        financing[index_of[code]] = float(amount)
    young_private = alive & (f["ownership"] == "private") & (founded_year >= last - 9) & (financing > 0)
    unicorn = current.get("unicorn", empty)
    potential = current.get("potential_unicorn", empty) & ~unicorn
    valued = np.flatnonzero((young_private & (z + 0.5 * rng.standard_normal(n) > 1.0)) | unicorn | potential)
    if valued.size:
        rows = _application_rows(valued.size)
        rows["credit_code"] = f["codes"][valued]
        rows["measure"] = np.full(valued.size, "unicorn", dtype=object)
        rows["fiscal_year"] = np.full(valued.size, last)
        rows["submitted_on"] = np.full(valued.size, dt.date(last, 6, 30).toordinal())
        spread = rng.normal(0, 1, valued.size)
        usd = np.select(
            [unicorn[valued], potential[valued]],
            [
                1e9 * np.exp(0.8 * np.abs(spread)),
                np.minimum(8e7 * np.exp(0.8 * spread), 9.5e8),
            ],
            default=financing[valued] / 7.2 * np.exp(np.log(18) + 1.2 * spread),
        )
        rows["valuation_usd"] = np.round(usd, 2)
        parts.append(rows)

    # Apply-mode measures: (measure, share of firms, who, median amount, sd of log amount).
    sme = np.exp(f["log_revenue0"]) < 400_000_000
    on_ladder = first_rung | ss | giant
    plans = (
        ("M4.1", 0.03, alive & sme & (z > -0.5), "contract_value", 300_000, 0.8),
        ("M6.2c", 0.02, alive & sme, "contract_value", 200_000, 0.8),
        ("M3.4a", 0.005, alive & (z > 0), "loan_amount", 20_000_000, 0.9),
        ("M4.2a", 0.25, alive & on_ladder, "loan_amount", 10_000_000, 0.9),
        ("M4.2b", 0.05, alive & on_ladder, "guarantee_amount", 5_000_000, 1.0),
        ("M3.4b", 0.0005, alive & (z > 0.5), "approved_investment", 200_000_000, 0.8),
        ("M4.3", 0.05, alive & manufacturing, "water_excess_charge", 20_000, 1.0),
    )
    for measure, share, who, column, median, sd in plans:
        for year in (last - 1, last):
            chosen = np.flatnonzero(who & (rng.random(n) < share))
            m = chosen.size
            if m == 0:
                continue
            rows = _application_rows(m)
            rows["credit_code"] = f["codes"][chosen]
            rows["measure"] = np.full(m, measure, dtype=object)
            rows["fiscal_year"] = np.full(m, year)
            rows["submitted_on"] = np.array(
                [dt.date(year, 1, 1).toordinal() + int(d) for d in rng.integers(0, 365, m)], dtype=np.int64
            )
            amount = np.round(np.exp(rng.normal(np.log(median), sd, m)), 2)
            rows[column] = amount
            if measure in ("M4.1", "M6.2c"):
                rows["provider"] = f["codes"][rng.integers(0, n, m)]
                rows["provider_qualified"] = rng.random(m) < 0.9
            if measure in ("M3.4a", "M3.4b"):
                rows["project_qualified"] = rng.random(m) < 0.85
            if measure in ("M3.4a", "M4.2a"):
                rows["interest_paid"] = np.round(amount * rng.uniform(0.025, 0.04, m), 2)
            if measure == "M4.2b":
                rows["guarantee_fee"] = np.round(amount * rng.uniform(0.005, 0.015, m), 2)
            parts.append(rows)
    return _application_table(parts)


def _application_rows(k: int) -> dict[str, np.ndarray]:
    return {column.name: np.full(k, None, dtype=object) for column in schema.APPLICATION.columns}


def _application_table(parts: list[dict[str, np.ndarray]]) -> pa.Table:
    epoch = dt.date(1970, 1, 1).toordinal()
    arrays = {}
    total = sum(len(part["credit_code"]) for part in parts)
    for column in schema.APPLICATION.columns:
        values = np.concatenate([part[column.name] for part in parts]) if parts else np.array([])
        if column.name == "application_id":
            values = np.array([f"SQ{i:09d}" for i in range(total)], dtype=object)
        if column.dtype == "money":
            valid = np.array([v is not None for v in values], dtype=bool)
            fen = np.array([round(float(v) * 100) if v is not None else 0 for v in values], dtype=np.int64)
            arrays[column.name] = fen_array(fen, valid=valid)
        elif column.dtype == "date":
            days = np.array([int(v) - epoch for v in values], dtype=np.int32)
            arrays[column.name] = pa.array(days, pa.int32()).cast(pa.date32())
        elif column.dtype == "int":
            arrays[column.name] = pa.array([None if v is None else int(v) for v in values], pa.int64())
        elif column.dtype == "bool":
            arrays[column.name] = pa.array([None if v is None else bool(v) for v in values], pa.bool_())
        else:
            arrays[column.name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.table(arrays)
