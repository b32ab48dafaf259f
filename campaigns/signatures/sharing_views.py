"""The count badge and the embeddable widget for partner websites."""

from __future__ import annotations
