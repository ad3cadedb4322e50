"""``DEFAULT_METADATA_CLASS`` (a module of its own: DRF imports it while its views load)."""

from rest_framework.metadata import SimpleMetadata


class Metadata(SimpleMetadata):
    """DRF's answer to ``OPTIONS``, also for a view without a serializer (an action that takes no
    body, e.g. ``imports/<id>/commit/``): no ``actions`` then, instead of an AssertionError."""

    def determine_actions(self, request, view):
        if getattr(view, "get_serializer_class", None) is None:
            return {}
        try:
            view.get_serializer_class()
        except AssertionError:
            return {}
        return super().determine_actions(request, view)
