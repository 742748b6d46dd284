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
    # units' stable identity (self-assessment workbooks)
    "sa.unit_replaced": "this workbook was issued for the removed unit '{unit}'; the current '{unit}' is another unit, added later, and cannot take it. Issue it a new template (inspector template)",
    "sa.legacy_unit_replaced": "this workbook was issued by an older inspector and names only the unit's name and code; '{unit}' was added after the upgrade, or removed and added again, so the workbook cannot be attributed to it. Issue a new template (inspector template)",
    # what a workbook shows must be what its identity names
    "sa.visible.unit": "the workbook shows the unit '{shown}', but its identity belongs to '{unit}': the identity may have been copied from another unit's template",
    "sa.visible.title": "the score sheet's title is '{shown}', which does not name '{unit}', the unit of the workbook's identity: the identity may have been copied from another unit's template",
    "sa.visible.no_unit": "the sheet '{sheet}' does not show the unit, so it cannot be checked against the workbook's identity. Fill in the template as it was issued",
    # import batches
    "sa.import.failed": "an unexpected error while checking this file ({detail}); nothing of it was recorded, and the other files are checked as usual",
    "sa.import.stopped": "The workspace failed and the import stopped at {file}: the files before it are as the table says; the other {count} files were not imported.",
    # command-line options and output files
    "option.bad_number": "The value '{value}' of {option} is not valid: {reason}.",
    "option.not_positive": "{option} must be a positive number (given: {value}).",
    "option.negative": "{option} must not be negative (given: {value}).",
    "opt.force_replace": "Replace a file of the same name (without it, an existing file is refused and nothing is written).",
    "output.exists": "{path} already exists; nothing was written. Add --force to replace it.",
    "output.exist_many": "{count} files already exist ({files}); nothing was written. Add --force to replace them.",
}
