from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OzonpriceConfig(AppConfig):
    name = "ozonprice"
    verbose_name = _("Settings and tasks")

    def ready(self) -> None:
        from ozonprice import checks  # noqa: F401 - registers the system checks
        from ozonprice.models import Account
        from ozonprice.schedule import account_schedules_reinstall

        # Whoever saves or deletes an account (services, admin, shell), its schedules follow.
        post_save.connect(account_schedules_reinstall, sender=Account, dispatch_uid="account-schedules-saved")
        post_delete.connect(account_schedules_reinstall, sender=Account, dispatch_uid="account-schedules-deleted")
