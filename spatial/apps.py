from django.apps import AppConfig


class SpatialConfig(AppConfig):
    name = "spatial"

    def ready(self) -> None:
        from spatial import checks  # noqa: F401  (registers the system checks)
