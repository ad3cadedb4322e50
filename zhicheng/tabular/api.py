def register(router) -> None:
    """Viewsets of this app are registered on the /api/v1/ router here."""
