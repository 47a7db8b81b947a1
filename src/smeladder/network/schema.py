"""The service network's reference tables, described with the registry's `Column`/`Table` specs so that one
validator (`smeladder.registry.validation`) checks an officer's station and partner files the same way it
checks enterprise files, and `docs/network.md` lists the same columns.
"""

from __future__ import annotations

import pyarrow as pa

from smeladder.registry.schema import Column, Table

# What a station or partner offers, with the measure that asks for it.
SERVICES = (
    "policy_consulting",  # 政策咨询: the measures themselves, M6.4 plain-language version
    "financing",  # 融资对接: M4.2 loans and guarantees
    "digital_transformation",  # 数字化转型: M4.1
    "technology_innovation",  # 科技创新: M6.2c technological innovation support
    "going_global",  # 出海服务: M5.3, M6.2c overseas-expansion consulting
    "legal_compliance",  # 法律合规
    "intellectual_property",  # 知识产权: M3.1
    "talent",  # 人才服务: M5.2, M5.5
    "quality_standards",  # 质量标准: M2.1
    "listing",  # 上市辅导: M1.5
    "market_matchmaking",  # 供需对接: M3.6
)
# Kinds of partner; the measure that lists each is the pack's (measures.yaml `partners`).
PARTNER_KINDS = (
    "service_partner",  # 优质服务伙伴: M6.2b, "1,000 outstanding service partners"
    "digital_transformation",  # 数字化转型服务商: M4.1 qualified digital service providers
    "professional_service",  # 专业服务机构: M6.2c professional services bought by SMEs
    "going_global",  # 出海服务机构: M5.3 directory of professional institutions
)
OPERATORS = ("district_centre", "subdistrict", "park", "association", "service_provider")

_ONE_SERVICE = "(" + "|".join(SERVICES) + ")"
SERVICE_LIST_PATTERN = f"{_ONE_SERVICE}(;{_ONE_SERVICE})*"
ID_PATTERN = r"[A-Za-z0-9_-]{3,32}"


def _latitude(required: bool) -> Column:
    return Column(
        "latitude",
        "float",
        "Latitude (GCJ-02, as the district polygons and the enterprise registry)",
        "纬度",
        required=required,
        unit="degree",
        used_by="M6.2b 3-km service circle",
        minimum=30.6,
        maximum=31.9,
    )


def _longitude(required: bool) -> Column:
    return Column(
        "longitude",
        "float",
        "Longitude (GCJ-02)",
        "经度",
        required=required,
        unit="degree",
        used_by="M6.2b 3-km service circle",
        minimum=120.8,
        maximum=122.2,
    )


STATION = Table(
    name="station",
    description="Public-interest SME service stations (M6.2b): one row per station, open or closed.",
    key=("station_id",),
    references_enterprise=False,
    row_rules=(("closed_after_opened", "closed_on > opened_on", "closed_on must be after opened_on"),),
    columns=(
        Column("station_id", "str", "Station identifier", "服务站编号", pattern=ID_PATTERN),
        Column("name_zh", "str", "Station name in Chinese", "服务站名称"),
        Column("name_en", "str", "English name", "英文名称", required=False),
        Column("address", "str", "Street address", "地址"),
        _latitude(required=True),
        _longitude(required=True),
        Column(
            "district_adcode",
            "str",
            "District the station is in (national administrative code); must contain the location",
            "所属区(行政区划代码)",
            used_by="coverage by district",
        ),
        Column("operator", "str", "Who runs it", "运营主体类型", choices=OPERATORS),
        Column("operator_name", "str", "Name of the operating body", "运营单位", required=False),
        Column(
            "opening_hours",
            "str",
            "Opening hours, e.g. 'Mon-Fri 09:00-17:00'",
            "开放时间",
            required=False,
        ),
        Column(
            "services",
            "str",
            "Services offered, ';'-separated (e.g. policy_consulting;financing)",
            "服务内容",
            pattern=SERVICE_LIST_PATTERN,
        ),
        Column(
            "capacity_per_week",
            "int",
            "Consultations the station can take in a week",
            "每周服务能力",
            unit="consultations",
            minimum=1,
            maximum=10_000,
        ),
        Column("phone", "str", "Telephone", "联系电话", required=False, pattern=r"[0-9+() -]{5,20}"),
        Column("opened_on", "date", "First day open", "启用日期"),
        Column(
            "closed_on",
            "date",
            "First day no longer open (empty: still open)",
            "停用日期",
            required=False,
        ),
    ),
)

PARTNER = Table(
    name="partner",
    description="Service partners and providers: M6.2b service partners, M4.1 digital-transformation "
    "providers, M6.2c professional-service providers, M5.3 going-global institutions.",
    key=("partner_id",),
    references_enterprise=False,
    row_rules=(
        ("delisted_after_listed", "delisted_on > listed_on", "delisted_on must be after listed_on"),
        (
            "location_complete",
            "(latitude IS NULL) = (longitude IS NULL)",
            "latitude and longitude must be given together",
        ),
    ),
    columns=(
        Column("partner_id", "str", "Partner identifier", "服务机构编号", pattern=ID_PATTERN),
        Column("name_zh", "str", "Name in Chinese", "机构名称"),
        Column("name_en", "str", "English name", "英文名称", required=False),
        Column(
            "kind",
            "str",
            "Kind of partner (the measure that lists it)",
            "机构类别",
            choices=PARTNER_KINDS,
            used_by="M6.2b, M4.1, M6.2c, M5.3",
        ),
        Column(
            "services",
            "str",
            "Services offered, ';'-separated",
            "服务内容",
            pattern=SERVICE_LIST_PATTERN,
        ),
        Column(
            "credit_code",
            "str",
            "The provider's own unified social credit code, if registered in Shanghai",
            "统一社会信用代码",
            required=False,
        ),
        Column(
            "district_adcode",
            "str",
            "District of its office (empty: serves the whole city from outside it)",
            "所在区",
            required=False,
        ),
        Column("address", "str", "Office address", "地址", required=False),
        _latitude(required=False),
        _longitude(required=False),
        Column("contact", "str", "Contact person or desk", "联系人", required=False),
        Column("phone", "str", "Telephone", "联系电话", required=False, pattern=r"[0-9+() -]{5,20}"),
        Column("website", "str", "Website", "网址", required=False, pattern=r"https?://\S+"),
        Column("listed_on", "date", "Date admitted to the list", "入库日期"),
        Column(
            "delisted_on", "date", "First day off the list (empty: still listed)", "出库日期", required=False
        ),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (STATION, PARTNER)}

_ARROW_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow layout of a network table, as the synthetic sets are built."""
    return pa.schema([(c.name, _ARROW_TYPES[c.dtype]) for c in table.columns])
