"""Reads of 取得职称, always through ``scoped`` (the model's rule): an officer sees the holdings
approved by an organization of their subtree; an applicant sees their own; anyone else sees
nothing. Certificates read holdings only from here."""

from __future__ import annotations

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.scoping import scoped

from .models import TitleHolding

# What a certificate's face and the 证书发放 list show of a holding.
FACE_RELATED = ("person", "title__series", "specialty", "approving_organization")


def title_holdings(*, user: User, in_force: bool = False) -> QuerySet[TitleHolding]:
    """The holdings ``user`` may see, newest approval first; revoked ones too (they are part of
    the record) unless ``in_force`` (what a certificate may still be issued from)."""
    qs = TitleHolding.objects.in_force() if in_force else TitleHolding.objects.all()
    return scoped(qs.select_related("person", "title", "approving_organization"), user).order_by(
        "-approved_on", "-pk"
    )


def title_holding_for_update(
    *, user: User, holding_id: int, related: tuple[str, ...] = ()
) -> TitleHolding | None:
    """The holding ``holding_id`` locked (``select_for_update``, in the caller's transaction)
    with what a certificate's face needs (and ``related``: more relations the caller reads,
    joined in the same query; only the holding row is locked), when ``user`` may see it and
    it is not revoked; else None. For a write that acts on a holding (e.g. issuing its
    certificate)."""
    return (
        scoped(TitleHolding.objects.in_force(), user)
        .select_for_update(of=("self",))
        .select_related(*FACE_RELATED, *related)
        .filter(pk=holding_id)
        .first()
    )


def title_holdings_for_update(
    *, user: User, holding_ids: list[int], related: tuple[str, ...] = ()
) -> list[TitleHolding]:
    """``title_holding_for_update`` for many holdings in one query (a batch of certificates),
    locked in primary-key order (two batches over the same holdings never deadlock); the
    ones ``user`` may not see, or revoked, are left out."""
    return list(
        scoped(TitleHolding.objects.in_force(), user)
        .select_for_update(of=("self",))
        .select_related(*FACE_RELATED, *related)
        .filter(pk__in=holding_ids)
        .order_by("pk")
    )


def title_holdings_of_holder(*, holder: User) -> QuerySet[TitleHolding]:
    """The holdings of the person who logs in as ``holder`` (an applicant), oldest first."""
    return scoped(TitleHolding.objects.all(), holder).order_by("pk")
