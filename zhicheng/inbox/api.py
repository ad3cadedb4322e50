"""/api/v1/messages/ (消息) — the caller's own messages only; thin over selectors/services.

- ``GET /messages/`` (``?unread=true|false``) and ``GET /messages/<id>/``;
- ``GET /messages/unread-count/`` → ``{"unread": n}`` (the menu badge);
- ``POST /messages/<id>/read/`` — 标为已读; ``POST /messages/read-all/`` → ``{"marked": n}``.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zhicheng.common.fields import DisplayField

from . import selectors, services
from .models import Message


class MessageSerializer(serializers.ModelSerializer):
    kind_display = DisplayField(source="get_kind_display")
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class MessageQuery(serializers.Serializer):
    unread = serializers.BooleanField(required=False)


@extend_schema(tags=["messages"])
class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    permission_classes = [IsAuthenticated]
    queryset = Message.objects.none()

    def get_queryset(self):
        # A plain dict: DRF reads a boolean missing from a QueryDict as an unticked box (False).
        query = MessageQuery(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        return selectors.message_list(
            user=self.request.user, unread=query.validated_data.get("unread")
        )

    def get_object(self):
        return selectors.message_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="我的消息",
        parameters=[
            OpenApiParameter("unread", bool, description="true：只看未读；false：只看已读")
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="未读消息数",
        responses={200: inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(user=request.user)})

    @extend_schema(summary="标为已读", request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        message = services.message_mark_read(actor=request.user, message=self.get_object())
        return Response(MessageSerializer(message).data)

    @extend_schema(
        summary="全部标为已读",
        request=None,
        responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.messages_mark_all_read(actor=request.user)})


def register(router) -> None:
    router.register("messages", MessageViewSet, basename="message")
