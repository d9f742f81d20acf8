"""What the project's admins share."""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.utils.translation import gettext as _


class ReadOnlyAdminMixin:
    """Rows written only by the system (logs, history, leases): viewable, never edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Words per admin search. Each word is one more AND of LIKEs: SQLite refuses a
# query past its expression-tree depth of 1000, and no one searches with more.
MAX_SEARCH_WORDS = 20


def search_words_bound(request, search_term: str) -> str:
    """The search cut to its first MAX_SEARCH_WORDS words, telling the user when it was cut."""
    words = search_term.split()
    if len(words) <= MAX_SEARCH_WORDS:
        return search_term
    messages.warning(request, _("The search used its first %(count)d words only.") % {"count": MAX_SEARCH_WORDS})
    return " ".join(words[:MAX_SEARCH_WORDS])


if TYPE_CHECKING:
    # The admin mixins below call ModelAdmin's methods through super(): typed against it.
    AdminMixinBase = admin.ModelAdmin
else:
    AdminMixinBase = object


class BoundedSearchMixin(AdminMixinBase):
    """Admin search with at most MAX_SEARCH_WORDS words."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_words_bound(request, search_term))
