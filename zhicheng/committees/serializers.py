"""The shapes of /api/v1/committees/ (guide 1.10 / 1.11): what a committee and its 其他信息 rows
look like when read, and what a write may carry. The rules behind them live in the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees.models import (
    Committee,
    CommitteeLevel,
    CommitteeOrganizer,
    CommitteeSpecialty,
    FeeItem,
    FeeStandard,
)
from zhicheng.common.fields import DisplayField
from zhicheng.common.models import DEREGISTER_REASON_MAX


class CommitteeSerializer(serializers.ModelSerializer):
    level_display = DisplayField(source="get_level_display")
    series_name = serializers.CharField(source="series.__str__", read_only=True)
    account = serializers.CharField(source="account.username", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, allow_null=True
    )
    status_display = DisplayField(source="get_status_display")
    validity_display = serializers.CharField(read_only=True)
    is_accepting_work = serializers.BooleanField(read_only=True)
    is_expired = serializers.BooleanField(read_only=True)
    deregistered_by = serializers.CharField(
        source="deregistered_by.username", read_only=True, default=None, allow_null=True
    )
    quorum = serializers.CharField(
        source="quorum_display", read_only=True, help_text="评审会议法定到会比例，如 2/3"
    )
    pass_fraction = serializers.CharField(
        source="pass_fraction_display", read_only=True, help_text="通过所需同意票比例，如 2/3"
    )

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "series",
            "series_name",
            "account",
            "organization",
            "organization_name",
            "approval_number",
            "valid_from",
            "valid_until",
            "status",
            "status_display",
            "validity_display",
            "is_accepting_work",
            "is_expired",
            "deregister_reason",
            "deregistered_by",
            "deregistered_at",
            "created_at",
            "updated_at",
            "quorum_numerator",
            "quorum_denominator",
            "quorum",
            "pass_numerator",
            "pass_denominator",
            "pass_fraction",
        ]
        read_only_fields = fields


class CommitteeCreatedSerializer(CommitteeSerializer):
    """新增评委会 answers the committee and its account's initial password, shown once."""

    initial_password = serializers.CharField(read_only=True)
    initial_password_note = serializers.CharField(read_only=True)

    class Meta(CommitteeSerializer.Meta):
        fields = [*CommitteeSerializer.Meta.fields, "initial_password", "initial_password_note"]
        read_only_fields = fields


class CommitteeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=CommitteeLevel.choices)
    series = serializers.PrimaryKeyRelatedField(queryset=TitleSeries.objects.all())
    account = serializers.CharField(max_length=150)
    approval_number = serializers.CharField(max_length=100)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    organization = serializers.IntegerField(required=False, allow_null=True)


class CommitteeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    level = serializers.ChoiceField(choices=CommitteeLevel.choices, required=False)
    series = serializers.PrimaryKeyRelatedField(queryset=TitleSeries.objects.all(), required=False)
    approval_number = serializers.CharField(max_length=100, required=False)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    # 评审会议的到会比例和通过比例 (分子/分母, default 2/3)
    quorum_numerator = serializers.IntegerField(min_value=1, max_value=100, required=False)
    quorum_denominator = serializers.IntegerField(min_value=1, max_value=100, required=False)
    pass_numerator = serializers.IntegerField(min_value=1, max_value=100, required=False)
    pass_denominator = serializers.IntegerField(min_value=1, max_value=100, required=False)


class DeregisterSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=DEREGISTER_REASON_MAX, allow_blank=True, required=False, default=""
    )


class CommitteeSpecialtySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="specialty.code", read_only=True)
    name = serializers.CharField(source="specialty.name", read_only=True)

    class Meta:
        model = CommitteeSpecialty
        fields = ["id", "specialty", "code", "name", "created_at"]
        read_only_fields = fields


class SpecialtyInputSerializer(serializers.Serializer):
    specialty = serializers.PrimaryKeyRelatedField(queryset=Specialty.objects.all())


class CommitteeOrganizerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    uscc = serializers.CharField(source="organization.uscc", read_only=True)

    class Meta:
        model = CommitteeOrganizer
        fields = ["id", "organization", "name", "uscc", "created_at"]
        read_only_fields = fields


class OrganizerInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField()


class FeeStandardSerializer(serializers.ModelSerializer):
    item_display = DisplayField(source="get_item_display")

    class Meta:
        model = FeeStandard
        fields = ["id", "item", "item_display", "amount", "note", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "minLength": 1}, {"type": "number"}],
        "description": '金额（元），文本或数字，如 "350.5"',
    }
)
class AmountField(serializers.CharField):
    """An amount as text or a JSON number, passed on as text: the service gives one clear
    message for every bad amount."""

    def to_internal_value(self, data):
        if isinstance(data, int | float) and not isinstance(data, bool):
            data = str(data)
        return super().to_internal_value(data)


class FeeInputSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=FeeItem.choices)
    amount = AmountField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FeePatchSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=FeeItem.choices, required=False)
    amount = AmountField(required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CommitteeDetailSerializer(CommitteeSerializer):
    """One committee (``GET /committees/<id>/``) with its 其他信息."""

    specialties = CommitteeSpecialtySerializer(many=True, read_only=True)
    organizers = CommitteeOrganizerSerializer(many=True, read_only=True)
    fees = FeeStandardSerializer(many=True, read_only=True)

    class Meta(CommitteeSerializer.Meta):
        fields = [*CommitteeSerializer.Meta.fields, "specialties", "organizers", "fees"]
        read_only_fields = fields
