"""Common Ground: councils and voluntary and community sector organisations lobbying together."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from campaigns.config import instance_folder, load_config
from campaigns.database import configure_engine
from campaigns.extensions import csrf, db, limiter, login_manager, mail, migrate
from campaigns.templating import PageEnvironment

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration from the environment, then `overrides` (tests use them)."""
    instance_path = instance_folder(os.environ, ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.jinja_environment = PageEnvironment
    app.config.from_mapping(load_config(instance_path, os.environ))
    if overrides:
        app.config.from_mapping(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _configure_logging(app)
    if app.config["CAMPAIGNS_TRUSTED_PROXIES"]:
        n = app.config["CAMPAIGNS_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)

    from campaigns import cli, http, templating
    from campaigns.accounts import resume, sessions
    from campaigns.accounts import views as accounts
    from campaigns.api import views as api
    from campaigns.audit import views as audit
    from campaigns.consultations import hooks as consultation_hooks  # noqa: F401  (closed: no sending to them)
    from campaigns.consultations import views as consultations
    from campaigns.mailings import hooks as mailing_hooks  # noqa: F401  (bounces suppress addresses)
    from campaigns.mailings import views as mailings
    from campaigns.organisations import acting, name_index  # noqa: F401  (names indexed)
    from campaigns.organisations import views as organisations
    from campaigns.outbox import views as outbox
    from campaigns.privacy import hooks as privacy_hooks  # noqa: F401  (the worker builds data downloads)
    from campaigns.privacy import views as privacy
    from campaigns.public import views as public
    from campaigns.signatures import hooks  # noqa: F401  (signatures follow statements and organisations)
    from campaigns.signatures import views as signatures
    from campaigns.statements import views as statements
    from campaigns.submissions import views as submissions
    from campaigns.webhooks import hooks as webhook_hooks  # noqa: F401  (events queue webhooks; the worker sends them)
    from campaigns.webhooks import views as webhooks

    sessions.init_app(app)
    resume.init_app(app)
    acting.init_app(app)
    templating.init_app(app)
    http.init_app(app)
    cli.init_app(app)
    # Every area's blueprint.py makes its blueprint; importing its views.py puts all its routes on it.
    for area in (
        public,
        accounts,
        organisations,
        statements,
        signatures,
        submissions,
        consultations,
        mailings,
        audit,
        outbox,
        privacy,
        api,
        webhooks,
    ):
        app.register_blueprint(area.bp)
    return app


def _configure_logging(app: Flask) -> None:
    level = app.config["CAMPAIGNS_LOG_LEVEL"]
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("campaigns").setLevel(level)
