"""The questionnaire core: template, answers, validation, completeness. No Qt here."""

from .answers import Answer, AnswerValue, parse_date, parse_note, parse_value
from .completeness import (
    Assessment,
    ItemState,
    Outcome,
    Problem,
    ProblemCode,
    SectionProgress,
    Severity,
    Tally,
    Tone,
    assess,
)
from .errors import AttestError, InvalidAnswer, TemplateError, UnknownItem
from .evidence import EXPIRY_WARNING_DAYS, EvidenceInfo, Expiry
from .template import (
    STATUS_CHOICES,
    AnswerKind,
    Choice,
    Condition,
    EvidenceKind,
    Item,
    Section,
    Template,
    default_template,
    load_template_file,
    load_template_text,
)
from .text import Text

__all__ = [
    "EXPIRY_WARNING_DAYS", "STATUS_CHOICES", "Answer", "AnswerKind", "AnswerValue", "Assessment",
    "AttestError", "Choice", "Condition", "EvidenceInfo", "EvidenceKind", "Expiry", "InvalidAnswer",
    "Item", "ItemState", "Outcome", "Problem", "ProblemCode", "Section", "SectionProgress", "Severity",
    "Tally", "Template", "TemplateError", "Text", "Tone", "UnknownItem", "assess", "default_template",
    "load_template_file", "load_template_text", "parse_date", "parse_note", "parse_value",
]
