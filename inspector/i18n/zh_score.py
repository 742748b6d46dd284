"""简体中文：交互式逐项评分（inspector score UNIT）。"""

MESSAGES: dict[str, str] = {
    "scorer.kind.inspection": "检查评分",
    "scorer.kind.self": "单位自评",
    # the bar at the top of every screen
    "scorer.bar.unit": " {unit}（{group}）{kind}",
    "scorer.bar.progress": "第 {n}/{total} 项  已评 {answered}  暂计 {score} 分 ",
    "scorer.bar.review": "复核  已评 {answered}/{total} ",
    "scorer.bar.confirmed": "已确认  已评 {answered}/{total} ",
    # the item card
    "scorer.card.requirement": "要求",
    "scorer.card.methods": "方法",
    "scorer.card.evidence": "材料",
    "scorer.card.basis": "依据",
    "scorer.card.notes": "说明",
    "scorer.card.rules": "扣分",
    "scorer.card.levels": "档次",
    "scorer.card.direct": "评分",
    "scorer.card.self": "自评",
    "scorer.card.current": "当前",
    "scorer.card.pending": "待存",
    "scorer.card.category": "{code} {name}",
    "scorer.card.points": "（{points}分）",
    "scorer.card.law": "{title}（{version}）{article}",
    "scorer.card.article_sep": "、",
    "scorer.card.list_sep": "；",
    "scorer.card.score_of": "{score}/{max}分",
    "scorer.card.full": "（满分）",
    "scorer.card.deducted": "，扣 {keys}",
    "scorer.card.level_chosen": "，{level}",
    "scorer.card.na": "不适用：{reason}",
    "scorer.card.problem": "；问题：{text}",
    "scorer.card.problem_default": "；问题（默认）：{text}",
    "scorer.card.text_rectify": "；整改：{text}",
    "scorer.card.text_evidence": "；佐证：{text}",
    "scorer.card.text_note": "；备注：{text}",
    "scorer.card.text_deadline": "；期限：{text}",
    "scorer.card.rule_fixed": "-{points}",
    "scorer.card.rule_per": "-{points}/{per}",
    "scorer.card.rule_per_note": "",
    "scorer.card.rule_per_cap": "（最多扣{max}分）",
    "scorer.card.level_pts": "{points}分",
    "scorer.card.direct_range": "直接评分：输入 0 至 {max} 分，步长 {step}",
    "scorer.card.rule_ids": "规则编号：",
    "scorer.card.na_allowed": "本项可标记不适用（/n 理由）。",
    # the hint line above the prompt
    "scorer.hint.full": "回车 满分",
    "scorer.hint.keep": "回车 保持",
    "scorer.hint.keys": "a b2 扣分",
    "scorer.hint.levels": "a b c 选档",
    "scorer.hint.direct": "0–{max} 打分",
    "scorer.hint.equals": "= 满分",
    "scorer.hint.texts": "/p 问题 /r 整改",
    "scorer.hint.na": "/n 不适用",
    "scorer.hint.back": "< 上一项",
    "scorer.hint.info": "/i 全文",
    "scorer.hint.help": "? 帮助",
    "scorer.hint.sep": "  ",
    # prompts (plain text: the line editor must know their width)
    "scorer.prompt.item": "{code}> ",
    "scorer.prompt.text": "> ",
    "scorer.prompt.goto": "跳到指标编码> ",
    "scorer.prompt.return": "回车返回> ",
    "scorer.prompt.list": "输入编码跳转，回车返回> ",
    "scorer.prompt.review": "复核> ",
    # messages
    "scorer.start.resume": "继续评分：已评 {answered}/{total} 项，从 {code} 开始。",
    "scorer.start.complete": "本单位已全部评完，这是复核页。",
    "scorer.start.confirmed": "该评分已确认锁定。修改任何一项或登记否决、加重、加分，都将解除锁定并记入审计日志。",
    "scorer.saved": "✓ {code} 已保存：",
    "scorer.reopened": "已解除锁定（--reopen），已记入审计日志。",
    "scorer.wrapped": "尚有 {count} 项未评，从 {code} 继续。",
    "scorer.texts.pending": "已记下，评分时一并保存。",
    "scorer.texts.dropped": "未评分，刚才输入的文字未保存。",
    "scorer.na.cancelled": "未填写理由，未标记不适用。",
    "scorer.nav.first": "已是第一项。",
    "scorer.nav.not_applicable": "指标 {code} 不适用于“{unit}”，无需评分。",
    "scorer.nav.unknown": "没有指标“{code}”（本单位的指标从 {first} 到 {last}；/l 查看未评项）。",
    "scorer.ask.problem": "存在问题（当前：{current}）",
    "scorer.ask.rectify": "整改要求（当前：{current}）",
    "scorer.ask.evidence": "佐证材料（当前：{current}）",
    "scorer.ask.note": "备注（当前：{current}）",
    "scorer.ask.deadline": "整改期限，格式 YYYY-MM-DD（当前：{current}）",
    "scorer.ask.nothing": "无",
    "scorer.ask.how": "输入新内容后回车；直接回车保持不变；输入 - 清除（问题恢复为默认文字）。",
    "scorer.ask.na": "不适用的理由（直接回车取消）：",
    "scorer.bye.interrupted": "已中断。已保存 {answered}/{total} 项；继续评分：{command}",
    "scorer.bye.eof": "已退出。已保存 {answered}/{total} 项；继续评分：{command}",
    "scorer.bye.quit": "已保存 {answered}/{total} 项并退出；继续评分：{command}",
    "scorer.bye.confirmed": "“{unit}”的评分仍为已确认锁定状态。",
    "scorer.bye.unconfirmed": "\n全部指标已评完，但尚未确认：运行 {command} 复核并确认。",
    # input errors
    "scorer.input.alone": "翻页、跳转、查看、帮助、退出等命令须单独输入一行。",
    "scorer.input.two_scores": "一行只能有一种评分：/n（不适用）不能与扣分或分数同时输入。",
    "scorer.input.want_score": "“{text}”不是分数。本项直接评分：输入 0 到 {max} 之间、{step} 的整数倍的数；回车为满分。",
    "scorer.input.want_keys": "本项按扣分规则评分：输入规则键（{keys}），可带次数，如 b2；回车为满分。",
    "scorer.input.bad_keys": "无法识别“{text}”：请输入规则键（{keys}）及次数，如 a、b2、a c3；命令以 / 开头，? 查看帮助。",
    "scorer.input.unknown_key": "本项没有规则键“{key}”（可用：{keys}）。",
    "scorer.input.big_count": "“{key}”的次数过大。",
    "scorer.input.no_level_points": "没有得分为 {score} 的档次（各档得分：{points}）。",
    "scorer.input.bad_level": "无法识别“{text}”：请输入档次键（{keys}）或该档得分。",
    # the review screen
    "scorer.review.col.category": "类别",
    "scorer.review.col.max": "满分",
    "scorer.review.col.score": "得分",
    "scorer.review.col.self": "自评",
    "scorer.review.col.gap": "差距",
    "scorer.review.sum": "合计",
    "scorer.review.normalised": "实有项目 {applicable} 分，按 {total} 分折算；",
    "scorer.review.aggravated": "加重扣分 -{points}；",
    "scorer.review.bonus": "加分 +{points}；",
    "scorer.review.total": "总分 {total}  等次 {grade}",
    "scorer.review.vetoed": "（一票否决：{codes}）",
    "scorer.review.rank": "  组内第 {rank} 名（{group}，已评完 {ranked} 个单位）",
    "scorer.review.unranked": "  （未评完，暂不排名）",
    "scorer.review.no_self": "  无自评",
    "scorer.review.gap_flag": "  ⚑ 差距达 {gap} 分，疑似自评不实",
    "scorer.review.self_total": "  自评 {total}（差距 {gap}）",
    "scorer.review.problems": "存在问题（{count} 项）",
    "scorer.review.no_problems": "未发现扣分问题。",
    "scorer.review.more": "……另有 {count} 项，/i 查看完整评分卡",
    "scorer.review.na_entry": "{code}（{reason}）",
    "scorer.review.na": "不适用：{entries}",
    "scorer.review.none": "无",
    "scorer.review.kind.veto": "一票否决",
    "scorer.review.kind.aggravated": "加重扣分",
    "scorer.review.kind.bonus": "加分",
    "scorer.review.unscored": "尚有 {count} 项未评：{codes}",
    "scorer.review.ask_incomplete": "评完全部指标后才能确认：用 /g 编码 跳到未评指标。",
    "scorer.review.hint": "回车 下一步  /g 编码 修改  < 末项  /i 评分卡  /l 未评项  /q 退出  ? 帮助",
    "scorer.review.bad_input": "无法识别“{text}”：输入 y 确认，或输入否决、加重、加分编码；? 查看帮助。",
    "scorer.review.unknown_code": "没有编码“{code}”（可用：{known}）。修改指标请用 /g 编码。",
    "scorer.review.ambiguous": "编码“{code}”同时用于多类条目，请写成 否决:{code}、加重:{code} 或 加分:{code}。",
    "scorer.review.saved": "✓ 已保存。",
    "scorer.review.item_command": "该命令针对单项指标：先用 /g 编码 跳到该项。",
    "scorer.review.incomplete": "尚有未评指标：{codes}。评完后才能确认。",
    "scorer.review.still_confirmed": "“{unit}”的评分仍为已确认状态，未作改动。",
    "scorer.review.confirmed": "✓ 已确认并锁定：{unit}{kind}，总分 {total}，等次 {grade}，组内排名 {rank}。如需修改，请加 --reopen 重新打开。",
    # help and lists
    "scorer.help.title": "逐项评分：每项输入一行，回车确认，确认即保存。",
    "scorer.help.start": ("回车|满分；重看已评项时保持原结果\n=|改为满分"),
    "scorer.help.deductions": "a  b2  a c3|按扣分规则扣分：字母是规则键，数字是次数（a2、a×2、a*2、“a 2”、连写 ac3 均可）",
    "scorer.help.direct": "2.5|直接评分项的得分（须在范围内并符合步长）",
    "scorer.help.levels": "a  10|档次项：输入档次键或该档得分",
    "scorer.help.item": (
        "/n 理由|不适用（仅限允许不适用的指标；不写理由会询问）\n"
        "/p 文字|存在问题；只写 /p 则可修改（默认为所扣规则的文字）\n"
        "/r 文字|整改要求；另有 /e 佐证材料、/m 备注、/d 整改期限 YYYY-MM-DD\n"
        "b2 /p 文字|评分和文字可写在同一行\n"
        "<  >|上一项、下一项（跳过，不记录）\n"
        "/g 2.3|跳到指标 2.3（也可 >2.3），评完回到原处\n"
        "/l|未评指标清单\n"
        "/i|本项全文：要求、方法、材料、依据、说明、规则编号\n"
        "/v|复核页：汇总、问题、自评差距、否决加重加分、确认\n"
        "/q|退出。每项评完即已保存，Ctrl-C 或 Ctrl-D 也不会丢失已评项\n"
        "?|本帮助\n"
        "|全角字母数字和中文标点（、《》？）均可识别：、p 等同 /p"
    ),
    "scorer.help.review": (
        "回车|复核页：进入下一步，核对一票否决、加重扣分、加分情形\n"
        "y|确认页：确认并锁定（须全部评完）；锁定后修改须加 --reopen\n"
        "V2|登记一票否决情形\n"
        "A1×2  B1|登记加重扣分、加分及次数（A1*2、A1 2 均可）\n"
        "-A1|撤销登记（A1×0 亦可）\n"
        "/g 2.3|修改指标 2.3，改完回到复核页\n"
        "<|确认页：返回复核页；复核页：回到最后一项\n"
        "/i|完整评分卡（各项得分与问题）\n"
        "/l|未评指标清单\n"
        "/q|退出，暂不确认（已评各项均已保存）\n"
        "?|本帮助"
    ),
    "scorer.bar.finish": "确认  已评 {answered}/{total} ",
    "scorer.prompt.finish": "确认> ",
    "scorer.review.self_incomplete": "  自评未完成（{answered}/{total} 项）",
    "scorer.review.next": "回车：核对一票否决、加重扣分、加分情形，然后确认。",
    "scorer.finish.head.aggravated": "加重扣分（从总分中扣除）",
    "scorer.finish.head.bonus": "加分（合计不超过 {cap} 分）",
    "scorer.finish.ask": "本单位存在以上情形吗？有则输入编码（如 V2、A1×2；-A1 撤销）；都没有就输入 y 确认并锁定评分。",
    "scorer.finish.hint": "y 确认  V2 A1×2 登记  -A1 撤销  < 返回复核  /g 编码 修改  /q 退出  ? 帮助",
    "scorer.finish.enter": "输入 y 确认并锁定；有上述情形则先输入其编码；< 返回复核页。",
    "scorer.finish.nothing": "本指标体系没有一票否决、加重扣分或加分条目。",
    "scorer.list.title": "未评指标 {count} 项（共 {total} 项）",
}
