"""Generate entitlement-results tables in the documented format: for the tests, the benchmark and the demo.

This is test data in the real format (what the engine's adapter writes), not a stand-in for the source: rounds
read it through the same `EntitlementResults` as production results. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from smeladder import money
from smeladder.delivery.results import ACCOUNT_SCHEMA, RESULTS_SCHEMA, write_results
from smeladder.registry import credit_code as credit_codes
from smeladder.registry.synth import BANKS

# Shanghai's 16 districts (national adcodes).
SHANGHAI_ADCODES = (
    "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
    "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151",
)  # fmt: skip


# The measure sample results are for unless told otherwise: one of the Shanghai pack's automatic measures.
SAMPLE_MEASURE = "M1.2b"


def credit_code(serial: int) -> str:
    """A valid unified social credit code (GB 32100-2015) for `serial`, registered in Pudong (310115)."""
    return credit_codes.make("310115", serial)


def entitlement_results(
    enterprises: int,
    *,
    measure_id: str = SAMPLE_MEASURE,
    period: str = "2025",
    run_id: str = "run-2026-01-15T000000-0001",
    as_of: date = date(2026, 1, 15),
    rule_version: str = "sha256:" + "ab" * 32,
    input_snapshot: str = "registry@2026-01-15",
    stacking_group: str = "growth_reward",
    level: str = "municipal",
    eligible_share: float = 0.6,
    max_amount_yuan: int = 400_000,
    first_serial: int = 0,
    seed: int = 7,
    without_account_share: float = 0.0,
) -> pa.Table:
    """`enterprises` rows for one run, measure and period; about `eligible_share` of them eligible, and
    about `without_account_share` of them without an account on file."""
    rng = random.Random(seed)
    unbanked = random.Random(seed + 1)  # its own draws: the amounts do not depend on the share
    codes, adcodes, eligible, amounts, reasons = [], [], [], [], []
    accounts: dict[str, list[str]] = {name: [] for name in ACCOUNT_SCHEMA.names}
    for i in range(enterprises):
        is_eligible = rng.random() < eligible_share
        growth = round(rng.uniform(-10, 60), 1)
        amount = (
            Decimal(rng.randrange(1_000_000, max_amount_yuan * 100 + 1)) / 100 if is_eligible else Decimal(0)
        )
        codes.append(credit_code(first_serial + i))
        adcodes.append(SHANGHAI_ADCODES[i % len(SHANGHAI_ADCODES)])
        eligible.append(is_eligible)
        amounts.append(amount.quantize(money.FEN))
        reasons.append(json.dumps({"growth_rate": growth, "criteria": [f"revenue growth {growth}% >= 20%"]}))
        has_account = unbanked.random() >= without_account_share
        serial = first_serial + i
        accounts["account_name"].append(f"样本企业{serial}有限公司" if has_account else "")
        accounts["account_no"].append(f"6222{serial:015d}" if has_account else "")
        accounts["bank_name"].append(BANKS[serial % len(BANKS)] if has_account else "")
    n = enterprises
    return pa.table(
        {
            "run_id": [run_id] * n,
            "as_of": [as_of] * n,
            "rule_version": [rule_version] * n,
            "input_snapshot": [input_snapshot] * n,
            "credit_code": codes,
            "district_adcode": adcodes,
            "measure_id": [measure_id] * n,
            "period": [period] * n,
            "eligible": eligible,
            "amount": amounts,
            "stacking_group": [stacking_group] * n,
            "level": [level] * n,
            "reasons_json": reasons,
            **accounts,
        },
        schema=pa.schema([*RESULTS_SCHEMA, *ACCOUNT_SCHEMA]),
    )


def write_sample(path: Path | str, enterprises: int, **options: object) -> Path:
    return write_results(entitlement_results(enterprises, **options), path)
