"""Demo organizations: a province bureau → two city bureaus → counties → competent departments
→ employers, each with a valid 统一社会信用代码. Idempotent: existing codes are left alone."""

from collections import Counter

from zhicheng.common.validators import uscc_check_char
from zhicheng.orgs.models import Organization, OrgType, pinyin_initials


def demo_uscc(prefix2: str, region: str, body9: str) -> str:
    first17 = prefix2 + region + body9
    return first17 + uscc_check_char(first17)


# (key, parent key, name, type, region, uscc prefix, 9-char organization code)
DEMO_ORGANIZATIONS = [
    ("province", None, "江苏省人力资源和社会保障厅", OrgType.HR_BUREAU, "320000", "11", "014000010"),
    ("city_nj", "province", "南京市人力资源和社会保障局", OrgType.HR_BUREAU, "320100", "11", "002490010"),
    ("city_sz", "province", "苏州市人力资源和社会保障局", OrgType.HR_BUREAU, "320500", "11", "014160010"),
    ("county_jn", "city_nj", "南京市江宁区人力资源和社会保障局", OrgType.HR_BUREAU, "320115", "11", "0135600X1"),
    ("county_wz", "city_sz", "苏州市吴中区人力资源和社会保障局", OrgType.HR_BUREAU, "320506", "11", "014220040"),
    ("dept_jn_it", "county_jn", "南京市江宁区工业和信息化局", OrgType.COMPETENT_DEPT, "320115", "11", "MB1520790"),
    ("dept_jn_edu", "county_jn", "南京市江宁区教育局", OrgType.COMPETENT_DEPT, "320115", "11", "013560250"),
    ("dept_wz_it", "county_wz", "苏州市吴中区工业和信息化局", OrgType.COMPETENT_DEPT, "320506", "11", "MB0H75390"),
    ("dept_wz_health", "county_wz", "苏州市吴中区卫生健康委员会", OrgType.COMPETENT_DEPT, "320506", "11", "MB1K02360"),
    ("unit_a", "dept_jn_it", "南京江宁智能装备有限公司", OrgType.EMPLOYER, "320115", "91", "MA1MXK2A3"),
    ("unit_b", "dept_jn_it", "南京江宁软件技术有限公司", OrgType.EMPLOYER, "320115", "91", "MA1NB7Q40"),
    ("unit_c", "dept_jn_it", "南京江宁新材料科技有限公司", OrgType.EMPLOYER, "320115", "91", "MA1P3C8R5"),
    ("unit_d", "dept_jn_edu", "南京市江宁区东山中学", OrgType.EMPLOYER, "320115", "12", "466008720"),
    ("unit_e", "dept_jn_edu", "南京市江宁区实验小学", OrgType.EMPLOYER, "320115", "12", "46600911X"),
    ("unit_f", "dept_wz_it", "苏州吴中精密机械有限公司", OrgType.EMPLOYER, "320506", "91", "MA1WD4L71"),
    ("unit_g", "dept_wz_it", "苏州吴中电子科技有限公司", OrgType.EMPLOYER, "320506", "91", "MA1XE5M82"),
    ("unit_h", "dept_wz_it", "苏州吴中环保工程有限公司", OrgType.EMPLOYER, "320506", "91", "MA1YF6N93"),
    ("unit_i", "dept_wz_health", "苏州市吴中人民医院", OrgType.EMPLOYER, "320506", "12", "467209870"),
    ("unit_j", "dept_wz_health", "苏州市吴中区妇幼保健院", OrgType.EMPLOYER, "320506", "12", "46721045X"),
    ("unit_k", "city_nj", "南京市城市建设设计研究院", OrgType.EMPLOYER, "320100", "12", "42600123X"),
    ("organizer_eng", "province", "江苏省工程技术研究会", OrgType.COMMITTEE_ORGANIZER, "320000", "51", "50000711X"),
]  # fmt: skip


def _new_node(row: tuple, codes: dict[str, str]) -> Organization:
    key, _parent, name, org_type, region, _prefix, _body = row
    node = Organization(name=name, uscc=codes[key], org_type=org_type, region_code=region)
    node.full_clean(exclude=["path", "depth", "numchild"], validate_unique=False)
    return node


def _load_whole_tree(codes: dict[str, str]) -> dict[str, Organization]:
    """The tree when none of it exists, in one INSERT: the paths are laid out here as treebeard
    would (a new root after the last one, children numbered in order). Most tests load it, so
    this saves about a tenth of a second per test on PostgreSQL."""
    last_root = Organization.objects.get_last_root_node()
    root_path = last_root._inc_path() if last_root else Organization._get_path(None, 1, 1)
    children = Counter(parent for _key, parent, *_rest in DEMO_ORGANIZATIONS if parent)
    placed: Counter[str] = Counter()
    by_key: dict[str, Organization] = {}
    for row in DEMO_ORGANIZATIONS:
        key, parent_key = row[:2]
        node = _new_node(row, codes)
        node.numchild = children[key]
        node.name_initials = pinyin_initials(node.name)  # what save() does; bulk_create skips it
        if parent_key is None:
            node.path, node.depth = root_path, 1
        else:
            parent = by_key[parent_key]
            placed[parent_key] += 1
            node.depth = parent.depth + 1
            node.path = Organization._get_path(parent.path, node.depth, placed[parent_key])
        by_key[key] = node
    Organization.objects.bulk_create(by_key.values())
    return by_key


def load_demo_organizations() -> dict[str, Organization]:
    codes = {
        key: demo_uscc(prefix, region, body)
        for key, _parent, _name, _type, region, prefix, body in DEMO_ORGANIZATIONS
    }
    existing = {org.uscc: org for org in Organization.objects.filter(uscc__in=codes.values())}
    if not existing:
        return _load_whole_tree(codes)
    # Part of it exists (an operator's database): add what is missing, leave the rest alone.
    # No uniqueness query per row (the codes are fixed and were just looked up).
    by_key: dict[str, Organization] = {}
    for row in DEMO_ORGANIZATIONS:
        key, parent_key = row[:2]
        node = existing.get(codes[key])
        if node is None:
            node = _new_node(row, codes)
            if parent_key is None:
                node = Organization.objects.add_root(instance=node)
            else:
                node = Organization.objects.add_child(by_key[parent_key], instance=node)
        by_key[key] = node
    return by_key
