"""Innovation points: three bands from the annex, one of them a share compared exactly."""

from smeladder.rules import INT, Enum, variable


@variable(
    type=INT,
    period="instant",
    label="Innovation points",
    label_zh="创新积分",
    reference="Riverside Order 7/2023, Annex",
)
def innovation_points(v, period, p):
    year = period.last_year
    return (
        p.points.rd_intensity.lookup_share(v.rd_expense(year), v.revenue(year))
        + p.points.staff.lookup(v.employees(year))
        + p.points.ip.lookup(v.ip_class1(year))
    )


@variable(
    type=Enum({"starter": ("starter", "起步"), "grower": ("grower", "成长"), "leader": ("leader", "领先")}),
    period="instant",
    label="Innovation stage",
    label_zh="创新阶段",
)
def innovation_stage(v, period, p):
    import ibis

    points = v.innovation_points(period)
    return ibis.cases((points >= 40, "leader"), (points >= 20, "grower"), else_="starter")
