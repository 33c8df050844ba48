from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from ninja.pagination import LimitOffsetPagination


class CountedPaginator(Paginator):
    """A paginator that uses a count the query already made (`object_list.known_count`), if there is one."""

    @cached_property
    def count(self) -> int:
        known = getattr(self.object_list, "known_count", None)
        return known if known is not None else super().count


class CountedLimitOffsetPagination(LimitOffsetPagination):
    """The API's limit/offset pages, using a count the query already made (`known_count`), if there is one."""

    def _items_count(self, queryset: Any) -> int:
        known = getattr(queryset, "known_count", None)
        return known if known is not None else super()._items_count(queryset)
