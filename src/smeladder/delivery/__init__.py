"""Delivery: automatic-entitlement rounds (免申即享), budgets, the append-only ledger, payment files and the
audit chain. See docs/delivery.md."""
