"""Demo issuing units (1.9): the province bureau and the Nanjing city bureau, created by the
demo province officer through the service. Idempotent."""

from zhicheng.accounts.models import User
from zhicheng.certificates import services
from zhicheng.certificates.models import IssuingUnit, IssuingUnitStatus

# organization key (orgs.demo) → code (region code + 2-digit sequence)
DEMO_ISSUING_UNITS = [("province", "01"), ("city_nj", "01")]


def load(orgs) -> None:
    actor = User.objects.get(username="hr_province")  # accounts are loaded first
    for key, sequence in DEMO_ISSUING_UNITS:
        org = orgs[key]
        code = org.region_code + sequence
        if IssuingUnit.objects.filter(code=code).exists():
            continue
        if IssuingUnit.objects.filter(organization=org, status=IssuingUnitStatus.ACTIVE).exists():
            continue
        services.issuing_unit_create(actor=actor, organization=org, code=code)
