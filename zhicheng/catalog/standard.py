"""Standard catalogue data shipped with the system (data migration ``0002``, re-applied by demo).

- Specialties: the 栏目大类 are the 学科门类 of the 《学科专业目录》, with a selection of 一级学科 and
  二级学科 under them (codes as in the catalogue). Users add further nodes under any of them.
- Title series and their titles per level, after the national 职称制度改革 guidelines
  (人社部 2019–2021), e.g. 工程: 正高级工程师 / 高级工程师 / 工程师 / 助理工程师 / 技术员.

``seed`` works with historical models (``apps.get_model``) so the migration stays valid when the
models grow; it only adds what is missing (matched by code / by series + name), so running it
again changes nothing and never overwrites what an officer edited.
"""

# --- Specialties: (code, name, parent code) — parents listed before their children ---------

SPECIALTIES: list[tuple[str, str, str | None]] = [
    ("01", "哲学", None),
    ("0101", "哲学", "01"),
    ("02", "经济学", None),
    ("0201", "理论经济学", "02"),
    ("0202", "应用经济学", "02"),
    ("020204", "金融学", "0202"),
    ("020205", "产业经济学", "0202"),
    ("03", "法学", None),
    ("0301", "法学", "03"),
    ("0302", "政治学", "03"),
    ("0303", "社会学", "03"),
    ("04", "教育学", None),
    ("0401", "教育学", "04"),
    ("0402", "心理学", "04"),
    ("0403", "体育学", "04"),
    ("05", "文学", None),
    ("0501", "中国语言文学", "05"),
    ("0502", "外国语言文学", "05"),
    ("0503", "新闻传播学", "05"),
    ("06", "历史学", None),
    ("0601", "考古学", "06"),
    ("0602", "中国史", "06"),
    ("07", "理学", None),
    ("0701", "数学", "07"),
    ("0702", "物理学", "07"),
    ("0703", "化学", "07"),
    ("0710", "生物学", "07"),
    ("08", "工学", None),
    ("0801", "力学", "08"),
    ("0802", "机械工程", "08"),
    ("080201", "机械制造及其自动化", "0802"),
    ("080202", "机械电子工程", "0802"),
    ("080203", "机械设计及理论", "0802"),
    ("080204", "车辆工程", "0802"),
    ("0805", "材料科学与工程", "08"),
    ("0807", "动力工程及工程热物理", "08"),
    ("0808", "电气工程", "08"),
    ("080801", "电机与电器", "0808"),
    ("080802", "电力系统及其自动化", "0808"),
    ("0809", "电子科学与技术", "08"),
    ("0810", "信息与通信工程", "08"),
    ("0811", "控制科学与工程", "08"),
    ("0812", "计算机科学与技术", "08"),
    ("081201", "计算机系统结构", "0812"),
    ("081202", "计算机软件与理论", "0812"),
    ("081203", "计算机应用技术", "0812"),
    ("0813", "建筑学", "08"),
    ("0814", "土木工程", "08"),
    ("081401", "岩土工程", "0814"),
    ("081402", "结构工程", "0814"),
    ("081403", "市政工程", "0814"),
    ("0817", "化学工程与技术", "08"),
    ("0823", "交通运输工程", "08"),
    ("0830", "环境科学与工程", "08"),
    ("09", "农学", None),
    ("0901", "作物学", "09"),
    ("0902", "园艺学", "09"),
    ("0905", "畜牧学", "09"),
    ("0906", "兽医学", "09"),
    ("10", "医学", None),
    ("1001", "基础医学", "10"),
    ("1002", "临床医学", "10"),
    ("100201", "内科学", "1002"),
    ("100202", "儿科学", "1002"),
    ("100210", "外科学", "1002"),
    ("1004", "公共卫生与预防医学", "10"),
    ("1005", "中医学", "10"),
    ("1007", "药学", "10"),
    ("1011", "护理学", "10"),
    ("12", "管理学", None),
    ("1201", "管理科学与工程", "12"),
    ("1202", "工商管理", "12"),
    ("120201", "会计学", "1202"),
    ("120202", "企业管理", "1202"),
    ("1204", "公共管理", "12"),
    ("1205", "图书情报与档案管理", "12"),
    ("13", "艺术学", None),
    ("1301", "艺术学理论", "13"),
    ("1305", "设计学", "13"),
    ("14", "交叉学科", None),
    ("1401", "集成电路科学与工程", "14"),
]

# --- Title series: (code, name, parent code) and titles: series code → [(level, name)] -----

SF, SD, IM, AS, JR = "senior_full", "senior_deputy", "intermediate", "assistant", "junior"

TITLE_SERIES: list[tuple[str, str, str | None]] = [
    ("engineering", "工程", None),
    ("health", "卫生", None),
    ("health_medicine", "医疗", "health"),
    ("health_pharmacy", "药学", "health"),
    ("health_nursing", "护理", "health"),
    ("health_technology", "技术", "health"),
    ("higher_education", "高等学校教师", None),
    ("school_teacher", "中小学教师", None),
    ("technical_school_teacher", "技工院校教师", None),
    ("economics", "经济", None),
    ("accounting", "会计", None),
    ("auditing", "审计", None),
    ("statistics", "统计", None),
    ("agriculture", "农业", None),
    ("journalism", "新闻", None),
    ("publishing", "出版", None),
    ("library", "图书资料", None),
    ("cultural_relics", "文物博物", None),
    ("archives", "档案", None),
    ("arts_crafts", "工艺美术", None),
    ("natural_science_research", "自然科学研究", None),
    ("social_science_research", "哲学社会科学研究", None),
    ("laboratory", "实验技术", None),
]

TITLES: dict[str, list[tuple[str, str]]] = {
    "engineering": [
        (SF, "正高级工程师"), (SD, "高级工程师"), (IM, "工程师"), (AS, "助理工程师"), (JR, "技术员"),
    ],
    "health_medicine": [
        (SF, "主任医师"), (SD, "副主任医师"), (IM, "主治医师"), (AS, "医师"), (JR, "医士"),
        (SF, "主任中医师"), (SD, "副主任中医师"), (IM, "主治中医师"), (AS, "中医师"), (JR, "中医士"),
    ],
    "health_pharmacy": [
        (SF, "主任药师"), (SD, "副主任药师"), (IM, "主管药师"), (AS, "药师"), (JR, "药士"),
    ],
    "health_nursing": [
        (SF, "主任护师"), (SD, "副主任护师"), (IM, "主管护师"), (AS, "护师"), (JR, "护士"),
    ],
    "health_technology": [
        (SF, "主任技师"), (SD, "副主任技师"), (IM, "主管技师"), (AS, "技师"), (JR, "技士"),
    ],
    "higher_education": [(SF, "教授"), (SD, "副教授"), (IM, "讲师"), (AS, "助教")],
    "school_teacher": [
        (SF, "正高级教师"), (SD, "高级教师"), (IM, "一级教师"), (AS, "二级教师"), (JR, "三级教师"),
    ],
    "technical_school_teacher": [
        (SF, "正高级讲师"), (SD, "高级讲师"), (IM, "讲师"), (AS, "助理讲师"),
        (SF, "正高级实习指导教师"), (SD, "高级实习指导教师"), (IM, "一级实习指导教师"),
        (AS, "二级实习指导教师"), (JR, "三级实习指导教师"),
    ],
    "economics": [(SF, "正高级经济师"), (SD, "高级经济师"), (IM, "经济师"), (AS, "助理经济师")],
    "accounting": [(SF, "正高级会计师"), (SD, "高级会计师"), (IM, "会计师"), (AS, "助理会计师")],
    "auditing": [(SF, "正高级审计师"), (SD, "高级审计师"), (IM, "审计师"), (AS, "助理审计师")],
    "statistics": [(SF, "正高级统计师"), (SD, "高级统计师"), (IM, "统计师"), (AS, "助理统计师")],
    "agriculture": [
        (SF, "正高级农艺师"), (SD, "高级农艺师"), (IM, "农艺师"), (AS, "助理农艺师"), (JR, "技术员"),
        (SF, "正高级畜牧师"), (SD, "高级畜牧师"), (IM, "畜牧师"), (AS, "助理畜牧师"),
        (SF, "正高级兽医师"), (SD, "高级兽医师"), (IM, "兽医师"), (AS, "助理兽医师"),
    ],
    "journalism": [
        (SF, "高级记者"), (SD, "主任记者"), (IM, "记者"), (AS, "助理记者"),
        (SF, "高级编辑"), (SD, "主任编辑"), (IM, "编辑"), (AS, "助理编辑"),
    ],
    "publishing": [
        (SF, "编审"), (SD, "副编审"), (IM, "编辑"), (AS, "助理编辑"),
        (SF, "正高级技术编辑"), (SD, "高级技术编辑"), (IM, "技术编辑"), (AS, "助理技术编辑"),
        (IM, "一级校对"), (AS, "二级校对"), (JR, "三级校对"),
    ],
    "library": [
        (SF, "研究馆员"), (SD, "副研究馆员"), (IM, "馆员"), (AS, "助理馆员"), (JR, "管理员"),
    ],
    "cultural_relics": [(SF, "研究馆员"), (SD, "副研究馆员"), (IM, "馆员"), (AS, "助理馆员")],
    "archives": [
        (SF, "研究馆员"), (SD, "副研究馆员"), (IM, "馆员"), (AS, "助理馆员"), (JR, "管理员"),
    ],
    "arts_crafts": [
        (SF, "正高级工艺美术师"), (SD, "高级工艺美术师"), (IM, "工艺美术师"),
        (AS, "助理工艺美术师"), (JR, "工艺美术员"),
    ],
    "natural_science_research": [
        (SF, "研究员"), (SD, "副研究员"), (IM, "助理研究员"), (AS, "研究实习员"),
    ],
    "social_science_research": [
        (SF, "研究员"), (SD, "副研究员"), (IM, "助理研究员"), (AS, "研究实习员"),
    ],
    "laboratory": [
        (SF, "正高级实验师"), (SD, "高级实验师"), (IM, "实验师"), (AS, "助理实验师"), (JR, "实验员"),
    ],
}  # fmt: skip

# 栏目大类 an application of a series may choose its specialty from (series code → category
# codes); a series not listed (teachers of every subject…) offers every specialty. A sub-series
# uses its parent's.
SERIES_CATEGORIES: dict[str, tuple[str, ...]] = {
    "engineering": ("08", "07", "14"),
    "health": ("10",),
    "economics": ("02", "12"),
    "accounting": ("12", "02"),
    "auditing": ("12", "02"),
    "statistics": ("07", "02", "12"),
    "agriculture": ("09", "07"),
    "journalism": ("05",),
    "publishing": ("05",),
    "library": ("12",),
    "cultural_relics": ("06", "13"),
    "archives": ("12", "06"),
    "arts_crafts": ("13",),
    "natural_science_research": ("07", "08", "09", "10", "14"),
    "social_science_research": ("01", "02", "03", "04", "05", "06", "12"),
    "laboratory": ("07", "08", "09", "10"),
}

# treebeard MP_Node defaults (Specialty does not override them).
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def int2str(num: int) -> str:
    digits = ""
    while True:
        num, rem = divmod(num, len(ALPHABET))
        digits = ALPHABET[rem] + digits
        if num == 0:
            return digits.rjust(STEPLEN, ALPHABET[0])


def str2int(step: str) -> int:
    value = 0
    for char in step:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


def _next_child_path(model, parent_path: str, depth: int) -> str:
    last = (
        model.objects.filter(path__startswith=parent_path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    position = str2int(last[-STEPLEN:]) + 1 if last else 1
    return parent_path + int2str(position)


def seed_specialties(Specialty) -> int:
    created = 0
    for code, name, parent_code in SPECIALTIES:
        if Specialty.objects.filter(code=code).exists():
            continue
        if parent_code is None:
            path, depth = _next_child_path(Specialty, "", 1), 1
        else:
            parent = Specialty.objects.filter(code=parent_code).first()
            if parent is None:
                continue
            path, depth = (
                _next_child_path(Specialty, parent.path, parent.depth + 1),
                parent.depth + 1,
            )
            Specialty.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
        Specialty.objects.create(code=code, name=name, path=path, depth=depth, numchild=0)
        created += 1
    return created


def seed_titles(TitleSeries, Title) -> int:
    created = 0
    series_by_code = {}
    for order, (code, name, parent_code) in enumerate(TITLE_SERIES, start=1):
        series = TitleSeries.objects.filter(code=code).first()
        if series is None:
            series = TitleSeries.objects.create(
                code=code,
                name=name,
                parent=series_by_code.get(parent_code),
                sort_order=order * 10,
            )
            created += 1
        series_by_code[code] = series
    for series_code, titles in TITLES.items():
        series = series_by_code[series_code]
        for level, name in titles:
            if not Title.objects.filter(series=series, name=name).exists():
                Title.objects.create(series=series, level=level, name=name)
                created += 1
    return created


def seed(apps, schema_editor=None) -> int:
    """Add the standard specialties, series and titles that are missing (and, once the field
    exists, the series' 栏目大类)."""
    TitleSeries = apps.get_model("catalog", "TitleSeries")
    created = seed_specialties(apps.get_model("catalog", "Specialty")) + seed_titles(
        TitleSeries, apps.get_model("catalog", "Title")
    )
    if any(f.name == "specialty_categories" for f in TitleSeries._meta.get_fields()):
        seed_series_categories(apps)
    return created


def seed_series_categories(apps, schema_editor=None) -> None:
    """The standard series' 栏目大类 (``SERIES_CATEGORIES``), for series that have none yet."""
    TitleSeries = apps.get_model("catalog", "TitleSeries")
    Specialty = apps.get_model("catalog", "Specialty")
    categories = {s.code: s for s in Specialty.objects.filter(depth=1)}
    for code, category_codes in SERIES_CATEGORIES.items():
        series = TitleSeries.objects.filter(code=code).first()
        if series is None or series.specialty_categories.exists():
            continue
        series.specialty_categories.add(*(categories[c] for c in category_codes if c in categories))
