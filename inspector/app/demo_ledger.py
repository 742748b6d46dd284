"""The demo city's rectification cycle, after its inspections (``inspector demo``).

Fixed choices, so every demo holds the same ledger, and through the same use cases a user
goes through (the scorer's recording, the units' reports as an import records them, the
re-inspection's decisions), so the demo cannot hold what a user could not:

* 市教育局: on review an inspector deducts on an item and takes it back once the unit shows
  its evidence: the entry is withdrawn (已撤销), the scores are as before;
* 市财政局 and 王益区 report every problem done (已整改); the office re-inspects them: all
  of 市财政局's pass (已销号), one of 王益区's fails (复查未通过, back to 整改中);
* 市公安局 reports every problem done and waits for its re-inspection (已整改（待复查）);
* 印台区 reports half its problems in progress (整改中); the others stay 待整改;
* the other units have not reported yet (待整改); 市水务局, still being scored, has
  provisional problems (暂定).
"""

from __future__ import annotations

from datetime import date, timedelta

from inspector.app import recording
from inspector.app.recheck import Decision, decide
from inspector.core.assessment import FULL, ItemAnswer
from inspector.core.forms import form_of
from inspector.reports.ledger_sync import ensure_synced
from inspector.store import ledger as L
from inspector.store.workspace import Round, Workspace

WITHDRAWN_IN = "市教育局"
REPORTED_DONE = ("市财政局", "王益区", "市公安局")
RECHECKED = ("市财政局", "王益区")
IN_PROGRESS = "印台区"
FAILED_REASON = "抽查发现2个下属单位仍未签订网络安全责任书，整改未覆盖全部下属单位"
DEPARTMENTS = ("办公室", "信息中心", "网络安全科", "综合科")
PEOPLE = ("张伟", "李静", "王芳", "刘洋", "陈磊", "杨帆")


def _withdrawal(ws: Workspace, round_: Round, inspector: str, command: str) -> None:
    """An item deducted on review, then given back full marks: its entry is withdrawn."""
    unit = ws.unit(WITHDRAWN_IN)
    stored = ws.assessment(round_, unit, "inspection")
    for _, item in round_.indicators.items():
        current = stored.items.get(item.code)
        rules = getattr(item, "deductions", None)
        if current is None or current.answer != FULL or not rules:
            continue
        answer = ItemAnswer(
            form_of(item).answer_key,
            ((rules[0].id, 1),),
            problem="复核资料时发现相关制度未按规定印发",
        )
        recording.record(
            ws, round_, unit, "inspection", who=inspector, command=command,
            items={item.code: answer}, reopen=True,
        )  # fmt: skip
        recording.record(
            ws, round_, unit, "inspection", who=inspector, command=command,
            items={item.code: FULL}, confirm=True,
        )  # fmt: skip
        return


def _report(
    ws: Workspace, round_: Round, entry: L.Entry, index: int, done: bool, day: date
) -> None:
    """What a unit's returned workbook would record for one problem."""
    who = f"{entry.unit_name}网络安全管理员"
    requirement = entry.text("requirement", "zh")
    values = {
        "status": L.DONE if done else L.IN_PROGRESS,
        "department": DEPARTMENTS[index % len(DEPARTMENTS)],
        "person": PEOPLE[index % len(PEOPLE)],
        "measures": ("已完成：" if done else "正在落实：") + requirement,
        "completed_on": (day - timedelta(days=index % 4)).isoformat() if done else None,
        "evidence": (
            [
                {"file": f"{entry.code}整改报告.pdf", "description": "整改情况说明"},
                {"file": f"{entry.code}佐证材料.zip", "description": "制度文件、记录截图"},
            ]
            if done
            else []
        ),
    }
    L.update(
        ws.conn,
        entry,
        values,
        action="reported",
        who=who,
        command=f"inspector rectify import [{entry.unit_name}.xlsx]",
        round_name=round_.name,
    )


def rectification_cycle(
    ws: Workspace, round_: Round, inspector: str, command: str, inspection_day: date
) -> None:
    """Withdraw one entry, record some units' reports, re-inspect some (one fails)."""
    ensure_synced(ws, round_)
    _withdrawal(ws, round_, inspector, command)
    reported_on = inspection_day + timedelta(days=8)
    with ws.transaction():
        for name in (*REPORTED_DONE, IN_PROGRESS):
            unit = ws.unit(name)
            entries = L.entries(ws.conn, round_.id, [unit.id], [L.OPEN])
            for index, entry in enumerate(entries):
                if name == IN_PROGRESS and index % 2:
                    continue
                _report(ws, round_, entry, index, name != IN_PROGRESS, reported_on)
    closed_on = reported_on + timedelta(days=3)
    for name in RECHECKED:
        unit = ws.unit(name)
        for index, entry in enumerate(L.entries(ws.conn, round_.id, [unit.id], [L.DONE])):
            fails = name == "王益区" and index == 0
            decision = Decision(entry.number, not fails, FAILED_REASON if fails else "已现场核实")
            decide(ws, round_, entry, decision, who=inspector, command=command, day=closed_on)


def close_most(
    ws: Workspace, round_: Round, inspector: str, command: str, inspection_day: date
) -> None:
    """Last year's cycle: three problems in four reported done and closed on re-inspection;
    the fourth of each unit stays open (carried over into this year as 上年遗留)."""
    ensure_synced(ws, round_)
    reported_on = inspection_day + timedelta(days=30)
    with ws.transaction():
        for index, entry in enumerate(L.entries(ws.conn, round_.id, None, [L.OPEN])):
            if index % 4 != 3:
                _report(ws, round_, entry, index, True, reported_on)
    closed_on = reported_on + timedelta(days=10)
    for entry in L.entries(ws.conn, round_.id, None, [L.DONE]):
        decision = Decision(entry.number, True, "已现场核实")
        decide(ws, round_, entry, decision, who=inspector, command=command, day=closed_on)
