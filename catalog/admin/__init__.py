"""The SKU admin, split by concept: the list and page (`sku`), the bulk actions
(`actions`, `edits`), import and export (`transfer`), the big-table paginator
(`paginator`) and the SKU page's chart and explanations (`page`)."""

from django.utils.translation import gettext_noop

from catalog.admin.sku import SkuAdmin

# Django 6.1's label for an empty choice (the action menu shows it) is not in Django's
# own Russian catalogue yet: named here, it is translated in ours.
gettext_noop("- Select an option -")

__all__ = ["SkuAdmin"]
