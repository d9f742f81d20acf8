"""What the project's admins share."""


class ReadOnlyAdminMixin:
    """Rows written only by the system (logs, history, leases): viewable, never edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
