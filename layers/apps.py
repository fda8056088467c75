from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Lapisan data / Data layers")

    def ready(self) -> None:
        from layers import history, raster_triggers

        history.connect_signals()
        raster_triggers.connect_signals()
