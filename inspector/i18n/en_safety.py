"""English: refusals of untrusted input (special files, damaged archives, YAML syntax, the name
and number rules)."""

MESSAGES: dict[str, str] = {
    # files that are not regular files, or too large
    "file.empty": "the file is empty (0 bytes); it may not have been saved or downloaded completely",
    "file.too_big": "the file is too large (more than {limit} bytes)",
    "file.fifo": "this is a named pipe (FIFO), not a regular file; not read",
    "file.device": "this is a device (such as /dev/zero), not a regular file; not read",
    "file.socket": "this is a socket, not a regular file; not read",
    "file.special": "this is not a regular file; not read",
    "file.utf16": "the file is encoded as {encoding}; save it as UTF-8 and try again",
    # damaged or crafted zip archives
    "xlsx.truncated": "the workbook is incomplete (the zip directory is missing; cut short in transfer or copying?); save or send it again",
    "xlsx.bad_directory": "the workbook's zip directory is damaged (offsets or sizes make no sense); refused as possibly tampered with",
    "xlsx.duplicate_part": "the workbook holds part {part} twice; refused as possibly tampered with",
    "xlsx.encrypted_part": "workbook part {part} is encrypted and cannot be read; remove the encryption and save it as .xlsx",
    "xlsx.compression": "workbook part {part} uses a compression method office programs never write ({method}); refused",
    "xlsx.damaged_part": "workbook part {part} is damaged ({what}); save or send it again",
    "term.zip.crc": "checksum mismatch",
    "term.zip.header": "its header disagrees with the directory",
    "term.zip.deflate": "damaged compressed data",
    "term.zip.truncated": "data cut short",
    "term.zip.bad_xml": "not valid XML",
    # YAML syntax, explained where the author must fix it
    "yaml.control_char": "an invisible control character {code} is here (often pasted from a web page or another program); delete it",
    "term.yaml.tab": "this line is indented with a tab; YAML allows only spaces for indentation, so replace the tab with spaces",
    "term.yaml.bad_start": "a value cannot start with this character (@, ` and % are reserved in YAML); put the whole value in quotes",
    "term.yaml.bad_escape": "invalid backslash escape in double quotes; write a backslash as \\\\ or use single quotes",
    "term.yaml.colon": "': ' is not allowed here. If it is part of the value, put the whole value in quotes; if it starts a new key, put it on its own line, aligned",
    "term.yaml.expected_colon": "this line lacks the colon of 'key: value' (followed by a space)",
    "term.yaml.flow_unclosed": "the bracket or brace that starts here is never closed",
    "term.yaml.indentation": "wrong indentation: this line is not aligned with the others at its level",
    "term.yaml.unclosed_quote": "the quote that starts here is never closed before the end of the file",
}
