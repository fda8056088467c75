"""docker-compose.yml and .env.example agree with what the code reads.

Docker cannot run on the build machines, so the compose file is checked as
data: it parses, names the services, waits for a healthy PostGIS, and gives
the app every variable the settings need.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("spatial", "layers", "ogc", "frontend")
READ_PATTERN = re.compile(
    r"""(?:env_str|env_bool|env_int|env_list|os\.environ\.get|os\.getenv)\(\s*["']([A-Z0-9_]+)["']"""
)


def _variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(READ_PATTERN.findall(path.read_text(encoding="utf-8")))
    return names


def _variables_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_the_code_reads_the_settings_we_expect() -> None:
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "TAKSI_BASE_URL"} <= (
        _variables_read_by_the_code()
    )


def test_env_example_lists_every_variable_the_code_reads() -> None:
    missing = _variables_read_by_the_code() - _variables_in_env_example()
    assert missing == set()


def test_compose_runs_postgis_with_a_health_check_and_the_app_waits_for_it() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"db", "app"} <= set(services)
    assert services["db"]["image"].startswith("postgis/postgis:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["app"]["build"]
    assert (ROOT / "Dockerfile").is_file()


def test_compose_gives_the_app_every_variable_the_settings_need() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment = compose["services"]["app"]["environment"]
    names = set(environment) if isinstance(environment, dict) else {
        item.split("=", 1)[0] for item in environment
    }
    needed = {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "TAKSI_BASE_URL",
              "TAKSI_BASEMAP_URL", "DJANGO_DEBUG"}
    assert needed <= names
    assert "@db:" in str(environment["DATABASE_URL"] if isinstance(environment, dict) else
                         next(i for i in environment if i.startswith("DATABASE_URL")))


def test_every_server_command_loads_the_shared_gunicorn_settings() -> None:
    """make run, the image and the test server: one set of workers, threads and limits."""
    from spatial import gunicorn_conf

    assert gunicorn_conf.limit_request_line == 8190  # gunicorn's maximum
    assert gunicorn_conf.workers * gunicorn_conf.threads >= 16
    for path in ("scripts/run.sh", "Dockerfile", "tests/conftest.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "python:spatial.gunicorn_conf" in text, path
        assert "--threads" not in text and "--workers" not in text, path


def test_the_readme_says_production_sits_behind_a_buffering_proxy_with_these_limits() -> None:
    """gunicorn cannot stop a client that trickles bytes; the proxy's time-outs do."""
    from spatial import gunicorn_conf

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"--limit-request-line {gunicorn_conf.limit_request_line}" in readme
    for directive in ("client_header_timeout", "client_body_timeout", "proxy_request_buffering"):
        assert directive in readme, directive
    assert "TAKSI_BODY_TIMEOUT_S" in readme
    # The proxy's body limits let through what Django and the admin upload accept.
    from django.conf import settings

    from layers.admin_import import MAX_UPLOAD_BYTES

    limits = [int(m) for m in re.findall(r"client_max_body_size\s+(\d+)m;", readme)]
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= min(limits) * 1024 * 1024
    assert MAX_UPLOAD_BYTES <= max(limits) * 1024 * 1024
