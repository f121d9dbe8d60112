"""The `template` command: print the questionnaire (no workspace, no storage, no crypto).

Loading the shipped questionnaire means parsing ~100 KB of YAML and validating it against
the JSON Schema: most of a second on a busy 2-core machine, for an answer that only
changes when the template or this code does. The printed forms (both languages and the
JSON) are therefore kept in a cache file named by the SHA-256 of the template text and of
the code that renders it; a hit reads one small file and imports no part of the
questionnaire core (issue 10: ``template`` <= 300 ms). ``--file`` checks a template the
user gives, so it is always validated in full.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

# The shipped questionnaire (questionnaire.template.DEFAULT_TEMPLATE_FILE; a test keeps the two equal).
DEFAULT_TEMPLATE_FILE = "ccus-survey-v1.1.yaml"
CACHE_VERSION = "1"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="print the questionnaire template")
    p.add_argument("--file", metavar="FILE", help="check and print this template file instead")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_template)


def template_as_dict(t) -> dict:
    """Everything needed to write an answers file for ``import-answers`` without reading the YAML:
    kinds, choices with labels, number limits and units, text limits, date forms, conditions,
    help, and each item's basis."""
    from questionnaire import STATUS_CHOICES, AnswerKind
    from questionnaire.answers import DATE_FORMATS
    from questionnaire.basis import basis_citation

    def item_dict(item) -> dict:
        d = {
            "id": item.id, "section": item.section_id, "kind": str(item.kind), "required": item.required,
            "text": item.text.as_dict(), "help": item.help.as_dict() if item.help else None,
            "source": item.source,
            "basis": {"text": basis_citation(item).as_dict(), "binding": item.binding,
                      "kinds": [str(k) for k in item.basis_kinds],
                      "refs": [b.as_dict() for b in item.basis]},
        }
        if item.choices:
            d["choices"] = [{"value": c.value, "label": c.label.as_dict()} for c in item.choices]
        for name in ("show_if", "required_if"):
            cond = getattr(item, name)
            if cond:
                d[name] = {"item": cond.item_id, cond.op: list(cond.values)}
        if item.kind is AnswerKind.NUMBER:
            spec = item.number
            d["number"] = {"min": spec.minimum, "max": spec.maximum, "integer": spec.integer,
                           "unit": spec.unit.as_dict() if spec.unit else None} if spec else {}
        if item.kind is AnswerKind.TEXT:
            d["text_max"] = item.text_max
        if item.kind is AnswerKind.DATE:
            d["date_formats"] = DATE_FORMATS
        if item.expected:
            d["expected"] = list(item.expected)
        if item.note_required_for:
            d["note_required_for"] = list(item.note_required_for)
        if item.evidence:
            d["evidence"] = {"required": item.evidence.required,
                             "required_for": (list(item.evidence.required_for)
                                              if item.evidence.required_for is not None else None),
                             "kinds": list(item.evidence.kinds),
                             "hint": item.evidence.hint.as_dict() if item.evidence.hint else None}
        return d

    return {
        "id": t.id, "version": t.version, "schema": t.schema, "title": t.title.as_dict(),
        "sha256": t.digest,
        "description": t.description.as_dict() if t.description else None,
        "answers_file": {"format": '{"ITEM_ID": value, "ITEM_ID": {"value": value, "note": "..."}}',
                         "status_values": [{"value": c.value, "label": c.label.as_dict()}
                                           for c in STATUS_CHOICES],
                         "multi": "a JSON list of choice values", "date": DATE_FORMATS},
        "evidence_kinds": [{"id": k.id, "label": k.label.as_dict()} for k in t.evidence_kinds],
        "sections": [{"id": s.id, "title": s.title.as_dict(),
                      "description": s.description.as_dict() if s.description else None,
                      "items": [item_dict(i) for i in s.items]}
                     for s in t.sections],
    }


def render_text(t, lg: str) -> str:
    from questionnaire.text import counted  # here: the cached path loads no questionnaire code

    ja = lg == "ja"
    size = (f"（{len(t.sections)} 区分、{len(t.items)} 設問）" if ja else
            f" ({counted(len(t.sections), 'section')}, {counted(len(t.items), 'item')})")
    lines = [f"{t.title.get(lg)} — {t.id} {t.version}{size}"]
    for s in t.sections:
        lines.append(f"\n[{s.id}] {s.title.get(lg)}")
        for item in s.items:
            flags = "*" if item.required else " "
            ev = (" ＋証跡" if ja else " +evidence") if item.evidence and item.evidence.required else ""
            cond = ""
            if item.show_if:
                shown_if = item.show_if.describe()
                cond = f"  （表示条件: {shown_if}）" if ja else f"  (if {shown_if})"
            lines.append(f"  {flags}{item.id:<9} {item.kind:<7} {item.text.get(lg)}{ev}{cond}")
    return "\n".join(lines) + "\n"


def render_json(t) -> str:
    return json.dumps(template_as_dict(t), ensure_ascii=False, indent=2) + "\n"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # finds the package without running it
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


def default_template_path() -> Path:
    return _package_dir("questionnaire") / "templates" / DEFAULT_TEMPLATE_FILE


def _code_digest() -> bytes:
    """What the printed forms depend on besides the template text: this module and the core."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    h.update(Path(__file__).read_bytes())
    core = _package_dir("questionnaire")
    # the schemas and the reference tables (contract articles, APPI, standards) shape the output too
    for path in (sorted(core.glob("*.py")) + sorted((core / "templates").glob("*.json"))
                 + sorted((core / "templates").glob("*.yaml"))):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.digest()


def cache_dir() -> Path:
    override = os.environ.get("CCUS_ATTEST_HOME")  # as storage.paths, without importing storage
    if override:
        return Path(override).expanduser() / "cache"
    import platformdirs

    return platformdirs.user_cache_path("CCUS Attest", appauthor=False)


def _read_cache(path: Path) -> dict[str, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and all(isinstance(data.get(k), str) for k in ("ja", "en", "json")):
        return data
    return None


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    """Best effort: a folder that cannot be written only costs the next run the full load."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".template-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        return


def shipped_template_forms() -> dict[str, str]:
    """The shipped questionnaire printed in both languages and as JSON (cached by SHA-256)."""
    key = hashlib.sha256(default_template_path().read_bytes() + _code_digest()).hexdigest()
    path = cache_dir() / f"template-{key}.json"
    forms = _read_cache(path)
    if forms is None:
        from questionnaire import default_template

        t = default_template()
        forms = {"ja": render_text(t, "ja"), "en": render_text(t, "en"), "json": render_json(t)}
        _write_cache(path, forms)
    return forms


def cmd_template(args: argparse.Namespace) -> int:
    lg = getattr(args, "lang", "en")
    if args.file:
        from questionnaire import load_template_file

        t = load_template_file(args.file)
        sys.stdout.write(render_json(t) if args.json else render_text(t, lg))
        return 0
    forms = shipped_template_forms()
    sys.stdout.write(forms["json"] if args.json else forms[lg])
    return 0
