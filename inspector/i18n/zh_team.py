"""简体中文：团队督查（评分人、督查组与分组、版本与防覆盖、合并、冲突、待核实）。"""

MESSAGES: dict[str, str] = {
    # who is scoring
    "team.whoami.help": "显示当前评分人姓名及其来源。",
    "team.whoami.env": "评分人：{name}（来自环境变量 INSPECTOR_USER）",
    "team.whoami.config": "评分人：{name}（来自设置文件 {config}）",
    "team.whoami.system": (
        "评分人：{name}（系统用户名；请用 inspector config set inspector 姓名 设置）"
    ),
    "team.config.help": "本机用户的设置（评分人姓名）。",
    "team.config.set.help": "保存一项设置，例如：inspector config set inspector 王磊",
    "team.arg.key": "设置项名称（inspector）。",
    "team.arg.value": "设置值。",
    "team.config.saved": "已保存 {key} = {value}（{path}）",
    "team.config_key": "没有设置项“{key}”；可用：{known}",
    "team.config_bad": "设置文件 {path} 无法读取：{detail}（请修正或删除该文件）",
    # teams and assignments
    "team.help": "督查组：添加、列出。",
    "team.add.help": "添加督查组或为其增加成员，例如：inspector team add 第一督查组 --members 王磊,李娜",
    "team.list.help": "列出督查组、成员及其分配的单位。",
    "team.arg.team": "督查组名称。",
    "team.arg.units": "单位名称或编码（可多个）。",
    "team.opt.members": "成员姓名，以逗号分隔。",
    "team.opt.categories": "只分配这些类别（以逗号分隔的类别编码，如 3,4）；默认全部类别。",
    "team.added": "督查组“{team}”成员：{members}",
    "team.list.none": "尚无督查组。用 inspector team add 名称 --members 甲,乙 添加。",
    "team.col.team": "督查组",
    "team.col.members": "成员",
    "team.col.units": "单位",
    "team.assign.help": "把单位分配给督查组，例如：inspector assign 第一督查组 市财政局 市教育局",
    "team.assigned": "已分配给“{team}”：{count} 项变更。",
    "team.unknown": "没有督查组“{name}”。相近或已有的：{known}",
    "team.unknown_category": "没有类别“{code}”。已有类别：{known}",
    "team.unknown_item": "没有指标“{item}”。相近的：{known}",
    "team.not_yours": (
        "单位“{unit}”已分配给 {teams}，评分人“{who}”不是其成员（相近的成员姓名：{close}）。"
        "确需评分请加 --force。"
    ),
    "team.opt.force_team": "单位分配给其他督查组时仍然记录（--answers）。",
    "team.opt.if_version": "只在评分记录仍是此版本时记录（版本见 show --json 的 version）。",
    "team.if_version_answers": "--if-version 只与 --answers 一起使用。",
    "team.none": "（无）",
    # versions
    "team.version_changed": (
        "单位“{unit}”的评分已被修改（版本 {expected} → {current}），未记录。"
        "请用 show --json 查看当前内容后再提交。"
    ),
    "team.adjustments_changed.veto": "一票否决条目在显示后已被他人修改。",
    "team.adjustments_changed.aggravated": "加重扣分条目在显示后已被他人修改。",
    "team.adjustments_changed.bonus": "加分条目在显示后已被他人修改。",
    "team.item_changed": "指标 {item} 在显示后已被他人修改。",
    "team.confirm_conflicts": "单位“{unit}”还有未解决的合并冲突（{items}），不能确认。请用 inspector conflicts 查看。",
    "team.confirm_marked": "单位“{unit}”还有待核实的指标（{items}），不能确认。请先核实并取消标记（/k -）。",
    # the scorer
    "team.scorer.bar.who": " · {who}",
    "team.scorer.ask_name": "本机尚未设置评分人姓名。请输入您的姓名（直接回车则使用“{fallback}”）：",
    "team.scorer.name_prompt": "姓名> ",
    "team.scorer.name_saved": "已保存评分人姓名：{name}（可用 inspector config set inspector 修改）",
    "team.scorer.other_team": "单位“{unit}”已分配给 {teams}，您（{who}）不是其成员。",
    "team.scorer.other_team_prompt": "仍要评分吗？输入 y 继续，回车退出> ",
    "team.scorer.holder": "{who}（{host}，{since} 起）",
    "team.scorer.lease": "注意：{holders} 正在为“{unit}”评分。同一指标的保存会互相提示，不会静默覆盖。",
    "team.scorer.adjustments_changed": "{kind}条目在本页显示后已被他人修改，未保存。现在记录的是：{entries}。如需改动，请在此基础上重新输入。",
    "team.scorer.changed": "✗ 指标 {code} 在本卡片显示后已被他人修改，未保存。",
    "team.scorer.mine": "我的（{who}）",
    "team.scorer.theirs": "对方（{who}，{at}）",
    "team.scorer.changed_prompt": "k 保留我的 · t 采用对方的 · e 重新编辑> ",
    "team.scorer.changed_again": "请输入 k、t 或 e。",
    "team.scorer.taken": "已采用对方对 {code} 的评分。",
    "team.scorer.edit": "{code} 已显示最新评分，请重新输入。",
    "team.scorer.marked": "已将 {code} 标记为待核实。",
    "team.scorer.unmarked": "已取消 {code} 的待核实标记。",
    "team.scorer.ask_mark": "待核实说明（输入 - 取消标记）：",
    "team.scorer.drafted": "本项未评分，刚才输入的文字已作为草稿保留，回到本项时恢复。",
    "team.scorer.draft_restored": "已恢复本项的草稿文字，评分后一并保存。",
    "team.scorer.list.marked": "待核实 {count} 项：",
    "team.status.marked": "待核实 {items}",
    "team.status.conflicts": "冲突 {count} 项",
    # merge
    "merge.help": "合并其他笔记本的工作区（同一轮次），例如：inspector merge 第二组.db",
    "merge.arg.others": "要合并进来的工作区文件（只读取，不修改）。",
    "merge.opt.dry_run": "只列出将合并的内容，不做修改。",
    "merge.nothing": "{path}：没有新内容，工作区未改变（此前已合并过或内容相同）。",
    "merge.done": (
        "已合并 {path}：新增单位 {units} 个、评分记录 {assessments} 份、指标 {items} 项，"
        "相同 {same} 项，冲突 {conflicts} 项；日志 {audit} 条，整改台账 {ledger} 条。"
    ),
    "merge.dry_run": (
        "试合并 {path}（未修改）：将新增单位 {units} 个、评分记录 {assessments} 份、指标 {items} 项，"
        "相同 {same} 项，冲突 {conflicts} 项；日志 {audit} 条，整改台账 {ledger} 条。"
    ),
    "merge.unconfirmed": "{count} 份已确认的评分因双方不一致改为未确认。",
    "merge.see_conflicts": "有冲突的单位：{units}。请用 inspector conflicts 查看，用 inspector resolve 处理。",
    "merge.old_schema": (
        "{path} 是旧版本工作区（结构版本 {version}，当前 {current}）。"
        "请先用本程序打开一次（如 inspector status --db {path}）再合并。"
    ),
    "merge.same_file": "{path} 就是当前工作区，不能与自身合并。",
    "merge.no_uri": "无法以只读方式打开 {path}（本机 SQLite 不支持 URI 文件名）。",
    "merge.other_set": (
        "{path} 的轮次“{round}”使用了不同的指标体系（对方 {theirs}…，本机 {mine}…），拒绝合并。"
    ),
    "merge.unit_code": "{path}：单位“{unit}”的编码不一致（对方 {theirs}，本机 {mine}），拒绝合并。",
    "merge.being_written": "{path} 正被本机的另一个进程写入（{who}，进程 {pid}）。请先结束该评分再合并。",
    # conflicts
    "conflicts.help": "列出合并后双方评分不一致的指标（左右对照）。",
    "conflicts.arg.unit": "只看这个单位。",
    "conflicts.none": "没有未解决的冲突。",
    "conflicts.col.unit": "单位",
    "conflicts.col.item": "指标",
    "conflicts.col.mine": "本机",
    "conflicts.col.theirs": "对方（来源）",
    "conflicts.how": "处理：inspector resolve 单位 指标 --take mine|theirs",
    "resolve.help": "解决一项冲突：保留本机（mine）或采用对方（theirs）的评分。",
    "resolve.arg.item": "指标编码（或 veto、aggravated、bonus）。",
    "resolve.opt.take": "mine 保留本机的，theirs 采用对方的。",
    "resolve.done.mine": "已解决：{unit} {item} 保留本机的评分。",
    "resolve.done.theirs": "已解决：{unit} {item} 采用对方的评分。",
    "team.no_conflict": "单位“{unit}”的“{item}”没有未解决的冲突。有冲突的：{known}",
    "team.bad_take": "--take 只能是 mine 或 theirs，而不是“{take}”。",
    # the leadership workbook's cover
    "team.report.section": "督查组与分工",
    "team.report.line": "{team}（{members}）：{units}",
    "merge.being_written_now": "{path} 正被另一个进程写入（写事务未结束），本机未做任何修改。请待其完成后再合并。",
    "team.scorer.conflict": "合并冲突：对方（{who}，{at}，来自 {source}）的评分 ",
    "team.scorer.conflict_how": "；/take 采用对方，/mine 保留本机，或重新评分",
    "team.scorer.no_conflict": "本项没有合并冲突（{code}）。",
    "team.show.scorers": "评分人：{scorers}",
    "team.show.scorer": "{who}（{count} 项）",
    "team.show.scorer_items": "{who}（{items}）",
}
