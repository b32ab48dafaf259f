"""The API's blueprint. Its routes are written out in full (/api/v1/...): the human documentation is at /api.

Every route of the blueprint shares one rate limit per client address (CAMPAIGNS_API_RATE), counted in the same
storage as the site's other limits; every answer under /api/ may be read by any website (campaigns.api.cors).
"""

from flask import Blueprint, current_app

from campaigns.api.cors import allow_reading_from_anywhere
from campaigns.extensions import limiter

bp = Blueprint("api", __name__)
bp.after_app_request(allow_reading_from_anywhere)
limiter.limit(lambda: str(current_app.config["CAMPAIGNS_API_RATE"]))(bp)
