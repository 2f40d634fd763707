"""Ledger (台账) files: export now; import and validation build on the same column map."""

from __future__ import annotations
