"""The query behind a list page over a million rows (applications, certificates)."""

from __future__ import annotations

import copy

from django.db import models

# What a list page counts up to: past it the page says "超过 1000 条，请缩小查询范围" (exports
# count all). Each row counted costs an index probe for the scope, and past 50 pages people
# filter or export instead of paging.
COUNT_CAP = 1_000


class ListPageQuerySet(models.QuerySet):
    """A list page over a million rows (``as_list_page``):

    - ``count()`` stops at a cap: the page shows "超过 N 条" instead of counting them all on
      every view;
    - a slice (one page) is fetched in two steps, the "deferred join": first the ids of the
      page — the filters, the scope and the order, on the listed table and its indexes
      alone — then those rows with their related rows and annotations. In one statement the
      planner joins every related table for every row it reads before the scope test drops
      most of them (or before it sorts them all); in two, the joins are done for the 20 rows
      shown.
    """

    count_cap: int | None = None
    count_in_order: bool = True

    def as_list_page(self, *, count_cap: int, count_in_order: bool = True) -> ListPageQuerySet:
        clone = self._chain()
        clone.count_cap = count_cap
        clone.count_in_order = count_in_order
        return clone

    def _clone(self):
        clone = super()._clone()
        clone.count_cap = self.count_cap
        clone.count_in_order = self.count_in_order
        return clone

    def count(self) -> int:
        if self.count_cap is None or self._result_cache is not None:
            return super().count()
        # By default in the page's order: the planner then reads the index the page reads.
        # Without an order it assumes matches spread evenly and may walk the primary key,
        # reading a million rows to find 1,001 of last year's. A filter on the person (姓名,
        # 身份证号) is the exception: counted from the persons' indexes, in no order, instead
        # of reading the applications newest first until enough people match.
        limited = self if self.count_in_order else self.order_by()
        return models.QuerySet.count(limited.values("pk")[: self.count_cap + 1])

    def _fetch_all(self) -> None:
        if (
            self._result_cache is not None
            or self.count_cap is None
            or not self.query.is_sliced
            or self._iterable_class is not models.query.ModelIterable
        ):
            return super()._fetch_all()
        ids = list(models.QuerySet.values_list(self, "pk", flat=True))
        by_id = {obj.pk: obj for obj in self._rows_by_id(ids)}
        self._result_cache = [by_id[pk] for pk in ids if pk in by_id]
        if self._prefetch_related_lookups and not self._prefetch_done:
            self._prefetch_related_objects()

    def _rows_by_id(self, ids: list[int]) -> ListPageQuerySet:
        """The second step: the page's rows by their ids alone, with what the page reads of
        each (related rows, annotations, deferred fields). The scope, the filters, their joins
        and the order chose the ids already: repeating them costs a compilation of the whole
        WHERE (its EXISTS subqueries) per page and a planner's guess for nothing.

        Annotations are taken as resolved: they may use the row's own columns only (like
        ``is_blacklisted`` on ``person_id``), which the new query names as the old one did
        (the table itself); one that needed a filter's join would fail loudly, not silently."""
        rows = type(self)(model=self.model, using=self._db, hints=self._hints)
        rows.query.select_related = copy.deepcopy(self.query.select_related)
        rows.query.deferred_loading = self.query.deferred_loading
        rows.query.annotations = dict(self.query.annotations)
        if self.query.annotation_select_mask is not None:
            rows.query.set_annotation_mask(self.query.annotation_select_mask)
        return rows.filter(pk__in=ids)
