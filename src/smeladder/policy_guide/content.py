"""The words of the guide, per measure id (the same id as the pack's parameters, variables and tests).

`{name}` placeholders are parameter values of that measure, formatted by build.py (money as yuan, rates as
percentages); a figure the text leaves open is marked with * and explained at the end of the guide.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    id: str
    title_en: str
    title_zh: str
    who_en: str
    who_zh: str
    amount_en: str
    amount_zh: str
    prepare_en: str
    prepare_zh: str
    variable: str  # the pack variable with the result (paid amount or listing)


ENTRIES = (
    Entry(
        "M1.2a",
        "Reward for growing to above-designated size for the first time",
        '首次"小升规"奖励',
        "Industrial and software/information enterprises that enter the above-designated-size statistics for the "
        "first time.",
        "首次纳入规模以上统计的工业和软件信息服务业企业。",
        "Up to {cap}; the amount paid is {amount}.",
        "最高{cap};发放金额{amount}。",
        "Nothing: the platform finds you in the statistics data. Confirm your bank account when notified.",
        "无需申请:平台根据统计数据自动识别。收到通知后确认收款账户即可。",
        "m1_2a_paid",
    ),
    Entry(
        "M1.2b",
        "Growth reward for above-size enterprises",
        "规上企业成长奖励",
        "Enterprises already above designated size that keep growing.",
        "已是规模以上企业并保持增长的企业。",
        "Up to {cap}, by growth of operating revenue (default schedule, not yet confirmed: {schedule}).",
        "最高{cap},按营业收入增长情况确定(默认标准,尚未确认:{schedule})。",
        "Nothing: computed from your annual figures. Confirm your bank account when notified.",
        "无需申请:根据年度数据自动计算。收到通知后确认收款账户即可。",
        "m1_2b_paid",
    ),
    Entry(
        "M1.3b",
        "Support for fast-growing little giants",
        '高成长"小巨人"企业支持',
        "Little giants whose output value or revenue grew by more than {min_growth} in each of two consecutive "
        "years.",
        '产值或营业收入连续两年增长超过{min_growth}的专精特新"小巨人"企业。',
        "Up to {cap}; the amount paid is {amount}.",
        "最高{cap};发放金额{amount}。",
        "Nothing: computed from your annual figures. Confirm your bank account when notified.",
        "无需申请:根据年度数据自动计算。收到通知后确认收款账户即可。",
        "m1_3b_paid",
    ),
    Entry(
        "M3.4a",
        "Interest subsidy for technological transformation",
        "技术改造项目贴息",
        "Enterprises with qualified technological-transformation projects financed by bank loans or leasing.",
        "以银行贷款或融资租赁实施符合条件的技术改造项目的企业。",
        "{rate} of the interest paid in the year, at most {cap} per year.",
        "当年实付利息的{rate},每年最高{cap}。",
        "Apply with the project approval, the loan or lease contract and the interest paid (bank statements).",
        "提交项目备案或批复、贷款(融资租赁)合同及付息凭证申请。",
        "m3_4a_paid",
    ),
    Entry(
        "M3.4b",
        "Funding for major special projects",
        "重大专项支持",
        "Enterprises undertaking major special projects.",
        "承担重大专项的企业。",
        "Up to {rate} of the approved investment, at most {cap}.",
        "最高按核定投资的{rate}支持,上限{cap}。",
        "Apply with the project documents; the investment is approved in review.",
        "提交项目材料申请,投资额经审核核定。",
        "m3_4b_paid",
    ),
    Entry(
        "M4.1",
        "Digital transformation subsidy",
        "数字化转型服务补贴",
        "SMEs that buy services from a qualified digital service provider (the catalogue the platform keeps).",
        "向合格数字化服务商(平台目录内)购买服务的中小企业。",
        "Up to {rate} of the contract value, at most {cap} a year.",
        "最高为合同金额的{rate},每年最高{cap}。",
        "Apply with the service contract, the invoice and proof of payment.",
        "提交服务合同、发票及付款凭证申请。",
        "m4_1_paid",
    ),
    Entry(
        "M4.2a",
        "S&S SME Loan interest subsidy",
        '"专精特新贷"贴息',
        "Enterprises on the ladder that borrow under the S&S SME Loan.",
        '使用"专精特新贷"的梯度培育企业。',
        "Up to {rate} of the interest paid, at most {cap} a year.",
        "最高为实付利息的{rate},每年最高{cap}。",
        "Apply with the loan contract and the interest paid.",
        "提交贷款合同及付息凭证申请。",
        "m4_2a_paid",
    ),
    Entry(
        "M4.2b",
        "S&S SME Guarantee Program fee subsidy",
        "专精特新担保费补贴",
        "Enterprises on the ladder guaranteed under the program, up to {max_guarantee} per enterprise.",
        "纳入担保计划的梯度培育企业,单户担保最高{max_guarantee}。",
        "{fee_rate} of the guarantee fee, at most {cap} a year.",
        "担保费的{fee_rate},每年最高{cap}。",
        "Apply with the guarantee contract and the fee paid.",
        "提交担保合同及担保费缴纳凭证申请。",
        "m4_2b_paid",
    ),
    Entry(
        "M4.3",
        "Water excess-charge exemption (2025)",
        "阶梯水价超定额加价费减免(2025年)",
        "Enterprises charged excess-usage fees under tiered water pricing in 2025.",
        "2025年产生阶梯水价超定额加价费的企业。",
        "The whole excess charge billed for 2025 (refunded in the round after the year ends).",
        "免除2025年度全部超定额加价费(年度结束后的兑现轮次中返还)。",
        "Nothing, if your water bills reach the platform; otherwise submit the 2025 bills.",
        "如水费数据已共享则无需申请;否则提交2025年水费账单。",
        "m4_3_paid",
    ),
    Entry(
        "M5.5",
        "Listed as a key institution for talent introduction",
        "纳入人才引进重点机构名单",
        "Every S&S SME (little giants included).",
        '所有专精特新中小企业(含"小巨人")。',
        "A listing, not money: your recruits get the city's talent-introduction facilitation.",
        "列入名单(非资金):引进人才可享受本市人才引进便利。",
        "Nothing: the list follows the S&S titles.",
        "无需申请:名单随专精特新称号自动更新。",
        "m5_5_talent_list",
    ),
    Entry(
        "M6.2c",
        "Professional services subsidy",
        "专业服务补贴",
        "SMEs that buy professional services (technological innovation support, overseas-expansion consulting).",
        "购买专业服务(科技创新支持、出海咨询等)的中小企业。",
        "Up to {rate} of the contract value, at most {cap} a year.",
        "最高为合同金额的{rate},每年最高{cap}。",
        "Apply with the service contract, the invoice and proof of payment.",
        "提交服务合同、发票及付款凭证申请。",
        "m6_2c_paid",
    ),
)

COMMON = {
    "en": {
        "heading": "The Several Measures in plain words",
        "intro": "What Shanghai's Several Measures for specialized and sophisticated SMEs (2025) offer you: who "
        "qualifies, how much, how it is delivered and what to prepare. Generated from the policy pack on {day}; "
        "the figures are the platform's parameters.",
        "who": "Who qualifies",
        "amount": "How much",
        "delivery": "How it is delivered",
        "prepare": "What to prepare",
        "stacking": "Not combined with",
        "reference": "Legal basis",
        "auto": "Automatic (免申即享): no application",
        "apply": "On application, reviewed by an officer",
        "exclusions": "Nobody on a serious-dishonesty or abnormal-operations list, or with a major safety, quality "
        "or environmental incident, tax evasion or data fraud in the last 3 years, receives support.",
        "stacking_rule": "The same item is supported once: where two measures cover it, the higher amount is paid "
        "(就高不重复).",
        "unconfirmed": "Figures marked * are not stated in the published text or not yet confirmed; the amounts "
        "shown are the platform's defaults until the issuing office confirms them.",
        "district": "Districts add their own measures. Example (ILLUSTRATIVE, not a published measure): {example}",
        "ladder": "The ladder",
        "ladder_text": "Innovative SME (from 2026-04-01: tech-and-innovative SME) → S&S SME → little giant → "
        "manufacturing single champion. Ask the platform what you lack for the next rung: "
        "`smeladder readiness <credit code>`.",
        "groups": {
            "scale_growth": "M1.2a, M1.2b, M1.3b and district rewards for the same growth",
            "loan_interest": "M3.4a and M4.2a for the same interest",
            "service_contract": "M4.1 and M6.2c for the same service",
        },
    },
    "zh": {
        "heading": "《若干措施》政策解读(企业版)",
        "intro": "上海市促进专精特新中小企业发展壮大的若干措施(2025年)能为企业提供什么:谁可以享受、金额多少、如何兑现、"
        "需要准备什么。本文由政策包于{day}生成,数字即平台参数。",
        "who": "适用对象",
        "amount": "支持标准",
        "delivery": "兑现方式",
        "prepare": "需准备的材料",
        "stacking": "不与以下事项重复享受",
        "reference": "政策依据",
        "auto": "免申即享:无需申请",
        "apply": "依申请,经审核后兑现",
        "exclusions": "列入严重失信主体名单或经营异常名录,或近三年发生重大安全、质量、环境事故及偷税、数据造假的企业,不予支持。",
        "stacking_rule": "同一事项不重复支持:两项措施都适用时,按就高原则兑现。",
        "unconfirmed": "标 * 的数字在公开文本中未载明或尚待发文单位确认,在确认前按平台默认值显示。",
        "district": "各区可出台配套措施。示例(仅为示意,并非已发布政策):{example}",
        "ladder": "梯度培育",
        "ladder_text": '创新型中小企业(2026年4月1日起为科技和创新型中小企业)→ 专精特新中小企业 → 专精特新"小巨人" → '
        "制造业单项冠军。可通过 `smeladder readiness <统一社会信用代码>` 查询迈向下一梯度还差什么。",
        "groups": {
            "scale_growth": "同一成长事项的M1.2a、M1.2b、M1.3b及区级奖励",
            "loan_interest": "同一笔利息的M3.4a与M4.2a",
            "service_contract": "同一项服务的M4.1与M6.2c",
        },
    },
}
DISTRICT_EXAMPLE = {
    "en": "Minhang rewards the first year above size with {reward} (the higher of it and M1.2a is paid) and tops "
    "up M1.3b by {topup_rate}, at most {topup_cap}.",
    "zh": "闵行区对首次升规企业奖励{reward}(与M1.2a就高兑现),并按{topup_rate}对M1.3b配套,最高{topup_cap}。",
}
