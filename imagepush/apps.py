from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagepushConfig(AppConfig):
    name = "imagepush"
    verbose_name = _("Image push")
