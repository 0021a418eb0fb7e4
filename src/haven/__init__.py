"""Haven: AI-assisted mental-health care with a clinician in the loop."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
