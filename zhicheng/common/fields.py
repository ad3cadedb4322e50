"""Serializer fields the APIs share."""

from __future__ import annotations

from rest_framework import serializers


class DisplayField(serializers.CharField):
    """The label of a choice, read through ``get_<field>_display`` (``source``, dotted across
    relations as usual). Read-only. DRF's generic attribute lookup inspects the signature of
    every callable it meets, on every row; for the partial that Django binds as
    ``get_<field>_display`` that costs about 0.3 ms, which made a third of the time of a
    20-row 待审核 list with three labels a row. The source is known to be a method without
    arguments, so it is called directly."""

    def __init__(self, **kwargs) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        *path, method = self.source_attrs
        for attr in path:
            instance = getattr(instance, attr, None)
            if instance is None:
                return None
        return getattr(instance, method)()
