from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The top floor: the pages that read every app (dashboard, health, metrics) and the demo and bench.

    No app imports it; it imports them (docs/architecture.md).
    """

    name = "console"
    verbose_name = _("Console")
