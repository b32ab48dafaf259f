"""The public list of signatories, its exports, and what partner websites embed."""

from __future__ import annotations
