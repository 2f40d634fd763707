"""Pure domain: codes with zh/en labels and frozen dataclasses. No I/O, no UI, no database."""

from __future__ import annotations

from toolkit.domain.codes import (
    CardColor,
    Category,
    Channel,
    Clock,
    Coded,
    Disposal,
    DocumentType,
    Flag,
    ItemStatus,
    Level,
    ManagementLevel,
    RouteAction,
    Sex,
    StartEvent,
)
from toolkit.domain.models import Cadre, Case, LedgerItem, Material, Person, Reporter, Route, Truth, Turn

__all__ = [
    "Cadre",
    "CardColor",
    "Case",
    "Category",
    "Channel",
    "Clock",
    "Coded",
    "Disposal",
    "DocumentType",
    "Flag",
    "ItemStatus",
    "LedgerItem",
    "Level",
    "ManagementLevel",
    "Material",
    "Person",
    "Reporter",
    "Route",
    "RouteAction",
    "Sex",
    "StartEvent",
    "Truth",
    "Turn",
]
