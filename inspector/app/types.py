"""The values the user interfaces get from the application layer, in one place to import."""

from inspector.app.queries import UnitView
from inspector.app.status import RoundStatus
from inspector.core.assessment import Kind, Unit
from inspector.store.facts import RoundFacts
from inspector.store.ledger import Counts as LedgerCounts
from inspector.store.ledger import Entry as LedgerEntry
from inspector.store.overview import UnitStatus
from inspector.store.results import Standing, Summary, UnitRow
from inspector.store.workspace import AuditEntry, Round, StoredAssessment, Workspace

__all__ = [
    "AuditEntry",
    "Kind",
    "LedgerCounts",
    "LedgerEntry",
    "Round",
    "RoundFacts",
    "RoundStatus",
    "Standing",
    "StoredAssessment",
    "Summary",
    "Unit",
    "UnitRow",
    "UnitStatus",
    "UnitView",
    "Workspace",
]
