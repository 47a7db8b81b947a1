"""The service layer: one function per thing a user can do, the same for every interface.

Each module is one noun (`enterprises`, `rounds`, `budgets`, ...), mirrored by `cli/<noun>.py` and, later,
`api/<noun>.py`. A service function takes an `AppContext` and typed arguments and returns a Pydantic result
model (`models.py`), or raises one of the errors of `smeladder.errors`; it never prints and knows nothing of
Typer or HTTP. See docs/architecture.md for what each layer may import.
"""
