"""`ledger` and `payment-file verify` on the demo data, as an officer types them: the exit code says whether
the file is intact (1 when it is not, the line named on stderr) and whether the round exists (3)."""

from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from smeladder.cli import app

runner = CliRunner()


def invoke(home, *args: str):
    return runner.invoke(app, list(args), env={"SMELADDER_HOME": str(home), "COLUMNS": "200"})


def test_the_demo_rounds_ledger_and_payment_file_agree_and_a_changed_file_exits_1(demo_copy):
    (payment,) = (demo_copy / "delivery" / "payments").glob("payment-round1-*.csv")
    ledger = json.loads(invoke(demo_copy, "ledger", "--round", "1", "--limit", "0", "--json").stdout)
    checked = invoke(demo_copy, "payment-file", "verify", str(payment), "--json")
    assert checked.exit_code == 0, checked.output
    check = json.loads(checked.stdout)
    assert check["intact"] and (check["lines"], check["total"]) == (ledger["count"], ledger["total"])

    lines = payment.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[12] = str(Decimal(fields[12]) + 1)  # one yuan more on the first line
    lines[1] = ",".join(fields)
    payment.write_text("".join(lines), encoding="utf-8")
    payment.with_name(payment.name + ".sha256").unlink()
    refused = invoke(demo_copy, "payment-file", "verify", str(payment))
    assert refused.exit_code == 1
    assert "line 2: line checksum does not match its content" in " ".join(refused.stderr.split())


def test_a_round_that_does_not_exist_exits_3(demo_copy):
    missing = invoke(demo_copy, "ledger", "--round", "99")
    assert missing.exit_code == 3 and "no round 99" in missing.stderr
