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
