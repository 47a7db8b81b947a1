"""What is paid: "no double support for the same item; the higher applies" (不重复支持, 就高不重复; MEASURES.md,
rules across measures), per enterprise and support year, across levels (municipal and district).

Stacking groups (each also a parameter `<measure>.stacking_group`, shown in the guide):
- scale_growth: M1.2a, the district's own M1.2a-like reward, M1.2b, M1.3b — one enterprise's growth in scale in
  one year is one item;
- loan_interest: M3.4a and M4.2a — interest on a loan is subsidised once;
- service_contract: M4.1 and M6.2c — a purchased service is subsidised once.
M3.4b, M4.2b and M4.3 stand alone. Ties go to the measure listed first.
"""

from smeladder.rules import MONEY, higher_applies, variable

SM = "《上海市促进专精特新中小企业发展壮大的若干措施》; 就高不重复"


def _scale_growth(v, period):
    return [
        v.m1_2a_amount(period),
        v.district_m1_2a_amount(period),
        v.m1_2b_amount(period),
        v.m1_3b_amount(period),
    ]


def _loan_interest(v, period):
    return [v.m3_4a_amount(period), v.m4_2a_amount(period)]


def _service_contract(v, period):
    return [v.m4_1_amount(period), v.m6_2c_amount(period)]


@variable(type=MONEY, period="instant", benefit=True, label="M1.2a paid", label_zh="M1.2a 实发", reference=SM)
def m1_2a_paid(v, period, p):
    return higher_applies(_scale_growth(v, period), 0)


@variable(
    type=MONEY,
    period="instant",
    benefit=True,
    label="Minhang first-year-above-size reward paid (ILLUSTRATIVE)",
    label_zh="闵行区首次小升规奖励实发(示例)",
    reference=SM,
)
def district_m1_2a_paid(v, period, p):
    return higher_applies(_scale_growth(v, period), 1)


@variable(type=MONEY, period="instant", benefit=True, label="M1.2b paid", label_zh="M1.2b 实发", reference=SM)
def m1_2b_paid(v, period, p):
    return higher_applies(_scale_growth(v, period), 2)


@variable(type=MONEY, period="instant", benefit=True, label="M1.3b paid", label_zh="M1.3b 实发", reference=SM)
def m1_3b_paid(v, period, p):
    return higher_applies(_scale_growth(v, period), 3)


@variable(type=MONEY, period="instant", benefit=True, label="M3.4a paid", label_zh="M3.4a 实发", reference=SM)
def m3_4a_paid(v, period, p):
    return higher_applies(_loan_interest(v, period), 0)


@variable(type=MONEY, period="instant", benefit=True, label="M4.2a paid", label_zh="M4.2a 实发", reference=SM)
def m4_2a_paid(v, period, p):
    return higher_applies(_loan_interest(v, period), 1)


@variable(type=MONEY, period="instant", benefit=True, label="M4.1 paid", label_zh="M4.1 实发", reference=SM)
def m4_1_paid(v, period, p):
    return higher_applies(_service_contract(v, period), 0)


@variable(type=MONEY, period="instant", benefit=True, label="M6.2c paid", label_zh="M6.2c 实发", reference=SM)
def m6_2c_paid(v, period, p):
    return higher_applies(_service_contract(v, period), 1)


@variable(type=MONEY, period="instant", benefit=True, label="M3.4b paid", label_zh="M3.4b 实发", reference=SM)
def m3_4b_paid(v, period, p):
    return v.m3_4b_amount(period)


@variable(type=MONEY, period="instant", benefit=True, label="M4.2b paid", label_zh="M4.2b 实发", reference=SM)
def m4_2b_paid(v, period, p):
    return v.m4_2b_amount(period)


@variable(
    type=MONEY, period="instant", benefit=True, label="M4.3 exempted", label_zh="M4.3 减免", reference=SM
)
def m4_3_paid(v, period, p):
    return v.m4_3_amount(period)


PAID = (
    "m1_2a_paid",
    "district_m1_2a_paid",
    "m1_2b_paid",
    "m1_3b_paid",
    "m3_4a_paid",
    "m3_4b_paid",
    "m4_1_paid",
    "m4_2a_paid",
    "m4_2b_paid",
    "m4_3_paid",
    "m6_2c_paid",
)


@variable(
    type=MONEY,
    period="instant",
    label="Total support for the year (municipal and district)",
    label_zh="年度支持合计(市级及区级)",
)
def total_support(v, period, p):
    total = v.district_m1_3b_topup_paid(period)
    for name in PAID:
        total = total + v(name, period)
    return total
