"""A paginator that does not COUNT a whole large table.

The unfiltered SKU list of a big catalogue would run `SELECT COUNT(*)` over
every row on each page load. Unfiltered, the count is estimated instead:
PostgreSQL's planner statistics (`pg_class.reltuples`), elsewhere the highest
id (SKUs are never deleted, so it is close). Small tables, and every filtered
list, are counted exactly.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap.
EXACT_BELOW = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset.query.where:
            return super().count
        estimate = table_rows_estimate(queryset.model, using=queryset.db)
        return estimate if estimate >= EXACT_BELOW else super().count


def table_rows_estimate(model, *, using: str = "default") -> int:
    """Roughly how many rows `model`'s table holds, without reading them all."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            row = cursor.fetchone()
        if row and row[0] and row[0] > 0:
            return int(row[0])
    # MAX over the primary key reads one end of its index.
    return model._default_manager.using(using).aggregate(top=Max("pk"))["top"] or 0
