"""Demo issuing units (1.9): the province bureau and the Nanjing city bureau. Idempotent."""

from zhicheng.certificates.models import IssuingUnit

# organization key (orgs.demo) → code (region code + 2-digit sequence)
DEMO_ISSUING_UNITS = [("province", "01"), ("city_nj", "01")]


def load(orgs) -> None:
    for key, sequence in DEMO_ISSUING_UNITS:
        org = orgs[key]
        code = org.region_code + sequence
        if IssuingUnit.objects.filter(code=code).exists():
            continue
        if IssuingUnit.objects.filter(organization=org, status="active").exists():
            continue
        unit = IssuingUnit(organization=org, code=code)
        unit.full_clean()
        unit.save()
