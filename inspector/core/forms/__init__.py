"""Scoring forms: one module per way of scoring an item, behind one interface (``base.Form``).

Built in: ``deductions`` (扣分制), ``levels`` (分档), ``direct`` (直接评分). Adding a form is one
module plus its messages, registered in ``registry`` (docs/architecture.md, "Adding a form").
"""

from inspector.core.forms.base import Form, InputError, Reason, RuleHit
from inspector.core.forms.common import (
    answer_details,
    answer_from_dict,
    answer_to_dict,
    canonical,
    stored_answer,
    stored_value,
)
from inspector.core.forms.registry import (
    FULL,
    NA,
    form_named,
    form_of,
    register,
    registered,
    set_model,
    unregister,
    validate_set,
)

__all__ = [
    "FULL",
    "NA",
    "Form",
    "InputError",
    "Reason",
    "RuleHit",
    "answer_details",
    "answer_from_dict",
    "answer_to_dict",
    "canonical",
    "form_named",
    "form_of",
    "register",
    "registered",
    "set_model",
    "stored_answer",
    "stored_value",
    "unregister",
    "validate_set",
]
