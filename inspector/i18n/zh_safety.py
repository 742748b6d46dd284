"""简体中文：不可信输入的拒收说明（特殊文件、损坏的压缩包、YAML 语法、名称与数字规则）。"""

MESSAGES: dict[str, str] = {
    # files that are not regular files, or too large
    "file.empty": "文件为空（0 字节），可能没有保存完整或下载中断，请重新获取",
    "file.too_big": "文件过大（超过 {limit} 字节）",
    "file.fifo": "这是命名管道（FIFO），不是普通文件，已拒绝读取",
    "file.device": "这是设备文件（例如 /dev/zero），不是普通文件，已拒绝读取",
    "file.socket": "这是套接字，不是普通文件，已拒绝读取",
    "file.special": "这不是普通文件，已拒绝读取",
    "file.utf16": "文件是 {encoding} 编码。请用编辑器“另存为 UTF-8”后重试",
    # damaged or crafted zip archives
    "xlsx.truncated": "工作簿文件不完整（压缩包的目录缺失，可能在传输或复制时被截断），请重新保存或重新发送",
    "xlsx.bad_directory": "工作簿的压缩包目录已损坏（位置或大小不合理），疑似被篡改，已拒收",
    "xlsx.duplicate_part": "工作簿中部件 {part} 出现了两次，疑似被篡改，已拒收",
    "xlsx.encrypted_part": "工作簿部件 {part} 被加密，无法读取。请去掉加密后另存为 .xlsx",
    "xlsx.compression": "工作簿部件 {part} 使用了办公软件不会使用的压缩方式（{method}），已拒收",
    "xlsx.damaged_part": "工作簿部件 {part} 已损坏（{what}），请重新保存或重新发送",
    "term.zip.crc": "校验值不符",
    "term.zip.header": "文件头与目录不一致",
    "term.zip.deflate": "压缩数据损坏",
    "term.zip.truncated": "数据不完整",
    "term.zip.bad_xml": "内容不是有效的 XML",
    # YAML syntax, explained where the author must fix it
    "yaml.control_char": "这里有一个不可见的控制字符 {code}（常见于从网页或其他程序复制的内容），请删除",
    "term.yaml.tab": "这一行用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格",
    "term.yaml.bad_start": "值不能以这个字符开头（@、`、% 等是 YAML 的保留字符），请给整个值加上引号",
    "term.yaml.bad_escape": "双引号里的“\\”转义无效；要写反斜杠本身请写成“\\\\”，或改用单引号",
    "term.yaml.colon": "这里不能出现“: ”。如果它是值的一部分，请给整个值加上引号；如果是新的键，请换行并对齐缩进",
    "term.yaml.expected_colon": "这一行缺少“键: 值”中的冒号（冒号后还要有一个空格）",
    "term.yaml.flow_unclosed": "从这里开始的方括号或花括号没有闭合",
    "term.yaml.indentation": "缩进不对：这一行没有与同一级的其他行对齐",
    "term.yaml.unclosed_quote": "从这里开始的引号一直到文件末尾都没有闭合",
}
