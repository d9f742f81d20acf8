"""The SKU admin (the managers' main screen; registered for `catalog.Sku`), split by concept: the list and page (`sku`), the bulk actions
(`actions`, `edits`), import and export (`transfer`), the big-table paginator
(`paginator`), the SKU page's chart and explanations (`page`), the guard's list filters (`guard`)
and the image push action (`image_push`)."""

from django.utils.translation import gettext_noop

from pricing.admin.sku.sku import SkuAdmin

# Django 6.1's label for an empty choice (the action menu shows it) is not in Django's
# own Russian catalogue yet: named here, it is translated in ours.
gettext_noop("- Select an option -")

__all__ = ["SkuAdmin"]
