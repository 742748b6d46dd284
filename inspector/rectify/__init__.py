"""Rectification workbooks (整改台账): units report what they did about their problems.

Built like the self-assessment workbooks (``inspector.selfassess``) and sharing their signing
key and hostile-file screening: ``layout`` says which cells a unit fills in, ``identity``
binds a workbook to its round, unit and problem list, ``template`` writes one per unit,
``reader`` checks a returned one cell by cell. Recording it is ``inspector.app.rectify``'s.
"""
