from pathlib import Path

import pytest

from campaigns.config import ConfigError, load_config


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_config(tmp_path, {"CAMPAIGNS_ENV": "production", "CAMPAIGNS_BASE_URL": "https://cg.example.org"})


def test_production_refuses_to_start_without_its_public_address(tmp_path):
    with pytest.raises(ConfigError, match="CAMPAIGNS_BASE_URL is not set"):
        load_config(tmp_path, {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s" * 40})


def test_development_generates_a_secret_key_once_and_keeps_it_in_the_instance_folder(tmp_path):
    first = load_config(tmp_path, {})["SECRET_KEY"]
    second = load_config(tmp_path, {})["SECRET_KEY"]
    assert first == second
    assert len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path):
    assert load_config(tmp_path, {})["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'campaigns.db'}"


@pytest.mark.parametrize("url", ["postgres://u@db/cg", "postgresql://u@db/cg", "postgresql+psycopg://u@db/cg"])
def test_postgresql_urls_always_use_psycopg_3(tmp_path, url):
    assert load_config(tmp_path, {"DATABASE_URL": url})["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/cg"


def test_production_cookies_are_secure_and_development_ones_work_over_http(tmp_path):
    production = load_config(
        tmp_path,
        {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s" * 40, "CAMPAIGNS_BASE_URL": "https://cg.example.org"},
    )
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert load_config(tmp_path, {})["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MAIL_PORT": "twenty-five"}, "MAIL_PORT must be a whole number"),
        ({"MAIL_USE_TLS": "maybe"}, "MAIL_USE_TLS must be true or false"),
        ({"CAMPAIGNS_ENV": "staging"}, "CAMPAIGNS_ENV must be one of"),
        ({"CAMPAIGNS_BASE_URL": "cg.example.org"}, "must start with http"),
        ({"CAMPAIGNS_MAIL_BATCH_SIZE": "0"}, "must be at least 1"),
    ],
)
def test_malformed_settings_stop_start_up_with_a_clear_message(tmp_path, environ, message):
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path, environ)


def test_mail_settings_come_from_the_environment(tmp_path):
    config = load_config(
        tmp_path,
        {
            "MAIL_SERVER": "smtp.example.org",
            "MAIL_USE_TLS": "true",
            "MAIL_USERNAME": "cg",
            "MAIL_PASSWORD": "secret",
            "MAIL_DEFAULT_SENDER": "Common Ground <cg@example.org>",
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        },
    )
    assert config["MAIL_SERVER"] == "smtp.example.org"
    assert config["MAIL_PORT"] == 587
    assert config["MAIL_USE_TLS"] is True
    assert config["MAIL_DEFAULT_SENDER"] == "Common Ground <cg@example.org>"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert load_config(tmp_path, {})["MAIL_SERVER"] is None


def test_every_setting_read_from_the_environment_is_documented_in_the_readme():
    import re

    root = Path(__file__).resolve().parents[1]
    source = (root / "campaigns" / "config.py").read_text()
    readme = (root / "README.md").read_text()
    read = set(re.findall(r'environ(?:\.get\(|, )"([A-Z_]+)"', source))
    assert len(read) > 20
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


def test_dkim_needs_all_three_settings_and_a_key_file_that_exists(tmp_path):
    key = tmp_path / "dkim.pem"
    key.write_text("key")
    full = {"CAMPAIGNS_DKIM_SELECTOR": "cg2026", "CAMPAIGNS_DKIM_DOMAIN": "Northshire.example.org."}
    with pytest.raises(ConfigError, match="CAMPAIGNS_DKIM_KEY_PATH is not set"):
        load_config(tmp_path, full)
    with pytest.raises(ConfigError, match="no file at"):
        load_config(tmp_path, {**full, "CAMPAIGNS_DKIM_KEY_PATH": str(tmp_path / "missing.pem")})
    with pytest.raises(ConfigError, match="CAMPAIGNS_DKIM_SELECTOR must be"):
        load_config(tmp_path, {**full, "CAMPAIGNS_DKIM_SELECTOR": "cg 2026", "CAMPAIGNS_DKIM_KEY_PATH": str(key)})
    config = load_config(tmp_path, {**full, "CAMPAIGNS_DKIM_KEY_PATH": str(key)})
    assert config["CAMPAIGNS_DKIM_DOMAIN"] == "northshire.example.org"
    assert load_config(tmp_path, {})["CAMPAIGNS_DKIM_KEY_PATH"] is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CAMPAIGNS_BOUNCE_DOMAIN", "bounces@example.org"),
        ("CAMPAIGNS_UNSUBSCRIBE_MAILTO", "Unsubscribe <unsubscribe@example.org>"),
        ("CAMPAIGNS_SOFT_BOUNCE_LIMIT", "0"),
    ],
)
def test_a_malformed_bounce_or_unsubscribe_setting_is_named(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        load_config(tmp_path, {name: value})


def test_webhooks_to_private_addresses_are_allowed_in_development_and_never_in_production(tmp_path):
    production = {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s" * 40, "CAMPAIGNS_BASE_URL": "https://cg.example.org"}
    assert load_config(tmp_path, {})["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] is True
    assert load_config(tmp_path, production)["CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] is False
    with pytest.raises(ConfigError, match="CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES must not be on in production"):
        load_config(tmp_path, production | {"CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"})
    assert (
        load_config(tmp_path, {"CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "no"})[
            "CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES"
        ]
        is False
    )
