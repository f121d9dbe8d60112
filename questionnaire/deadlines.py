"""The dates that matter in the yearly cycle, derived from what the workspace holds.

From the contract date (Art. 13-1: one year from conclusion, renewed a year at a time unless
written notice is given three months before the term ends) come the renewal date and the
notice deadline; from the answers, the annual audit (Art. 6-1(1)), the next security
diagnosis (Art. 6-1(3)) and the certification's expiry (Art. 3(2)); from the evidence, every
expiry date. Other modules add theirs (corrective-action due dates, Art. 4(2)) through
``extra`` — see ``storage/cycle.py: DEADLINE_SOURCES``.

Reading of the term: the contract runs "from the date of conclusion for one year", so a
contract concluded on 2026-04-01 ends on 2027-03-31 and the renewed term starts on
2027-04-01 (the anniversary); notice must be given by 2026-12-31, three calendar months
before the end (a month without that day ends on its last day).

Every deadline has a ``key`` that names it without its date (``contract-renewal-2027``,
``evidence-expiry-<evidence ID>``): the calendar's UIDs are made from it, so a date that
moves updates the calendar entry instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .answers import Answer
from .completeness import effective_values
from .evidence import EXPIRY_WARNING_DAYS, EvidenceInfo
from .template import AnswerKind, Template
from .text import Text

# Items of the default template (1.0.0 and 1.1.0 alike) the dates are read from. An official
# template with other IDs yields none of these deadlines (each is checked for its kind first).
CONTRACT_DATE_ITEM = "CHG-04"        # 本契約の締結日 (date)
LAST_AUDIT_ITEM = "LOG-07"           # 直近の監査の実施日 (date)
DIAGNOSIS_FREQUENCY_ITEM = "LOG-08"  # セキュリティ診断の実施頻度 (single)
LAST_DIAGNOSIS_ITEM = "LOG-11"       # 直近のセキュリティ診断の実施日 (date)
CERTIFICATION_EXPIRY_ITEM = "CERT-05"  # 認証の有効期限 (date)
# LOG-08's choices with a fixed interval; "longer", "on_change" and "none" give no date.
DIAGNOSIS_MONTHS = {"quarterly": 3, "semiannual": 6, "annual": 12}

NOTICE_MONTHS = 3
SOON_DAYS = 30  # "due soon" on the dashboard when no reminder of its own is set
NO_TEXT = Text("", "")


class DeadlineKind(StrEnum):
    RENEWAL_NOTICE = "renewal_notice"
    CONTRACT_RENEWAL = "contract_renewal"
    ANNUAL_AUDIT = "annual_audit"
    SECURITY_DIAGNOSIS = "security_diagnosis"
    CERTIFICATION_EXPIRY = "certification_expiry"
    EVIDENCE_EXPIRY = "evidence_expiry"
    CORRECTIVE_ACTION = "corrective_action"  # added by the corrective-action module


KIND_LABELS: dict[DeadlineKind, Text] = {
    DeadlineKind.RENEWAL_NOTICE: Text("契約更新の申し出期限", "Renewal notice deadline"),
    DeadlineKind.CONTRACT_RENEWAL: Text("契約の更新日", "Contract renewal"),
    DeadlineKind.ANNUAL_AUDIT: Text("年次監査", "Annual audit"),
    DeadlineKind.SECURITY_DIAGNOSIS: Text("次回のセキュリティ診断", "Next security diagnosis"),
    DeadlineKind.CERTIFICATION_EXPIRY: Text("認証の有効期限", "Certification expiry"),
    DeadlineKind.EVIDENCE_EXPIRY: Text("証跡の有効期限", "Evidence expiry"),
    DeadlineKind.CORRECTIVE_ACTION: Text("是正処置の期日", "Corrective action due"),
}


class DeadlineStatus(StrEnum):
    OVERDUE = "overdue"    # the date has passed
    SOON = "soon"          # within its reminder period
    UPCOMING = "upcoming"

    @property
    def label(self) -> Text:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DeadlineStatus.OVERDUE: Text("期限切れ", "Overdue"),
    DeadlineStatus.SOON: Text("期限間近", "Due soon"),
    DeadlineStatus.UPCOMING: Text("予定", "Upcoming"),
}


@dataclass(frozen=True, slots=True)
class Deadline:
    key: str                  # stable: the same deadline in every export and every year
    kind: DeadlineKind
    due: dt.date
    title: Text
    basis: Text               # the contract provision (or the file) it comes from
    detail: Text = NO_TEXT
    item_id: str | None = None
    evidence_id: str | None = None
    remind_days: int = SOON_DAYS  # the calendar's reminder, and "due soon" on the dashboard

    def status(self, on: dt.date) -> DeadlineStatus:
        if self.due < on:
            return DeadlineStatus.OVERDUE
        if (self.due - on).days <= self.remind_days:
            return DeadlineStatus.SOON
        return DeadlineStatus.UPCOMING

    def days_left(self, on: dt.date) -> int:
        return (self.due - on).days

    def as_dict(self, on: dt.date) -> dict[str, object]:
        return {"key": self.key, "kind": str(self.kind), "due": self.due.isoformat(),
                "status": str(self.status(on)), "days_left": self.days_left(on),
                "title": self.title.as_dict(), "basis": self.basis.as_dict(),
                "detail": self.detail.as_dict(), "item_id": self.item_id,
                "evidence_id": self.evidence_id, "remind_days": self.remind_days}


def sort_deadlines(deadlines: Iterable[Deadline], on: dt.date) -> list[Deadline]:
    """Overdue first (oldest first), then by date; ties in a fixed order (by key)."""
    return sorted(deadlines, key=lambda d: (d.status(on) is not DeadlineStatus.OVERDUE, d.due, d.key))


# --- the contract term ------------------------------------------------------------------


def term_end(contract_date: dt.date, years: int) -> dt.date:
    """Last day of the ``years``-th term (1 = the first year)."""
    return contract_date + relativedelta(years=years) - dt.timedelta(days=1)


def notice_deadline(term_end_date: dt.date) -> dt.date:
    return term_end_date - relativedelta(months=NOTICE_MONTHS)


def _next_term(contract_date: dt.date, on: dt.date, last_day) -> int:
    """The first term n >= 1 whose ``last_day(n)`` is on or after ``on``."""
    n = max(1, on.year - contract_date.year - 1)
    while last_day(n) < on:
        n += 1
    while n > 1 and last_day(n - 1) >= on:
        n -= 1
    return n


ART_13 = Text("契約書 第13条1項", "Contract Art. 13(1)")
ART_6_1_1 = Text("契約書 第6条1項(1)", "Contract Art. 6(1)(1)")
ART_6_1_3 = Text("契約書 第6条1項(3)", "Contract Art. 6(1)(3)")
ART_3_2 = Text("契約書 第3条(2)", "Contract Art. 3(2)")


def contract_deadlines(contract_date: dt.date, on: dt.date, *, from_item: bool = False) -> list[Deadline]:
    """The next notice deadline and the next renewal (the ones on or after ``on``)."""
    source = (Text(f"{CONTRACT_DATE_ITEM} の回答（契約の締結日 {contract_date}）",
                   f"answer to {CONTRACT_DATE_ITEM} (contract concluded {contract_date})") if from_item
              else Text(f"契約の締結日 {contract_date}", f"contract concluded {contract_date}"))
    n = _next_term(contract_date, on, lambda k: notice_deadline(term_end(contract_date, k)))
    end = term_end(contract_date, n)
    notice = Deadline(
        f"renewal-notice-{end.year}", DeadlineKind.RENEWAL_NOTICE, notice_deadline(end),
        Text(f"契約を更新しない場合の書面による申し出の期限（契約期間の満了 {end}）",
             f"Last day for written notice not to renew (the term ends {end})"),
        ART_13, source, remind_days=30)
    m = _next_term(contract_date, on, lambda k: contract_date + relativedelta(years=k))
    renewal_day = contract_date + relativedelta(years=m)
    renewal = Deadline(
        f"contract-renewal-{renewal_day.year}", DeadlineKind.CONTRACT_RENEWAL, renewal_day,
        Text(f"契約の更新（{renewal_day} から次の1年間）",
             f"Contract renews ({renewal_day} for another year)"),
        ART_13, source, remind_days=14)
    return [notice, renewal]


def _date_answer(template: Template, values: Mapping[str, object], item_id: str) -> dt.date | None:
    if not template.has_item(item_id) or template.item(item_id).kind is not AnswerKind.DATE:
        return None
    value = values.get(item_id)
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def derive_deadlines(template: Template, answers: Mapping[str, Answer], evidence: Iterable[EvidenceInfo],
                     *, on: dt.date, contract_date: dt.date | None = None,
                     extra: Iterable[Deadline] = ()) -> list[Deadline]:
    """Every deadline the workspace knows of, overdue first (see ``sort_deadlines``).

    ``contract_date``: the one the workspace holds; without it, the answer to CHG-04 is used.
    Answers of items hidden by a condition count for nothing, as everywhere else.
    """
    values = effective_values(template, answers)
    out: list[Deadline] = []
    from_item = False
    if contract_date is None:
        contract_date = _date_answer(template, values, CONTRACT_DATE_ITEM)
        from_item = contract_date is not None
    if contract_date is not None:
        out.extend(contract_deadlines(contract_date, on, from_item=from_item))

    last_audit = _date_answer(template, values, LAST_AUDIT_ITEM)
    if last_audit is not None:
        due = last_audit + relativedelta(years=1)
        out.append(Deadline(
            "annual-audit", DeadlineKind.ANNUAL_AUDIT, due,
            Text("年1回の監査（前回から1年）", "Yearly audit (a year after the last)"), ART_6_1_1,
            Text(f"{LAST_AUDIT_ITEM} の回答（前回の監査 {last_audit}）",
                 f"answer to {LAST_AUDIT_ITEM} (last audit {last_audit})"),
            item_id=LAST_AUDIT_ITEM, remind_days=60))
    elif contract_date is not None:
        end = term_end(contract_date, _next_term(contract_date, on, lambda k: term_end(contract_date, k)))
        out.append(Deadline(
            "annual-audit", DeadlineKind.ANNUAL_AUDIT, end,
            Text("年1回の監査（この契約年度の末日まで）", "Yearly audit (by the end of this contract year)"),
            ART_6_1_1, Text(f"前回の監査日（{LAST_AUDIT_ITEM}）が未回答のため契約年度の末日",
                            f"the contract year's last day (no last audit date in {LAST_AUDIT_ITEM})"),
            item_id=LAST_AUDIT_ITEM, remind_days=60))

    frequency = values.get(DIAGNOSIS_FREQUENCY_ITEM) if template.has_item(DIAGNOSIS_FREQUENCY_ITEM) else None
    last_diagnosis = _date_answer(template, values, LAST_DIAGNOSIS_ITEM)
    months = DIAGNOSIS_MONTHS.get(frequency) if isinstance(frequency, str) else None
    if months is not None and last_diagnosis is not None:
        label = template.item(DIAGNOSIS_FREQUENCY_ITEM).label_of(frequency, "ja")
        label_en = template.item(DIAGNOSIS_FREQUENCY_ITEM).label_of(frequency, "en")
        out.append(Deadline(
            "security-diagnosis", DeadlineKind.SECURITY_DIAGNOSIS,
            last_diagnosis + relativedelta(months=months),
            Text(f"次回のセキュリティ診断（{label}）", f"Next security diagnosis ({label_en})"), ART_6_1_3,
            Text(f"{LAST_DIAGNOSIS_ITEM}（前回 {last_diagnosis}）と {DIAGNOSIS_FREQUENCY_ITEM}（頻度）の回答",
                 f"answers to {LAST_DIAGNOSIS_ITEM} (last {last_diagnosis}) and "
                 f"{DIAGNOSIS_FREQUENCY_ITEM} (frequency)"),
            item_id=LAST_DIAGNOSIS_ITEM, remind_days=30))

    cert_expiry = _date_answer(template, values, CERTIFICATION_EXPIRY_ITEM)
    if cert_expiry is not None:
        out.append(Deadline(
            "certification-expiry", DeadlineKind.CERTIFICATION_EXPIRY, cert_expiry,
            Text("情報セキュリティ認証の有効期限", "Information-security certification expires"), ART_3_2,
            Text(f"{CERTIFICATION_EXPIRY_ITEM} の回答", f"answer to {CERTIFICATION_EXPIRY_ITEM}"),
            item_id=CERTIFICATION_EXPIRY_ITEM, remind_days=EXPIRY_WARNING_DAYS))

    for info in evidence:
        if info.expires is None:
            continue
        out.append(Deadline(
            f"evidence-expiry-{info.id}", DeadlineKind.EVIDENCE_EXPIRY, info.expires,
            Text(f"証跡の有効期限: {info.display_title}", f"Evidence expires: {info.display_title}"),
            Text(f"{info.item_id} の証跡", f"evidence of {info.item_id}"),
            Text(f"{info.filename}", f"{info.filename}"),
            item_id=info.item_id, evidence_id=info.id, remind_days=EXPIRY_WARNING_DAYS))
    out.extend(extra)
    return sort_deadlines(out, on)


# --- the audit period -------------------------------------------------------------------


def period_check_date(period: int, contract_date: dt.date | None, today: dt.date) -> dt.date:
    """The day a period's evidence must still be valid on: the contract's anniversary in that
    year (when the term renews and the year's audit is due), or 1 January of the year without
    a contract date — and never a day already past, since evidence is checked when it is used."""
    if contract_date is not None:
        try:
            anchor = contract_date.replace(year=period)
        except ValueError:  # 29 February
            anchor = dt.date(period, 3, 1)
    else:
        anchor = dt.date(period, 1, 1)
    return max(anchor, today)
