from functools import cached_property

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator that uses a count the query already made (`object_list.known_count`), if there is one."""

    @cached_property
    def count(self) -> int:
        known = getattr(self.object_list, "known_count", None)
        return known if known is not None else super().count
