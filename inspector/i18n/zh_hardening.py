"""简体中文：工作区文件的检查、名称规则在各入口的应用、单位身份、批量导入与输出文件。"""

MESSAGES: dict[str, str] = {
    # the workspace file
    "workspace.special": "{path} 是{what}，不是工作区文件，未打开。",
    "term.file_kind.fifo": "命名管道（FIFO）",
    "term.file_kind.device": "设备文件",
    "term.file_kind.socket": "套接字",
    "term.file_kind.other": "特殊文件",
    "workspace.empty": "{path} 是空文件，不是工作区，未作改动。新建工作区请运行 inspector init --name 轮次名称 --db {path}。",
    "workspace.foreign": "{path} 是其他程序的 SQLite 数据库，不是 inspector 工作区，未作改动。",
    "workspace.full": "磁盘已满，无法写入工作区 {path}；本次操作没有保存任何内容。请清理磁盘空间后重试。",
    "workspace.damaged": "工作区 {path} 已损坏（{detail}），本次操作没有写入任何内容。请用备份恢复。",
    "workspace.bad_data": "工作区 {path} 已损坏：保存的数据无法读取（{detail}）。请用备份恢复。",
    "workspace.bad_unit": "工作区 {path} 已损坏：单位“{unit}”保存的标签无法读取。请用备份恢复。",
    # names at every entry point
    "unit.name_is_code": "单位名称“{name}”与单位“{other}”的编码相同，按名称或编码查找单位时会混淆。",
    "unit.code_is_name": "编码“{code}”与单位“{other}”的名称相同，按名称或编码查找单位时会混淆。",
    "round.bad_deadline": "整改截止日期“{value}”无效，请写成 YYYY-MM-DD。",
    # units' stable identity (self-assessment workbooks)
    "sa.unit_replaced": "这份工作簿是为已删除的单位“{unit}”签发的；现在的“{unit}”是之后重新添加的另一个单位，不能导入。请为它重新签发模板（inspector template）",
    "sa.legacy_unit_replaced": "这份工作簿由旧版本 inspector 签发，只记有单位名称和编码；“{unit}”是升级后添加的，或曾被删除后重新添加，无法确认工作簿属于现在的单位，不能导入。请重新签发模板（inspector template）",
    # what a workbook shows must be what its identity names
    "sa.visible.unit": "工作簿上显示的被检查单位是“{shown}”，但它的身份标识属于“{unit}”：身份标识可能是从另一个单位的模板复制来的",
    "sa.visible.title": "评分表的标题是“{shown}”，与身份标识所属的单位“{unit}”不一致：身份标识可能是从另一个单位的模板复制来的",
    "sa.visible.no_unit": "工作表“{sheet}”上找不到“被检查单位”，无法与工作簿的身份标识核对。请使用下发的原始模板填写",
    # import batches
    "sa.import.failed": "检查这个文件时出现了意外错误（{detail}），未记录任何内容；其他文件照常处理",
    "sa.import.stopped": "工作区出错，批量导入在 {file} 处停止：之前的文件已按上表处理，其余 {count} 个文件没有导入。",
    # command-line options and output files
    "option.bad_number": "{option} 的值“{value}”无效：{reason}。",
    "option.not_positive": "{option} 的值须为正数（给出了 {value}）。",
    "option.negative": "{option} 的值不能为负数（给出了 {value}）。",
    "opt.force_replace": "替换已存在的同名文件（不加时遇到已存在的文件即拒绝，不写入任何内容）。",
    "output.exists": "{path} 已存在，未写入。要替换它请加 --force。",
    "output.exist_many": "{count} 个文件已存在（{files}），未写入任何文件。要替换它们请加 --force。",
}
