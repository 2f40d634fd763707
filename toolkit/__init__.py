"""xfkit: training and quality-review toolkit for petition and report handling (信访举报)."""

from __future__ import annotations

__version__ = "0.1.0"
