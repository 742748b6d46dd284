"""The version of the scoring engine's figures and ranking order.

Stored results (see ``inspector.store.results``) carry the version that computed them; those
of another version are computed again when next read. Bump it whenever a change to
``inspector.core.scoring`` changes any figure, grade or order of an existing assessment. It
lives apart from the engine so that reading stored results needs no engine at all.
"""

ENGINE_VERSION = "2"
