"""What every service result is made of: Pydantic models with a stable JSON form.

The CLI prints them with `--json`, the HTTP API returns them, and their JSON schemas are the contract both
publish. Money is `Decimal` yuan, serialised as a string ("1234.50"), never a float.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Result(BaseModel):
    """Base of every service result model: immutable, read from attributes of domain objects."""

    model_config = ConfigDict(frozen=True, from_attributes=True, extra="forbid")
