"""简体中文：工作区、评分引擎、答卷文件、单位与轮次命令。"""

MESSAGES: dict[str, str] = {
    "problem.count": "{text}（{count}{per}）",
    "problem.separator": "；",
}
