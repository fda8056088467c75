from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Lapisan data / Data layers")

    def ready(self) -> None:
        from layers.history import connect_signals

        connect_signals()
