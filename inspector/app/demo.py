"""``inspector demo``: a realistic sample workspace, built in one go.

Thirteen units of both groups (three of them critical-infrastructure operators) are scored
against the bundled default set, by a seeded random generator (``random.Random(2026)``) over
hand-written profiles, so the same demo always holds the same data. The story it tells is a
typical year: most units good or fair, one weak county that rated itself far too well, one
district vetoed for concealing an incident (its grade set to 不合格 whatever its score), one
portal knocked out by an attack (aggravated deduction), a department that connected a
classified computer to the internet (an aggravated deduction that also rules out 优秀), some
bonus points (on top of the 100-point cap), a department whose portal is run by the city (an
item declared N/A), a publicity week judged one-sided (a ranged deduction, 视情扣分), basic
information that did not match what was found (a check-only item: a problem, no points), one
unit without a self-assessment and one still being scored.

Every generated answer passes ``answers.check_answer``, the validation every other way of
scoring uses, so the demo cannot store what a user could not. Items lose points the way their
scoring form samples it (``Form.sample``); what inspectors wrote is looked up by what took the
points (the rule) or by the form's own default text (the level).
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from inspector.core.answers import check_answer
from inspector.core.assessment import FULL, ItemAnswer, Unit
from inspector.core.forms import form_of
from inspector.core.indicators import load_set
from inspector.core.indicators.model import IndicatorSet, Item
from inspector.errors import ConflictError
from inspector.store import round_extras
from inspector.store.workspace import Round, Workspace

DEMO_DB = Path("inspector-demo.db")
DEMO_MARK = "demo"  # workspace meta key: set only in workspaces this module made
ROUND_NAME = "2026年度网络安全工作责任制督查检查"
SEED = 2026
INSPECTION_DAY = date(2026, 11, 20)
# last year: the same city a year earlier, made this year's round's --from round
LAST_ROUND_NAME = "2025年度网络安全工作责任制督查检查"
LAST_SEED = 2025
LAST_INSPECTION_DAY = date(2025, 11, 20)
NEW_UNITS = ("新区管委会",)  # set up this year: 新增 in the ranking
# how well each unit did last year (chance that an item was fully met): some rose, some fell
LAST_QUALITY = {
    "王益区": 0.7,
    "印台区": 0.8,
    "耀州区": 0.72,
    "宜君县": 0.5,
    "市财政局": 0.7,
    "市卫健委": 0.74,
    "市教育局": 0.6,
    "市公安局": 0.8,
    "市大数据局": 0.86,
    "市人社局": 0.62,
    "市医保局": 0.52,
    "市水务局": 0.7,
}
INSPECTOR = "市委网信办检查组"
COMMAND = "inspector demo"


@dataclass(frozen=True)
class Profile:
    name: str
    group: str
    code: str
    tags: tuple[str, ...] = ()
    quality: float = 0.7  # chance that an item is fully met
    honesty: float = 0.5  # chance that the self-assessment owns up to a deduction
    self_assessed: bool = True
    scored_items: int | None = None  # inspection still in progress: only this many items
    veto: tuple[str, ...] = ()
    aggravated: Mapping[str, int] = field(default_factory=dict)
    bonus: Mapping[str, int] = field(default_factory=dict)
    na: Mapping[str, str] = field(default_factory=dict)
    forced: Mapping[str, ItemAnswer] = field(default_factory=dict)  # what the inspectors found


PROFILES: tuple[Profile, ...] = (
    Profile("王益区", "区县", "QX01", quality=0.8, honesty=0.6, bonus={"B1": 1}),
    Profile(
        "印台区",
        "区县",
        "QX02",
        quality=0.64,
        aggravated={"A2": 1},
        forced={
            "2.6": ItemAnswer(
                "deduct",
                (("r4", 1),),
                problem="区政府门户网站未部署防篡改和安全监测措施，9月遭受拒绝服务攻击中断服务3小时",
            ),
            "1.7": ItemAnswer(
                "found",
                ("c1",),
                problem="报送的信息系统为6个，现场核查发现在用信息系统8个（含2个新上线系统）",
            ),
        },
    ),
    Profile(
        "耀州区",
        "区县",
        "QX03",
        quality=0.62,
        veto=("V2",),
        forced={
            "4.5": ItemAnswer(
                "deduct",
                (("r2", 1),),
                problem="7月区属网站遭篡改，事发后未按规定时限报告，检查中发现隐瞒未报",
            )
        },
    ),
    Profile("宜君县", "区县", "QX04", quality=0.42, honesty=0.05),
    Profile("新区管委会", "区县", "QX05", quality=0.72, self_assessed=False),
    Profile("市财政局", "市级部门", "BM01", quality=0.76, honesty=0.6),
    Profile("市卫健委", "市级部门", "BM02", ("关基",), quality=0.6),
    Profile(
        "市教育局",
        "市级部门",
        "BM03",
        quality=0.68,
        forced={
            "5.1": ItemAnswer(
                "deduct",
                (("r3", Decimal("0.5")),),
                problem="宣传周仅在官网转发宣传材料，未组织进校园线下活动",
            )
        },
    ),
    Profile(
        "市公安局",
        "市级部门",
        "BM04",
        ("关基",),
        quality=0.86,
        honesty=0.7,
        aggravated={"A4": 1},
        bonus={"B5": 1},
    ),
    Profile("市大数据局", "市级部门", "BM05", ("关基",), quality=0.82, bonus={"B1": 1, "B3": 1}),
    Profile(
        "市人社局",
        "市级部门",
        "BM06",
        quality=0.55,
        honesty=0.4,
        forced={"1.7": ItemAnswer("found", ("c3",))},
    ),
    Profile(
        "市医保局",
        "市级部门",
        "BM07",
        quality=0.66,
        na={"2.6": "本单位未开办互联网政务应用，门户网站由市政府门户网站统一承载"},
    ),
    Profile("市水务局", "市级部门", "BM08", ("关基",), quality=0.66, scored_items=19),
)

# What inspectors wrote for some rules ({n}: the count); other rules keep their own text.
PROBLEMS: dict[tuple[str, str], str] = {
    ("1.1", "r2"): "党委（党组）全年仅于3月召开1次会议专题研究网络安全工作",
    ("1.1", "r3"): "未制定本年度网络安全工作要点或工作计划",
    ("1.2", "r3"): "{n}个下属单位（科室）未签订网络安全责任书",
    ("1.3", "r2"): "网络安全工作领导小组成员调整后未及时发文更新，全年未召开领导小组会议",
    ("1.3", "r4"): "网络安全管理员由第三方运维人员兼任",
    ("1.4", "r1"): "年度预算未单列网络安全经费",
    ("1.6", "r3"): "上年度督查检查发现的{n}项问题逾期未整改到位",
    ("2.1", "r3"): "网络安全管理制度2019年印发后未修订，与现有系统和机构设置不符",
    ("2.1", "r4"): "{n}项制度无执行记录（如机房出入登记、变更审批）",
    ("2.3", "r2"): "{n}名离岗人员的OA、邮箱账号未及时注销",
    ("2.4", "r1"): "{n}项信息化运维外包合同未约定安全保密责任",
    ("2.4", "r2"): "外包运维人员使用共享账号远程运维，无审批和审计记录",
    ("2.5", "r1"): "未开展数据分类分级，未形成数据资源目录",
    ("2.5", "r3"): "{n}个业务系统明文存储公民身份证号、手机号等个人信息",
    ("2.6", "r3"): "{n}个政务新媒体账号长期未更新，未按规定关停整合",
    ("3.1", "r1"): "{n}个在用业务系统未开展等级保护定级",
    ("3.1", "r2"): "{n}个第二级以上系统未向公安机关备案",
    ("3.2", "r1"): "{n}个第三级系统本年度未开展等级测评",
    ("3.2", "r3"): "等级测评发现的{n}项高风险问题未按期整改",
    ("3.3", "r2"): "本年度未对关键信息基础设施开展网络安全检测和风险评估",
    ("3.3", "r3"): "核心业务数据库未实现异地容灾备份",
    ("3.4", "r1"): "技术检测发现弱口令{n}处（门户网站后台、视频监控平台等）",
    ("3.4", "r2"): "门户网站及业务系统存在{n}个未修复的高危漏洞",
    ("3.4", "r3"): "互联网暴露远程桌面、数据库等高危端口{n}个",
    ("3.5", "r1"): "{n}个系统的网络日志留存不足六个月",
    ("3.5", "r3"): "全年未开展备份恢复测试",
    ("3.6", "r1"): "抽查发现{n}台终端未安装防病毒软件或病毒库长期未更新",
    ("3.6", "r2"): "抽查发现{n}处私接无线路由器或“一机两用”",
    ("4.1", "r2"): "安全设备告警无人研判处置，无处置记录",
    ("4.2", "r1"): "市委网信办通报的{n}起风险事项未在规定时限内处置反馈",
    ("4.3", "r3"): "应急预案2020年制定后未修订，机构人员调整后未更新",
    ("4.3", "r4"): "门户网站等重要信息系统无专项应急预案",
    ("4.6", "r2"): "自查流于形式，未发现检查组发现的弱口令、高危端口等明显问题",
    ("4.6", "r3"): "重要信息系统本年度未开展风险评估或渗透测试",
    ("5.1", "r3"): "宣传周仅转发宣传材料，未开展线下主题活动",
    ("5.2", "r2"): "宣传周以外仅开展1次网络安全宣传活动",
    ("5.4", "r1"): "全员网络安全培训覆盖率为82%，低于90%",
    ("5.4", "r4"): "现场知识测试平均得分52分",
    ("5.5", "r1"): "{n}名网络安全管理员全年未参加专业培训",
}
# What inspectors wrote where the default problem is a level's name.
LEVEL_PROBLEMS: dict[str, str] = {
    "仅开展桌面推演": "全年仅组织1次桌面推演，未开展实战化应急演练",
    "仅培训": "仅开展应急预案培训，未组织应急演练",
    "未开展": "全年未开展网络安全应急演练",
}
# What inspectors wrote for items scored without rules or levels ({n}: two per half point lost).
SCORED_PROBLEMS: dict[str, str] = {
    "2.2": "资产台账不完整，{n}项互联网资产和信息系统未纳入台账，部分资产责任人未明确",
}
RECTIFY: dict[str, str] = {
    "1.1": "党委（党组）每年至少2次专题研究网络安全工作，制定年度工作要点",
    "1.2": "以正式文件明确第一责任人和直接责任人，责任书签订到全部下属单位",
    "1.3": "调整领导小组成员并每年至少召开1次会议，由在编人员担任网络安全管理员",
    "1.4": "将网络安全经费列入年度预算，保障测评、评估等必要工作",
    "1.5": "建立检查考核制度，对下属单位开展年度检查，结果纳入综合考核",
    "1.6": "建立整改台账，逐项销号，按时报送重大事项和年度总结",
    "2.1": "修订网络安全管理制度并以正式文件印发，留存执行记录",
    "2.2": "全面清查网络资产和信息系统，完善台账并明确责任人",
    "2.3": "离岗调岗人员账号当日注销，关键岗位人员签订保密协议",
    "2.4": "补签外包安全保密协议，远程运维实行审批和全程审计",
    "2.5": "开展数据分类分级，对个人信息实施加密存储和访问控制",
    "2.6": "落实信息发布审核、保密审查和防篡改措施，关停整合“僵尸”账号，使用政务邮箱办公",
    "3.1": "对全部在用系统完成定级，第二级以上系统向公安机关备案",
    "3.2": "第三级系统每年开展等级测评，高风险问题限期整改并复测",
    "3.3": "设立专门安全管理机构，每年开展检测评估和密评，核心数据异地容灾",
    "3.4": "立即修改弱口令、修复高危漏洞、关闭高危端口，提交复测证明",
    "3.5": "日志留存不少于六个月，重要数据异地或离线备份并定期恢复测试",
    "3.6": "终端统一安装防病毒软件，清理违规外联和私接设备",
    "4.1": "落实监测手段，告警日志每日研判并留存处置记录",
    "4.2": "通报事项在规定时限内处置反馈，建立通报处置台账",
    "4.3": "修订应急预案，为重要系统制定专项预案并报备",
    "4.4": "每年至少组织1次实战化应急演练，形成演练总结",
    "4.5": "严格落实事件报告时限，明确报告责任人，补报事件情况",
    "4.6": "全面开展年度自查，重要系统开展风险评估或渗透测试",
    "5.1": "制定宣传周活动方案，开展线下主题活动并报送总结",
    "5.2": "宣传周以外每年至少开展2次网络安全宣传活动",
    "5.3": "理论学习中心组每年安排网络安全专题学习",
    "5.4": "全员培训覆盖率达到90%以上，开展培训效果测试",
    "5.5": "网络安全管理员每年参加专业培训，签约技术支撑机构并明确应急响应时限",
}


@dataclass(frozen=True)
class DemoResult:
    path: Path
    round_name: str
    units: int
    groups: dict[str, int]


def _deadline(indicators: IndicatorSet, item: Item, day: date = INSPECTION_DAY) -> str:
    days = item.rectify_days or indicators.rectify_days
    return (day + timedelta(days=days)).isoformat()


def _problem(item: Item, value: object) -> str | None:
    """What the inspectors wrote for this finding (None: the default text)."""
    form = form_of(item)
    score, hits = form.score(item, value)
    if hits:
        curated = [PROBLEMS.get((item.code, hit.rule)) for hit in hits]
        if not any(curated):
            return None
        return "；".join(
            text.format(n=hit.count)
            if text is not None
            else form.default_problem(item, value, (hit,), "zh") or ""
            for text, hit in zip(curated, hits, strict=True)
        )
    default = form.default_problem(item, value, hits, "zh")
    if default is not None:
        return LEVEL_PROBLEMS.get(default)
    scored = SCORED_PROBLEMS.get(item.code)
    return scored.format(n=int((item.points - score) * 4)) if scored is not None else None


def _inspect(
    rng: random.Random,
    indicators: IndicatorSet,
    item: Item,
    profile: Profile,
    day: date = INSPECTION_DAY,
) -> ItemAnswer:
    if item.code in profile.na:
        return ItemAnswer("na", na_reason=profile.na[item.code])
    forced = profile.forced.get(item.code)
    if forced is None and rng.random() < profile.quality:
        return FULL
    texts = {"rectify": RECTIFY.get(item.code), "deadline": _deadline(indicators, item, day)}
    if forced is not None:
        return forced.with_texts(**texts)
    form = form_of(item)
    value = form.sample(rng, item, frozenset())  # rules that exclude each other: the form knows
    return ItemAnswer(form.answer_key, value, problem=_problem(item, value), **texts)


def _self(rng: random.Random, answer: ItemAnswer, honesty: float) -> ItemAnswer:
    """What the unit said of itself: some of the deductions, in fewer words."""
    if answer.form == "na":
        return answer
    if answer.form == "full" or rng.random() >= honesty:
        return FULL
    return ItemAnswer(answer.form, answer.value)


def _checked(item: Item, answer: ItemAnswer, applies: bool) -> ItemAnswer:
    reasons = check_answer(item, answer, applies)
    if reasons:  # a bug in the profiles above, not a user error
        raise AssertionError(f"demo answer for {item.code} refused: {reasons}")
    return answer


def _last_year(ws: Workspace, round_: Round, units: list[Unit]) -> None:
    """Last year's inspections (every unit scored in full, no veto), and how the problems
    went: three in four rectified and closed on re-inspection, the rest carried over."""
    from inspector.app.demo_ledger import close_most

    rng = random.Random(LAST_SEED)
    indicators = round_.indicators
    profiles = {p.name: p for p in PROFILES}
    for unit in units:
        profile = replace(
            profiles[unit.name],
            quality=LAST_QUALITY[unit.name],
            veto=(),
            aggravated={},
            forced={},
            scored_items=None,
        )
        inspection = {
            item.code: _checked(
                item, _inspect(rng, indicators, item, profile, LAST_INSPECTION_DAY), True
            )
            for _, item in indicators.items()
            if item.applies(unit.group, frozenset(unit.tags))
        }
        ws.record(round_, unit, "inspection", INSPECTOR, COMMAND, inspection, {})
        ws.set_confirmed(round_, unit, "inspection", True, INSPECTOR, COMMAND)
    close_most(ws, round_, INSPECTOR, COMMAND, LAST_INSPECTION_DAY)


def fill(ws: Workspace) -> None:
    """Create last year's round and this year's (carried over from it, ``round new
    --from``), the units and every assessment in ``ws`` (a fresh workspace)."""
    from inspector.app.carryover import create

    rng = random.Random(SEED)
    loaded = load_set()
    indicators = loaded.indicators
    ws.set_meta(DEMO_MARK, "1")
    last = ws.new_round(LAST_ROUND_NAME, loaded, INSPECTOR, COMMAND)
    units = ws.add_units([(p.name, p.group, p.code, p.tags) for p in PROFILES], INSPECTOR, COMMAND)
    earlier = [u for u in units if u.name not in NEW_UNITS]
    round_extras.enlist(ws.conn, last.id, earlier)
    _last_year(ws, last, earlier)
    round_ = create(
        ws,
        ROUND_NAME,
        indicators=None,
        deadline=None,
        timezone=None,
        previous=LAST_ROUND_NAME,
        without=[],
        command=COMMAND,
    ).round
    round_extras.enlist(ws.conn, round_.id, [u for u in units if u.name in NEW_UNITS])
    for profile, unit in zip(PROFILES, units, strict=True):
        inspection: dict[str, ItemAnswer | None] = {}
        own: dict[str, ItemAnswer | None] = {}
        scored = 0
        for _, item in indicators.items():
            applies = item.applies(unit.group, frozenset(unit.tags))
            answer = _inspect(rng, indicators, item, profile) if applies else None
            mine = _self(rng, answer, profile.honesty) if answer is not None else None
            if answer is None:
                continue
            own[item.code] = _checked(item, mine or FULL, applies)
            if profile.scored_items is None or scored < profile.scored_items:
                inspection[item.code] = _checked(item, answer, applies)
                scored += 1
        adjustments = {
            "veto": dict.fromkeys(profile.veto, 1),
            "aggravated": dict(profile.aggravated),
            "bonus": dict(profile.bonus),
        }
        if profile.self_assessed:
            who = f"{unit.name}网络安全管理员"
            ws.record(
                round_,
                unit,
                "self",
                who,
                COMMAND,
                items=own,
                adjustments={"bonus": dict(profile.bonus)},
            )
            ws.set_confirmed(round_, unit, "self", True, who, COMMAND)
        ws.record(round_, unit, "inspection", INSPECTOR, COMMAND, inspection, adjustments)
        if profile.scored_items is None:
            ws.set_confirmed(round_, unit, "inspection", True, INSPECTOR, COMMAND)
    from inspector.app.demo_ledger import rectification_cycle  # reports, re-inspection

    rectification_cycle(ws, round_, INSPECTOR, COMMAND, INSPECTION_DAY)


def is_demo_workspace(path: Path) -> bool:
    """Whether ``path`` is a workspace ``inspector demo`` made. A read-only look: no
    migration, and (immutable) no -wal/-shm files left beside someone's real workspace."""
    try:
        uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (DEMO_MARK,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "1"


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def build_demo(path: Path = DEMO_DB) -> DemoResult:
    """Build the sample workspace at ``path``. An earlier demo there is replaced; anything
    else there is refused. Built beside it and renamed into place, so a failure leaves the
    earlier file as it was."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0 and not is_demo_workspace(path):
        raise ConflictError("demo.not_demo", path=path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(name)
    try:
        ws = Workspace.create(temp)
        try:
            fill(ws)
            groups: dict[str, int] = {}
            for unit in ws.units():
                groups[unit.group] = groups.get(unit.group, 0) + 1
            count = len(ws.units())
        finally:
            ws.close()
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        os.replace(temp, path)
    except BaseException:
        _remove(temp)
        raise
    return DemoResult(path, ROUND_NAME, count, groups)
