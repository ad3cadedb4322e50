"""Synthetic organizations for the benchmarks: a realistic tree of Chinese bureaus, departments
and employers with valid 统一社会信用代码, inserted with ``bulk_create`` and materialized paths
computed here exactly as django-treebeard computes them (steplen 4, alphabet 0-9A-Z)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from zhicheng.common.validators import USCC_ALPHABET, uscc_check_char

PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

# (city, 4-digit region prefix, its districts / counties / county-level cities)
CITIES = [
    ("南京", "3201", ["玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区", "雨花台区", "江宁区"]),
    ("无锡", "3202", ["梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市"]),
    ("徐州", "3203", ["鼓楼区", "云龙区", "贾汪区", "泉山区", "铜山区", "丰县", "沛县", "睢宁县"]),
    ("常州", "3204", ["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"]),
    ("苏州", "3205", ["姑苏区", "虎丘区", "吴中区", "相城区", "吴江区", "常熟市", "张家港市", "昆山市"]),
    ("南通", "3206", ["崇川区", "通州区", "海门区", "如皋市", "海安市", "启东市", "如东县"]),
    ("连云港", "3207", ["海州区", "连云区", "赣榆区", "东海县", "灌云县", "灌南县"]),
    ("淮安", "3208", ["清江浦区", "淮安区", "淮阴区", "洪泽区", "涟水县", "盱眙县", "金湖县"]),
    ("盐城", "3209", ["亭湖区", "盐都区", "大丰区", "东台市", "建湖县", "射阳县", "阜宁县", "滨海县"]),
    ("扬州", "3210", ["广陵区", "邗江区", "江都区", "仪征市", "高邮市", "宝应县"]),
    ("镇江", "3211", ["京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市"]),
    ("泰州", "3212", ["海陵区", "高港区", "姜堰区", "兴化市", "靖江市", "泰兴市"]),
    ("宿迁", "3213", ["宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县"]),
]  # fmt: skip
DEPARTMENTS = [
    "工业和信息化局", "教育局", "卫生健康委员会", "科学技术局", "住房和城乡建设局", "交通运输局",
    "农业农村局", "水务局", "文化广电和旅游局", "生态环境局", "商务局", "市场监督管理局",
]  # fmt: skip
BRAND = [
    "华通", "恒信", "金鼎", "瑞丰", "博远", "中科", "天成", "宏达", "新元", "东方", "永安", "德润",
    "汇智", "鼎盛", "凯瑞", "明泰", "聚源", "海川", "星辰", "锦程", "立信", "长虹", "同创", "远航",
    "振华", "嘉禾", "安达", "荣盛", "协力", "晨光", "泰和", "康宁", "万通", "银河", "蓝天", "卓越",
    "思源", "昌隆", "润泽", "正大", "华宇", "亿达", "众合", "诚信", "九州", "国泰", "盛世", "通达",
]  # fmt: skip
INDUSTRY = [
    "科技", "信息技术", "智能装备", "新材料科技", "生物医药", "环保工程", "建筑设计", "电子科技",
    "精密机械", "软件技术", "物流", "食品", "化工", "能源科技", "汽车零部件", "纺织", "光电科技",
    "建设工程", "检测技术", "人力资源服务", "数据科技", "医疗器械", "农业发展", "文化传媒",
]  # fmt: skip
COMPANY_SUFFIX = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
INSTITUTIONS = [
    "第{n}中学", "实验小学", "第{n}人民医院", "中医院", "妇幼保健院", "疾病预防控制中心",
    "职业技术学校", "建筑设计研究院", "农业技术推广中心", "图书馆", "规划设计院", "检验检测中心",
]  # fmt: skip


@dataclass
class OrgRow:
    path: str
    depth: int
    numchild: int
    name: str
    uscc: str
    org_type: str
    region_code: str
    status: str = "active"


def path_step(n: int) -> str:
    """treebeard's ``int2str`` + ``rjust``: child number n (1-based) as one 4-char step."""
    digits = ""
    while True:
        n, rem = divmod(n, len(PATH_ALPHABET))
        digits = PATH_ALPHABET[rem] + digits
        if n == 0:
            break
    return digits.rjust(STEPLEN, "0")


def make_uscc(prefix2: str, region6: str, serial: int) -> str:
    """A valid, unique USCC: 2-char registration prefix, region, a 9-char body from ``serial``."""
    body = ""
    n = serial
    for _ in range(7):
        n, rem = divmod(n, len(USCC_ALPHABET))
        body = USCC_ALPHABET[rem] + body
    first17 = prefix2 + region6 + "MA" + body
    return first17 + uscc_check_char(first17)


def employer_name(rng: random.Random, city: str, district: str) -> tuple[str, str]:
    """(name, USCC registration prefix) of a company (most) or a public institution."""
    stem = district[:-1] if len(district) > 2 else district  # 江宁区 → 江宁, 沛县 → 沛县
    if rng.random() < 0.8:
        place = city if rng.random() < 0.6 else city + stem
        name = place + rng.choice(BRAND) + rng.choice(INDUSTRY) + rng.choice(COMPANY_SUFFIX)
        return name, "91"
    return city + "市" + district + rng.choice(INSTITUTIONS).format(n=rng.randint(1, 20)), "12"


def generate_organizations(total: int, *, seed: int = 2026) -> Iterator[OrgRow]:
    """Province → 13 cities → their districts → 12 departments each → employers, ``total``
    rows in all, parents before children. About 3 % of the employers are deregistered."""
    rng = random.Random(seed)
    serial = 0

    def uscc(prefix2: str, region6: str) -> str:
        nonlocal serial
        serial += 1
        return make_uscc(prefix2, region6, serial)

    n_districts = sum(len(districts) for _, _, districts in CITIES)
    n_depts = n_districts * len(DEPARTMENTS)
    fixed = 1 + len(CITIES) + n_districts + n_depts
    per_dept, extra = divmod(max(total - fixed, 0), n_depts)

    root = path_step(1)
    yield OrgRow(root, 1, len(CITIES), "江苏省人力资源和社会保障厅", uscc("11", "320000"), "hr_bureau", "320000")  # fmt: skip
    dept_index = 0
    for ci, (city, code4, districts) in enumerate(CITIES, 1):
        city_path = root + path_step(ci)
        region = code4 + "00"
        yield OrgRow(city_path, 2, len(districts), f"{city}市人力资源和社会保障局", uscc("11", region), "hr_bureau", region)  # fmt: skip
        for ki, district in enumerate(districts, 1):
            county_region = f"{code4}{ki + 1:02d}"
            county_path = city_path + path_step(ki)
            yield OrgRow(county_path, 3, len(DEPARTMENTS), f"{city}市{district}人力资源和社会保障局", uscc("11", county_region), "hr_bureau", county_region)  # fmt: skip
            for di, dept in enumerate(DEPARTMENTS, 1):
                n_emp = per_dept + (1 if dept_index < extra else 0)
                dept_index += 1
                dept_path = county_path + path_step(di)
                yield OrgRow(dept_path, 4, n_emp, f"{city}市{district}{dept}", uscc("11", county_region), "competent_dept", county_region)  # fmt: skip
                for ei in range(1, n_emp + 1):
                    name, prefix = employer_name(rng, city, district)
                    status = "deregistered" if rng.random() < 0.03 else "active"
                    yield OrgRow(dept_path + path_step(ei), 5, 0, name, uscc(prefix, county_region), "employer", county_region, status)  # fmt: skip


def insert_organizations(total: int, *, batch_size: int = 5000) -> int:
    """Bulk-insert ``total`` organizations (the table must be empty). Returns the count."""
    from zhicheng.orgs.models import Organization
    from zhicheng.orgs.services import pinyin_initials_many

    count = 0
    rows = generate_organizations(total)
    while batch := list(itertools.islice(rows, batch_size)):
        initials = pinyin_initials_many([row.name for row in batch])
        Organization.objects.bulk_create(
            Organization(
                path=row.path,
                depth=row.depth,
                numchild=row.numchild,
                name=row.name,
                uscc=row.uscc,
                org_type=row.org_type,
                region_code=row.region_code,
                status=row.status,
                name_initials=name_initials,
            )
            for row, name_initials in zip(batch, initials, strict=True)
        )
        count += len(batch)
    return count
