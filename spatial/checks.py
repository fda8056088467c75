"""System checks for environment settings (ids ``spatial.E0xx``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from spatial.env import ENV_PROBLEMS


@register(Tags.compatibility)
def check_environment(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = [
        Error(problem, hint="See .env.example for accepted values.", id="spatial.E001")
        for problem in ENV_PROBLEMS
    ]
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgis" not in engine:
        errors.append(
            Error(
                f"DATABASE_URL must point at PostGIS (engine is {engine}).",
                hint="Use a postgis://user:password@host:port/name URL.",
                id="spatial.E002",
            )
        )
    if settings.TAKSI_EXPORT_MAX_FEATURES < 1:
        errors.append(
            Error(
                "TAKSI_EXPORT_MAX_FEATURES must be at least 1 "
                f"(is {settings.TAKSI_EXPORT_MAX_FEATURES}); every download would be a 413.",
                hint="Set it to the largest number of features one download may hold.",
                id="spatial.E003",
            )
        )
    return errors


#: The fallback in settings.py, so that ``manage.py`` runs before a key is set.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY"


@register(Tags.security, deploy=True)
def check_secret_key_from_environment(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``check --deploy``: the secret key must come from the environment.

    Django's own W009 only judges the key's length and variety, which the
    development fallback passes; a deployment using it would sign sessions
    and CSRF tokens with a key published in this repository.
    """
    if settings.SECRET_KEY != DEVELOPMENT_SECRET_KEY:
        return []
    return [Error(
        "SECRET_KEY is the development fallback from settings.py.",
        hint="Set DJANGO_SECRET_KEY to a long random value (make run writes one to .data/).",
        id="spatial.E004",
    )]
