"""Titles an enterprise holds on a date, and the awards and contest ranks the direct conditions read.

A title counts while valid: from `valid_from` to `valid_to` inclusive (an empty `valid_to` has no end). Titles
are valid 3 years (TIERS.md); a title granted under the 2022 rule set stays valid to its expiry after
2026-04-01, so the 2026 S&S condition "holds the tech-and-innovative title" also accepts a valid 2022
innovative-SME title. For Shanghai, a provincial-level title or award is a municipal one (level `municipal`).
"""

from smeladder.rules import BOOL, INT, Aggregate, lit

PROVINCIAL_OR_HIGHER = ("national", "municipal")


def _valid_on(rows, day):
    return (rows.valid_from <= day) & (rows.valid_to.isnull() | (rows.valid_to >= day))


def _holds(*titles, levels=None):
    def where(rows, period, p):
        condition = rows.title.isin(titles) & _valid_on(rows, period.date)
        if levels:
            condition = condition & rows.level.isin(levels)
        return condition

    return where


def _within_lookback(title, levels):
    def where(rows, period, p):
        since = lit(period.date) - p.titles.award_lookback_years.as_interval("Y")
        return (
            (rows.title == title)
            & rows.level.isin(levels)
            & (rows.valid_from <= period.date)
            & (rows.valid_from >= since)
        )

    return where


holds_innovative_sme = Aggregate(
    "title",
    "exists",
    where=_holds("innovative_sme"),
    type=BOOL,
    label="Holds a valid innovative-SME title",
    label_zh="持有有效的创新型中小企业称号",
)
holds_tech_innovative_sme = Aggregate(
    "title",
    "exists",
    where=_holds("tech_innovative_sme"),
    type=BOOL,
    label="Holds a valid tech-and-innovative SME title",
    label_zh="持有有效的科技和创新型中小企业称号",
)
holds_first_rung = Aggregate(
    "title",
    "exists",
    where=_holds("innovative_sme", "tech_innovative_sme"),
    type=BOOL,
    label="Holds a valid innovative or tech-and-innovative SME title",
    label_zh="持有有效的创新型或科技和创新型中小企业称号",
)
holds_ss_sme = Aggregate(
    "title",
    "exists",
    where=_holds("ss_sme"),
    type=BOOL,
    label="Holds a valid S&S SME title",
    label_zh="持有有效的专精特新中小企业称号",
)
holds_little_giant = Aggregate(
    "title",
    "exists",
    where=_holds("little_giant"),
    type=BOOL,
    label="Holds a valid little-giant title",
    label_zh='持有有效的专精特新"小巨人"称号',
)
holds_single_champion = Aggregate(
    "title",
    "exists",
    where=_holds("single_champion"),
    type=BOOL,
    label="Holds a valid manufacturing single champion title",
    label_zh="持有有效的制造业单项冠军称号",
)
holds_high_tech = Aggregate(
    "title",
    "exists",
    where=_holds("high_tech"),
    type=BOOL,
    label="Holds a valid high-tech enterprise title",
    label_zh="持有有效的高新技术企业称号",
)
holds_tech_innovation_demo = Aggregate(
    "title",
    "exists",
    where=_holds("tech_innovation_demo", levels=("national",)),
    type=BOOL,
    label="Holds a national technology-innovation demonstration title",
    label_zh="持有国家级技术创新示范企业称号",
)
holds_ip_advantage = Aggregate(
    "title",
    "exists",
    where=_holds("ip_advantage"),
    type=BOOL,
    label="Holds an IP-advantage or IP-demonstration title",
    label_zh="持有知识产权优势或示范企业称号",
)
holds_rd_institution = Aggregate(
    "title",
    "exists",
    where=_holds("rd_institution", levels=PROVINCIAL_OR_HIGHER),
    type=BOOL,
    label="Has a provincial/ministerial-level or higher R&D institution",
    label_zh="建有省级以上研发机构",
)
holds_quality_award = Aggregate(
    "title",
    "exists",
    where=_holds("quality_award", levels=PROVINCIAL_OR_HIGHER),
    type=BOOL,
    label="Holds a provincial-or-higher quality award",
    label_zh="获得省级以上质量奖",
)
holds_gazelle = Aggregate(
    "title", "exists", where=_holds("gazelle"), type=BOOL, label="Listed as a gazelle", label_zh="瞪羚企业"
)
holds_unicorn = Aggregate(
    "title", "exists", where=_holds("unicorn"), type=BOOL, label="Listed as a unicorn", label_zh="独角兽企业"
)
st_award_recent = Aggregate(
    "title",
    "exists",
    where=_within_lookback("st_award", PROVINCIAL_OR_HIGHER),
    type=BOOL,
    label="National or provincial S&T award in the last 3 years",
    label_zh="近三年获得国家级或省级科技奖励",
)
best_award_rank = Aggregate(
    "title",
    "min",
    column="rank",
    where=_within_lookback("st_award", PROVINCIAL_OR_HIGHER),
    type=INT,
    label="Best rank of a provincial-or-higher S&T award in the last 3 years",
    label_zh="近三年省级以上科技奖励最好排名",
)
best_national_award_rank = Aggregate(
    "title",
    "min",
    column="rank",
    where=_within_lookback("st_award", ("national",)),
    type=INT,
    label="Best rank of a national S&T award in the last 3 years",
    label_zh="近三年国家级科技奖励最好排名",
)
best_maker_rank = Aggregate(
    "title",
    "min",
    column="rank",
    where=_within_lookback("maker_contest", ("national", "municipal", "district")),
    type=INT,
    label="Best rank in the 创客中国 contest in the last 3 years",
    label_zh='近三年"创客中国"大赛最好名次',
)
