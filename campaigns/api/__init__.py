"""Open data and integrations: the public read API at /api/v1/, its OpenAPI description, and organisations' API
tokens for private reads."""
