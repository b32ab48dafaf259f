"""The regions' keys as an enumeration, for the API's description."""

import enum

from campaigns.organisations.models import REGIONS

Region = enum.StrEnum("Region", {key.upper(): key for key in REGIONS})  # type: ignore[misc]
