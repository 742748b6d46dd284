"""English: checking the workspace file, the name rule at every entry point, unit identity,
import batches and output files."""

MESSAGES: dict[str, str] = {
    # the workspace file
    "workspace.special": "{path} is {what}, not a workspace file; not opened.",
    "term.file_kind.fifo": "a named pipe (FIFO)",
    "term.file_kind.device": "a device",
    "term.file_kind.socket": "a socket",
    "term.file_kind.other": "a special file",
    "workspace.empty": "{path} is an empty file, not a workspace; it was left untouched. To make a workspace run inspector init --name ROUND --db {path}.",
    "workspace.foreign": "{path} is another program's SQLite database, not an inspector workspace; it was left untouched.",
    "workspace.full": "The disk is full: the workspace {path} cannot be written; nothing of this command was saved. Free some space and try again.",
    "workspace.damaged": "The workspace {path} is damaged ({detail}); nothing of this command was written. Restore it from a backup.",
    "workspace.bad_data": "The workspace {path} is damaged: stored data cannot be read ({detail}). Restore it from a backup.",
    "workspace.bad_unit": "The workspace {path} is damaged: the stored tags of unit '{unit}' cannot be read. Restore it from a backup.",
    # names at every entry point
    "unit.name_is_code": "The unit name '{name}' is the code of unit '{other}': looking units up by name or code would confuse them.",
    "unit.code_is_name": "The code '{code}' is the name of unit '{other}': looking units up by name or code would confuse them.",
    "round.bad_deadline": "The rectification deadline '{value}' is not valid; write it as YYYY-MM-DD.",
}
