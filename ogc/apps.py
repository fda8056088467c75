from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "ogc"
    verbose_name = "OGC API"

    def ready(self) -> None:
        from ogc import config

        config.connect_invalidation()
