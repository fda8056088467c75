from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpatialConfig(AppConfig):
    name = "spatial"

    def ready(self) -> None:
        from django.db.models import fields

        from spatial import checks  # noqa: F401  (registers the system checks)

        # Django 6.1's empty choice of a select ("- Select an option -") has no
        # Indonesian in Django's own catalogue, so the Indonesian admin showed it in
        # English. Django reads the label at each use and documents replacing it
        # here (USE_BLANK_CHOICE_DASH deprecation note); msgid in Bahasa Indonesia,
        # English in locale/en, like every other text of Taksi.
        fields.BLANK_CHOICE_LABEL = _("- Pilih salah satu -")
