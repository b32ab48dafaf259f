"""The API's documentation for people, at /api: what there is, how to ask for it, and every operation, read from
the same OpenAPI description that programs use."""

from __future__ import annotations

from flask import render_template

from campaigns.api.blueprint import bp
from campaigns.api.openapi import VERSION, document
from campaigns.caching import public_page
from campaigns.urls import external_url


@bp.get("/api")
@public_page()
def documentation() -> str:
    described = document()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "private": bool(operation.get("security")),
            "parameters": operation.get("parameters", []),
        }
        for path, methods in described["paths"].items()
        for method, operation in methods.items()
    ]
    return render_template(
        "api/documentation.html",
        operations=operations,
        version=VERSION,
        base=external_url("api.index").rstrip("/"),
    )
