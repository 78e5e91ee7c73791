"""Values a query can return, each of which must come back from a cache exactly as stored.

Defined at module level so every backend can store them (pickle finds classes by name).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict


class Plan(enum.Enum):
    FREE = "free"
    TEAM = "team"


class Priority(enum.IntEnum):
    LOW = 1
    HIGH = 2


@dataclass(frozen=True, slots=True)
class AccountReadModel:
    id: UUID
    email: str
    balance: Decimal
    plan: Plan
    created_at: datetime
    manager_id: UUID | None
    labels: tuple[str, ...]


class AccountSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    balance: Decimal
    plan: Plan
    updated_at: datetime
    nickname: str | None = None


ACCOUNT_ID = UUID("6f1c1f43-5a4e-4c35-9a57-0c4f1b0f2d11")
KOLKATA_NOON = datetime(
    2024, 2, 29, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))
)
ACCOUNT = AccountReadModel(
    id=ACCOUNT_ID,
    email="ada@example.com",
    balance=Decimal("1250.50"),
    plan=Plan.TEAM,
    created_at=KOLKATA_NOON,
    manager_id=None,
    labels=("beta", "vip"),
)
SUMMARY = AccountSummary(
    id=ACCOUNT_ID,
    balance=Decimal("-0.000"),
    plan=Plan.FREE,
    updated_at=datetime(2025, 10, 26, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),
)

# id -> value; the id names the parametrized test case.
ROUND_TRIP_VALUES: dict[str, object] = {
    "none": None,
    "uuid": ACCOUNT_ID,
    "decimal-keeps-its-exponent": Decimal("12.340"),
    "datetime-keeps-its-offset": KOLKATA_NOON,
    "datetime-keeps-its-zone": datetime(2024, 3, 31, 1, 59, tzinfo=ZoneInfo("Europe/London")),
    "datetime-utc": datetime(2030, 1, 1, tzinfo=UTC),
    "enum-member": Plan.TEAM,
    "int-enum-member": Priority.HIGH,
    "frozen-slotted-dataclass": ACCOUNT,
    "pydantic-model": SUMMARY,
    "list-of-read-models": [ACCOUNT, SUMMARY, None],
    "dict-of-mixed-values": {"total": Decimal("3.0"), "ids": [ACCOUNT_ID], "page": 1, "ok": True},
    "empty-list": [],
    "text": "naïve café ✓",
}
