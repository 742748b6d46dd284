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
}
