import sys
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _forget_built_api(**_: Any) -> None:
    """A published layer's row changed: the next request rebuilds pygeoapi's API (extents).

    Only a process that built the API has one to forget, and such a process
    has imported ``ogc.config``. Importing it here instead would load pygeoapi,
    the coverages and the CQL parser into every ``manage.py`` command (1.8 s
    before ``import_layer`` reads its first row).
    """
    config = sys.modules.get("ogc.config")
    if config is not None:
        config.invalidate()


class OgcConfig(AppConfig):
    name = "ogc"
    verbose_name = "OGC API"

    def ready(self) -> None:
        from layers.registry import published_layers

        for layer in published_layers():
            post_save.connect(_forget_built_api, sender=layer.model_label, weak=False)
            post_delete.connect(_forget_built_api, sender=layer.model_label, weak=False)
