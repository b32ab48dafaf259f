"""The statement owners' list of signatures, with contact details and moderation."""

from __future__ import annotations
