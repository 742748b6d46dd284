"""Self-assessment workbooks: templates the office sends to units, and importing them back.

* ``layout``   — which rows and input cells a unit's score sheet has (the contract between the
  writer and the reader);
* ``identity`` — the authenticated identity a template carries (round, unit, set hash, HMAC);
* ``template`` — writes a unit's workbook;
* ``reader``   — reads a filled workbook back into answers, with located problems;
* ``importer`` — checks and records batches of workbooks as ``self`` assessments;
* ``compare``  — self-assessment against inspection, per item, category and in total.

Nothing here imports openpyxl at module level: ``inspector --help`` must stay fast.
"""
