"""Messages of the leadership reports' summary, year over year, and the draft 通报 (Chinese)."""

MESSAGES: dict[str, str] = {
    "trend.help": "各单位历年得分、等次和名次（沿 --from 上一轮次，或按轮次创建顺序）",
    "trend.arg.unit": "只看这个单位（名称或代码），并按指标代码逐项对比",
    "trend.unit_absent": "单位“{unit}”没有参加这些轮次",
    "trend.title": "历年得分与名次",
    "trend.col.unit": "单位",
    "trend.col.group": "分组",
    "trend.col.change": "得分变化",
    "trend.col.rank_change": "名次变化",
    "trend.col.code": "代码",
    "trend.col.item": "二级指标",
    "trend.cell": "{total}分 {grade} 第{rank}名",
    "trend.cell_unranked": "{total}分（未完成）",
    "trend.absent": "—",
    "trend.items_title": "{unit}逐项得分（按指标代码对比）",
    "trend.single_round": "工作区只有一个轮次（{round}），暂无历年对比。",
    "leaders.unit.items_row": "项目得分合计",
    "leaders.unit.total_row": "总分（折算并计入加减分）",
}
