"""Ledger (台账) files: import with validation, export, and the views the dashboard shows."""

from __future__ import annotations
