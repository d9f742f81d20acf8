from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OzonpriceConfig(AppConfig):
    name = "ozonprice"
    verbose_name = _("Settings and tasks")

    def ready(self) -> None:
        from ozonprice import checks  # noqa: F401 - registers the system checks
