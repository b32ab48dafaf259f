"""The statement owners' settings for collecting signatures."""

from __future__ import annotations
