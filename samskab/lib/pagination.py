from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination


class CountedPaginator(Paginator):
    """A paginator that uses a count the query already made (`object_list.known_count`), if there is one."""

    @cached_property
    def count(self) -> int:
        known = getattr(self.object_list, "known_count", None)
        return known if known is not None else super().count


# A database cannot skip more rows than a 64-bit integer counts (a larger offset is a 500), and no client needs
# pages larger than this; both are refused with 422 beyond these bounds.
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """The API's limit/offset pages, with `limit` and `offset` bounded."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class CountedLimitOffsetPagination(BoundedLimitOffsetPagination):
    """The API's limit/offset pages, using a count the query already made (`known_count`), if there is one."""

    def _items_count(self, queryset: Any) -> int:
        known = getattr(queryset, "known_count", None)
        return known if known is not None else super()._items_count(queryset)
