"""The official questionnaire templates this app ships: every released version, by SHA-256.

A bundle carries the template text its workspace used, but the auditor must not believe it:
a vendor can ship the official ID and version with items made optional or rules removed.
So the auditor's side judges every bundle against its *own* copy of the version the bundle
names, looked up here.

Data-driven: every file ``questionnaire/templates/ccus-survey-*.yaml`` is a released
version (the ``id`` and ``version`` inside the file identify it, its SHA-256 is its
identity). Releasing a new version is adding a file; a released file's bytes never change
(tests/test_official_templates.py pins them). Two files naming the same ID and version
are a packaging error, refused when the registry is first read.

A template that is not in the registry (a draft, a test template, a newer release this
app does not know) is judged only when the auditor explicitly supplies its file
(``--template FILE``); every output then says so (``JudgingTemplate.official``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import AttestError, TemplateError
from .template import Template, load_template_file, load_template_text

OFFICIAL_PATTERN = "ccus-survey-*.yaml"


class UnofficialTemplateError(AttestError):
    """A template file the auditor supplied cannot be used (e.g. it poses as an official one)."""


@dataclass(frozen=True)
class OfficialTemplate:
    file: str          # the file name in questionnaire/templates/
    template: Template

    @property
    def id(self) -> str:
        return self.template.id

    @property
    def version(self) -> str:
        return self.template.version

    @property
    def sha256(self) -> str:
        return self.template.digest


class TemplateRegistry:
    """Templates by (ID, version). Built from the shipped files (``official_templates``)."""

    def __init__(self, entries: Iterable[OfficialTemplate]) -> None:
        self._by_key: dict[tuple[str, str], OfficialTemplate] = {}
        for entry in entries:
            key = (entry.id, entry.version)
            if key in self._by_key:
                raise TemplateError(entry.file, None, f"{entry.id} {entry.version} is also released as "
                                                      f"{self._by_key[key].file}")
            self._by_key[key] = entry

    def __iter__(self):
        return iter(sorted(self._by_key.values(), key=lambda e: (e.id, _version_key(e.version))))

    def __len__(self) -> int:
        return len(self._by_key)

    def find(self, template_id: str, version: str) -> OfficialTemplate | None:
        return self._by_key.get((template_id, version))

    def is_official(self, template: Template) -> bool:
        found = self.find(template.id, template.version)
        return found is not None and found.sha256 == template.digest

    def describe(self) -> str:
        """The versions known, for messages: "ccus-personal-info-survey 1.0.0, 1.1.0"."""
        by_id: dict[str, list[str]] = {}
        for e in self:
            by_id.setdefault(e.id, []).append(e.version)
        return "; ".join(f"{i} {', '.join(v)}" for i, v in by_id.items()) or "none"


def _version_key(version: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in version.split("."))


@cache
def official_templates() -> TemplateRegistry:
    """Every template version shipped with the app (read once; each file is validated)."""
    folder = resources.files(__package__).joinpath("templates")
    entries = []
    for ref in sorted(folder.iterdir(), key=lambda r: r.name):
        if Path(ref.name).match(OFFICIAL_PATTERN):
            entries.append(OfficialTemplate(ref.name, load_template_text(ref.read_text("utf-8"), ref.name)))
    return TemplateRegistry(entries)


@dataclass(frozen=True)
class JudgingTemplate:
    """The template a bundle is judged against, and where it came from."""

    template: Template
    official: bool
    source: str        # the shipped file name, or the path of the file the auditor supplied

    def describe(self, lang: str = "en") -> str:
        t = self.template
        if lang == "ja":
            if self.official:
                return f"公式テンプレート {t.id} 版 {t.version}（SHA-256 {t.digest[:16]}…）"
            return (f"非公式テンプレート {t.id} 版 {t.version}（{self.source}、SHA-256 {t.digest[:16]}…。"
                    "監査人が指定）")
        if self.official:
            return f"official template {t.id} {t.version} (sha256 {t.digest[:16]}…)"
        return (f"UNOFFICIAL template {t.id} {t.version} from {self.source} (sha256 {t.digest[:16]}…), "
                "supplied by the auditor")


def load_supplied_templates(paths: Sequence[str | Path | Template],
                            registry: TemplateRegistry | None = None) -> list[JudgingTemplate]:
    """Templates the auditor explicitly accepts (``--template FILE``), for versions the app
    does not ship. A file naming a shipped ID and version must be that version's exact text
    (else it would replace the official questions): it is refused otherwise."""
    registry = registry or official_templates()
    out: list[JudgingTemplate] = []
    for spec in paths:
        template = spec if isinstance(spec, Template) else load_template_file(spec)
        source = str(spec) if not isinstance(spec, Template) else template.source_name
        shipped = registry.find(template.id, template.version)
        if shipped is not None:
            if shipped.sha256 != template.digest:
                raise UnofficialTemplateError(
                    f"{source} calls itself {template.id} {template.version}, an official version, but its "
                    "text differs from the official one; the official copy is always used")
            continue  # the same text as the official one: nothing to accept
        if any((j.template.id, j.template.version) == (template.id, template.version) for j in out):
            raise UnofficialTemplateError(f"two supplied template files are {template.id} {template.version}")
        out.append(JudgingTemplate(template, False, source))
    return out


def judging_template(template_id: str, version: str, supplied: Sequence[JudgingTemplate] = (),
                     registry: TemplateRegistry | None = None) -> JudgingTemplate | None:
    """The auditor's own copy of the template named (ID, version): the shipped one, else one
    the auditor supplied; None when neither is known."""
    registry = registry or official_templates()
    shipped = registry.find(template_id, version)
    if shipped is not None:
        return JudgingTemplate(shipped.template, True, shipped.file)
    return next((j for j in supplied if (j.template.id, j.template.version) == (template_id, version)), None)
