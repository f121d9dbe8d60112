"""Desktop latency: what a user waits for after a click or a keystroke, with the real classes.

    .venv/bin/python -m bench.run_all --only ui
    .venv/bin/python -m bench.bench_ui [--quick]          # prints the rows

Every figure comes from a child interpreter on Qt's ``offscreen`` platform (one per
questionnaire size, so widgets of one run never slow the next), driving the real
``AppController`` / ``MainWindow`` on a real encrypted workspace:

* the default template (116 items, 12 sections) and a scaled one (1,000 items:
  10 sections x 100, ``bench_workspace.scaled_template``, with 3,000 small evidence files
  as in bench_workspace), half of the items answered;
* an interaction's time runs from the call a Qt signal would make (the debounce timer
  firing ``apply_filter``, a button's ``click()``, the section list's
  ``setCurrentIndex``) until Qt has processed every event that call queued (layout,
  polish, paint): ``QCoreApplication.processEvents()`` after the call;
* "plain Qt" baselines are built in the same child, before the app's style sheet is
  installed: the same number of plain widgets as the item widgets of the section
  (QFrame + labels + buttons + a text box each), shown in a scroll area; for searches a
  ``QSortFilterProxyModel`` filtering a ``QStringListModel`` of the same question texts;
* beside each interaction, the UI thread's CPU time for it (``time.thread_time``): unlike
  the wall time it does not grow when other processes share the machine's two cores;
* heartbeat rows run a 5 ms ``QTimer`` in the real event loop while the work runs in the
  app's worker (``desktop.tasks.Task``, the calls the app makes) and report the longest gap
  between two beats: what a user would feel as a frozen window. Unlock (welcome window ->
  main window), attaching a 64 MiB file, the integrity check (while the UI chooses an item
  every 100 ms, which reads the workspace), exporting a signed bundle (keys made in the run)
  and the auditor's verify and open of that bundle;
* CLI rows start ``main.py`` in a fresh interpreter, as a user does.

Targets (issue 10): every interaction <= 50 ms at 116 items and <= 100 ms at 1,000;
no heartbeat gap over 100 ms; unlock -> window <= KDF + 300 ms; ``template`` <= 300 ms;
``status`` <= KDF + 300 ms.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import ROOT, Row

PASSPHRASE = "benchmark passphrase"


# --- the child: runs in its own interpreter ------------------------------------------------------


def _add_evidence(ws, template, folder: Path, count: int, rng) -> None:
    """``count`` small files (2-8 KB, like bench_workspace.build) attached round-robin."""
    import datetime as dt

    from storage import EvidenceMeta

    items = [i for i in template.items if i.evidence is not None and i.show_if is None]
    src = folder / "evidence-src.pdf"
    for n in range(count):
        item = items[n % len(items)]
        src.write_bytes(rng.randbytes(rng.randint(2_000, 8_000)))
        ws.add_evidence(item.id, src, EvidenceMeta(item.evidence.kinds[0], title=f"証跡 {n}",
                                                   issuer="審査機関",
                                                   expires=dt.date(2027, 3, 31) if n % 3 else None),
                        filename=f"証跡-{n:05d}.pdf")
    src.unlink(missing_ok=True)


def _child(n_items: int, quick: bool) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QStringListModel, QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import (
        QApplication,
        QFrame,
        QHBoxLayout,
        QLabel,
        QListView,
        QPlainTextEdit,
        QPushButton,
        QScrollArea,
        QVBoxLayout,
        QWidget,
    )

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out: dict = {"n_items": n_items}
    repeat = 3 if quick else 7

    def settle() -> None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    def timed(action, *, before=None, n=repeat, cpu: list | None = None) -> list[float]:
        """Wall time of each run (and, into ``cpu``, the UI thread's CPU time: what the
        interaction costs whatever else the machine runs)."""
        times = []
        for i in range(n):
            if before is not None:
                before(i)
                settle()
            t0, c0 = time.perf_counter(), time.thread_time()
            action(i)
            settle()
            times.append(time.perf_counter() - t0)
            if cpu is not None:
                cpu.append(time.thread_time() - c0)
        return times

    # ---- plain Qt baselines (before the app's style sheet exists) --------------------------------
    def plain_page(count: int) -> float:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.resize(730, 700)
        area.show()
        settle()
        t0 = time.perf_counter()
        body = QWidget()
        layout = QVBoxLayout(body)
        for i in range(count):
            frame = QFrame(body)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            v = QVBoxLayout(frame)
            head = QHBoxLayout()
            for text in (f"S-{i:03d}", "必須", "未回答", "契約書 第2条"):
                head.addWidget(QLabel(text, frame))
            v.addLayout(head)
            question = QLabel("個人情報の管理措置を講じていますか。" * 2, frame)
            question.setWordWrap(True)
            v.addWidget(question)
            row = QHBoxLayout()
            for text in ("はい", "一部", "いいえ", "該当なし"):
                b = QPushButton(text, frame)
                b.setCheckable(True)
                row.addWidget(b)
            v.addLayout(row)
            v.addWidget(QLabel("備考（任意）", frame))
            v.addWidget(QPlainTextEdit(frame))
            v.addWidget(QLabel("証跡（任意）", frame))
            v.addWidget(QPushButton("証跡を添付…", frame))
            layout.addWidget(frame)
        area.setWidget(body)
        settle()
        elapsed = time.perf_counter() - t0
        area.close()
        area.deleteLater()
        settle()
        return elapsed

    from questionnaire import default_template, load_template_text

    from .bench_workspace import _answer_for, scaled_template

    if n_items == 116:
        template = default_template()
    else:
        template = load_template_text(scaled_template(n_items), "bench.yaml")
    biggest = max(template.sections, key=lambda s: len(s.items))
    other = next(s for s in template.sections if s is not biggest)
    out["biggest_section"] = [biggest.id, len(biggest.items)]
    out["plain_section"] = statistics.median(plain_page(len(biggest.items)) for _ in range(3))
    texts = [f"{i.id} {i.text.ja} {i.text.en} {i.source}" for i in template.items]
    model = QStringListModel(texts)
    from PySide6.QtCore import QSortFilterProxyModel

    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    view = QListView()
    view.setModel(proxy)
    view.resize(730, 700)
    view.show()
    settle()
    search_terms = ["管", "管理", "管理措", "情報", ""]

    def plain_search(i: int) -> None:
        proxy.setFilterFixedString(search_terms[i % len(search_terms)])

    out["plain_search"] = statistics.median(timed(plain_search, n=10))
    view.close()

    # ---- the workspace: half of the items answered; at 1,000 items 3,000 evidence files ----------
    import random

    from desktop.controller import AppController
    from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings
    from desktop.ui import style
    from storage import KdfParams, Workspace

    style.apply(app)
    tmp = Path(tempfile.mkdtemp(prefix="ccus-bench-ui-"))
    fast = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
    kdf = KdfParams() if not quick else fast
    rng = random.Random(10)
    n_evidence = 0 if n_items == 116 else (300 if quick else 3000)
    out["n_evidence"] = n_evidence
    ws = Workspace.create(tmp / "ws", PASSPHRASE, vendor="ベンチマーク株式会社", template=template, kdf=kdf)
    if n_items == 116:
        answers = {i.id: "yes" for i in template.items[::2]
                   if str(i.kind) == "status" and i.show_if is None}
    else:
        answers = {i.id: _answer_for(i, rng) for i in template.items[::2]
                   if i.show_if is None and i.required_if is None}
    ws.set_answers(answers)
    _add_evidence(ws, template, tmp, n_evidence, rng)
    ws.close()
    # the KDF alone, as the baseline of unlock
    kdf_times = []
    for _ in range(1 if quick else 3):
        t0 = time.perf_counter()
        Workspace.open(tmp / "ws", PASSPHRASE).close()
        kdf_times.append(time.perf_counter() - t0)
    out["open_no_ui"] = statistics.median(kdf_times)

    settings = Settings(tmp / "settings.ini")
    settings.set(LANGUAGE, "ja")
    settings.set(AUTO_LOCK_SECONDS, 600)
    controller = AppController(settings, kdf=fast)
    controller.start()
    settle()

    beats: list[float] = []
    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))

    def run_until(done, timeout: float = 300.0, tail: float = 0.0) -> tuple[float, float]:
        """Run the event loop until done() (then ``tail`` s more); (time to done, longest gap)."""
        beats.clear()
        heart.start()
        t0 = time.perf_counter()
        beats.append(t0)
        t_done = None
        while time.perf_counter() - t0 < timeout:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if t_done is None and done():
                t_done = time.perf_counter()
            if t_done is not None and time.perf_counter() - t_done >= tail:
                break
            time.sleep(0.001)
        heart.stop()
        beats.append(time.perf_counter())
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        if t_done is None:
            raise RuntimeError("timed out")
        return t_done - t0, max(gaps, default=0.0)

    # unlock from the welcome window -> the main window with its first section
    def main_ready() -> bool:
        m = controller.main
        if m is None or not m.isVisible():
            return False
        page = m.form.currentWidget()  # the first items on screen (the rest may still be built)
        return bool(getattr(page, "widgets", None) or getattr(page, "pending", None) == [])

    t_unlock, gap_unlock = None, None
    for _ in range(1 if quick else 3):
        if controller.main is not None:
            controller.main.close_workspace()
            settle()
        welcome = controller.welcome
        welcome.add_recent(tmp / "ws")

        def start_open(w=welcome) -> None:
            w._open(PASSPHRASE)

        QTimer.singleShot(0, start_open)
        # the tail: the rest of the first section and the other pages are built meanwhile
        elapsed, gap = run_until(main_ready, tail=1.5)
        if t_unlock is None or elapsed < t_unlock:
            t_unlock, gap_unlock = elapsed, gap
    out["unlock"] = t_unlock
    out["unlock_gap"] = gap_unlock
    main = controller.main
    main.resize(1366, 768)
    settle()
    run_until(lambda: True, tail=3.0)  # let any background building finish

    # section switch: to the biggest section, from another one
    row_big = main.sections.row_of(biggest.id)
    row_other = main.sections.row_of(other.id)
    out["switch_cpu"] = []
    out["switch"] = timed(lambda i: main.section_list.setCurrentIndex(main.sections.index(row_big)),
                          before=lambda i: main.section_list.setCurrentIndex(main.sections.index(row_other)),
                          cpu=out["switch_cpu"])

    # answer commit: click a status button in the biggest section (saved + refreshed)
    main.section_list.setCurrentIndex(main.sections.index(row_big))
    settle()
    status_items = [i.id for i in biggest.items if str(i.kind) == "status" and i.show_if is None]
    answer_times, answer_cpu = [], []
    for i in range(repeat * 2):
        item_id = status_items[i % len(status_items)]
        widget = main.form.widgets[item_id]
        value = ("no", "yes")[i % 2] if main.session.answer(item_id) is None or \
            main.session.answer(item_id).value != "yes" else "partial"
        button = widget.editor.buttons[value]
        t0, c0 = time.perf_counter(), time.thread_time()
        button.click()
        settle()
        answer_times.append(time.perf_counter() - t0)
        answer_cpu.append(time.thread_time() - c0)
    out["answer"] = answer_times
    out["answer_cpu"] = answer_cpu

    # search: the debounce timer fires apply_filter; IME commit; later keystrokes; clearing
    cpu: dict[str, list[float]] = {"first": [], "later": [], "ime": [], "clear": []}

    def search(text: str, kind: str) -> float:
        main.search.setText(text)
        main._search_timer.stop()
        t0, c0 = time.perf_counter(), time.thread_time()
        main.apply_filter()
        settle()
        cpu[kind].append(time.thread_time() - c0)
        return time.perf_counter() - t0

    def clear_search() -> float:
        main.search.clear()
        main._search_timer.stop()
        t0, c0 = time.perf_counter(), time.thread_time()
        main.apply_filter()
        settle()
        cpu["clear"].append(time.thread_time() - c0)
        return time.perf_counter() - t0

    first, later, clear, ime = [], [], [], []
    for _ in range(max(3, repeat // 2)):
        first.append(search("管", "first"))
        later.append(search("管理", "later"))
        later.append(search("管理措", "later"))
        clear.append(clear_search())
        main.search.setFocus()
        settle()
        t0, c0 = time.perf_counter(), time.thread_time()
        event = QInputMethodEvent("", [])
        event.setCommitString("管理")
        QCoreApplication.sendEvent(main.search, event)
        main._search_timer.stop()
        main.apply_filter()
        settle()
        ime.append(time.perf_counter() - t0)
        cpu["ime"].append(time.thread_time() - c0)
        clear.append(clear_search())
    out["search_first"] = first
    out["search_later"] = later
    out["search_ime"] = ime
    out["search_clear"] = clear
    for kind, values in cpu.items():
        out[f"search_{kind}_cpu"] = values
    from desktop.forms.filters import FilterMode, matching_items

    out["matches_first"] = len(matching_items(main.session.assessment(), "管", FilterMode.ALL))

    # the dashboard (made when first shown), then back to the form
    t0, c0 = time.perf_counter(), time.thread_time()
    main.show_dashboard()
    settle()
    out["dashboard_first"] = time.perf_counter() - t0
    out["dashboard_first_cpu"] = [time.thread_time() - c0]
    out["dashboard_again_cpu"] = []
    out["dashboard_again"] = timed(lambda i: main.show_dashboard(),
                                   before=lambda i: main.go_to_section(biggest.id),
                                   cpu=out["dashboard_again_cpu"])
    main.go_to_section(biggest.id)
    settle()

    # ---- long work in the worker with the window live (heartbeat rows) ---------------------------
    from desktop.tasks import Task

    def in_worker(work, *, while_running=None) -> tuple[object, float, float]:
        """Run ``work`` as the app does (desktop.tasks.Task, progress delivered to the UI thread);
        ``while_running`` is called every 100 ms on the UI thread meanwhile."""
        task = Task(work)
        task.progressed.connect(lambda d, t: None)
        poke = QTimer()
        poke.setInterval(100)
        if while_running is not None:
            poke.timeout.connect(while_running)
            poke.start()
        QTimer.singleShot(0, task.start)
        elapsed, gap = run_until(lambda: task.done)
        poke.stop()
        if task.error is not None:
            raise task.error
        return task.result, elapsed, gap

    session = main.session
    big = tmp / "evidence.bin"
    big.write_bytes(os.urandom((16 if quick else 64) * 1024 * 1024))
    ev_item = next(i for i in template.items if i.evidence is not None and i.show_if is None)
    from storage import EvidenceMeta

    def attach_work(progress, cancel):
        info = session.add_evidence(ev_item.id, big, EvidenceMeta(ev_item.evidence.kinds[0]),
                                    progress=progress, cancel=cancel)
        return info

    _r, _t, out["gap_attach"] = in_worker(attach_work)
    session.evidence_stored(ev_item.id)
    settle()

    # the integrity check, while the UI reads the workspace (an item chosen every 100 ms: its
    # evidence listed): reading must not wait for the check's lock
    from storage.integrity import check_open

    shown = [i.id for i in biggest.items]
    picks = itertools.count()

    def pick_item() -> None:
        main.select_item(shown[next(picks) % len(shown)])

    report, out["check_s"], out["gap_check"] = in_worker(
        lambda progress, cancel: check_open(session.workspace(), progress=progress, cancel=cancel),
        while_running=pick_item)
    if report.damage:
        raise RuntimeError(f"integrity check found damage: {report.damage[:3]}")

    # export a bundle (as the wizard does), then verify and open it (as the auditor's dialog does)
    from desktop.auditor_session import OpenRequest, extract, verify
    from exports import keys
    from exports.bundle import export_bundle

    signing = keys.generate_signing_key(tmp / "vendor", "bench signing passphrase",
                                        opslimit=1 << 20, memlimit=1 << 25)
    key = keys.load_signing_key(signing.secret_path, "bench signing passphrase")
    auditor = keys.generate_recipient_key(tmp / "auditor")
    bundle = tmp / "submission.zip"
    ws_open = session.workspace()
    _r, out["export_s"], out["gap_export"] = in_worker(
        lambda progress, cancel: export_bundle(ws_open, bundle, signing_key=key,
                                               recipients=[auditor.recipient], allow_incomplete=True,
                                               overwrite=True, progress=progress, cancel=cancel))
    out["bundle_mib"] = bundle.stat().st_size / (1 << 20)
    # the scaled questionnaire is not a template the app ships: the auditor supplies its file,
    # as a real auditor would for a version the app does not know (issue 12)
    supplied: tuple[Path, ...] = ()
    if n_items != 116:
        supplied = (tmp / "bench-template.yaml",)
        supplied[0].write_text(scaled_template(n_items), encoding="utf-8")
    request = OpenRequest(bundle=bundle, identity=auditor.identity_path, signer=str(signing.public_path),
                          folder=tmp / "opened", templates=supplied)
    verified, out["verify_s"], out["gap_verify"] = in_worker(
        lambda progress, cancel: verify(request, progress, cancel))
    if not verified.ok:
        raise RuntimeError(f"the bundle did not verify: {verified.first_problem()}")
    _r, out["open_s"], out["gap_open"] = in_worker(
        lambda progress, cancel: extract(request, verified, progress, cancel))
    main.close_workspace()
    settle()
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return out


# --- the parent ----------------------------------------------------------------------------------


def _run_child(n_items: int, quick: bool) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    code = (f"import json, sys; from bench.bench_ui import _child; "
            f"print('__ui__' + json.dumps(_child({n_items}, {quick})))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800, check=False)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("__ui__")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"UI benchmark child failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(line[len("__ui__"):])


def _med(v) -> float:
    return statistics.median(v) if isinstance(v, list) else v


def _spread(v) -> str:
    if not isinstance(v, list):
        return ""
    return f"min {min(v) * 1000:.0f} / median {statistics.median(v) * 1000:.0f} / max {max(v) * 1000:.0f} ms"


def _cpu(v) -> str:
    return f"; UI-thread CPU median {statistics.median(v) * 1000:.0f} ms" if v else ""


def _rows_for(r: dict) -> list[Row]:
    n = r["n_items"]
    label = f"{n} items" if n != 116 else "116 items (default)"
    if r.get("n_evidence"):
        label += f", {r['n_evidence']:,} evidence files"
    limit = 0.05 if n == 116 else 0.1
    sec_id, sec_n = r["biggest_section"]
    rows = [
        Row(f"UI section switch to {sec_id} ({sec_n} items), {label}", _med(r["switch"]),
            r["plain_section"], f"plain Qt: {sec_n} plain item frames built and shown", target_s=limit,
            note=_spread(r["switch"]) + _cpu(r.get("switch_cpu"))),
        Row(f"UI answer -> saved + refreshed, {label}", _med(r["answer"]), None, "", target_s=limit,
            note=_spread(r["answer"]) + _cpu(r.get("answer_cpu"))),
        Row(f"UI search first keystroke 「管」 after debounce ({r['matches_first']} matches), {label}",
            _med(r["search_first"]), r["plain_search"], "QSortFilterProxyModel over the question texts",
            target_s=limit, note=_spread(r["search_first"]) + _cpu(r.get("search_first_cpu"))),
        Row(f"UI search IME commit 「管理」, {label}", _med(r["search_ime"]), r["plain_search"],
            "QSortFilterProxyModel over the question texts", target_s=limit,
            note=_spread(r["search_ime"]) + _cpu(r.get("search_ime_cpu"))),
        Row(f"UI search later keystrokes, {label}", _med(r["search_later"]), r["plain_search"],
            "QSortFilterProxyModel over the question texts", target_s=limit,
            note=_spread(r["search_later"]) + _cpu(r.get("search_later_cpu"))),
        Row(f"UI clearing the search, {label}", _med(r["search_clear"]), None, "", target_s=limit,
            note=_spread(r["search_clear"]) + _cpu(r.get("search_clear_cpu"))),
        Row(f"UI dashboard shown the first time (built then), {label}", r["dashboard_first"], None, "",
            target_s=limit, note=_cpu(r.get("dashboard_first_cpu")).lstrip("; ")),
        Row(f"UI dashboard shown again, {label}", _med(r["dashboard_again"]), None, "", target_s=limit,
            note=_spread(r["dashboard_again"]) + _cpu(r.get("dashboard_again_cpu"))),
        Row(f"UI unlock -> main window, {label}", r["unlock"], r["open_no_ui"],
            "Workspace.open alone (KDF + records), same process", target_s=r["open_no_ui"] + 0.3,
            note=f"goal: KDF + 300 ms; longest event-loop gap meanwhile {r['unlock_gap'] * 1000:.0f} ms"),
        Row(f"UI longest event-loop gap during unlock, {label}", r["unlock_gap"], None, "", target_s=0.1),
        Row(f"UI longest event-loop gap during attach (64 MiB), {label}", r["gap_attach"], None, "",
            target_s=0.1),
        Row(f"UI longest event-loop gap during integrity check, {label}", r["gap_check"], None, "",
            target_s=0.1, note=f"check took {r['check_s']:.2f} s; the UI chose an item (its evidence "
                              "listed) every 100 ms meanwhile"),
        Row(f"UI longest event-loop gap during bundle export, {label}", r["gap_export"], None, "",
            target_s=0.1, note=f"export took {r['export_s']:.2f} s; bundle {r['bundle_mib']:.0f} MiB"),
        Row(f"UI longest event-loop gap during bundle verify, {label}", r["gap_verify"], None, "",
            target_s=0.1, note=f"verify took {r['verify_s']:.2f} s"),
        Row(f"UI longest event-loop gap during bundle open, {label}", r["gap_open"], None, "",
            target_s=0.1, note=f"open took {r['open_s']:.2f} s"),
    ]
    return rows


def _cli_rows(quick: bool) -> list[Row]:
    """`python main.py --help | template | status` in fresh interpreters, against `python -c pass`
    (and for status, against opening the workspace alone: the KDF)."""
    repeat = 3 if quick else 7
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ccus-bench-cli-") as tmp:
        env = {**os.environ, "CCUS_ATTEST_HOME": str(Path(tmp) / "home"), "LANG": "ja_JP.UTF-8",
               "CCUS_ATTEST_PASSPHRASE": PASSPHRASE}

        def start(argv: list[str]) -> float:
            t0 = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
            return time.perf_counter() - t0

        def median_of(argv: list[str]) -> float:
            start(argv)  # warm the page cache (and the template cache)
            return statistics.median(start(argv) for _ in range(repeat))

        bare = median_of([sys.executable, "-c", "pass"])
        for args, target in ((["--help"], 0.3), (["template"], 0.3)):
            ours = median_of([sys.executable, "main.py", *args])
            rows.append(Row(f"CLI {' '.join(args)}", ours, bare, "python -c pass", target_s=target,
                            note="imports no storage/crypto/SQLAlchemy (tests/test_cli_lazy.py)"))
        ws = Path(tmp) / "ws"
        subprocess.run([sys.executable, "main.py", "init", str(ws)], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # the default Argon2id (256 MiB, 3 passes)
        kdf = median_of([sys.executable, "-c", "import sys; from storage import Workspace; "
                         "Workspace.open(sys.argv[1], sys.argv[2]).close()", str(ws), PASSPHRASE])
        ours = median_of([sys.executable, "main.py", "status", str(ws)])
        rows.append(Row("CLI status (default KDF)", ours, kdf,
                        "python: import storage + Workspace.open (KDF) alone", target_s=kdf + 0.3,
                        note="goal: KDF + 300 ms; the baseline includes the imports Workspace.open needs"))
    return rows


def run(quick: bool) -> list[Row]:
    rows: list[Row] = []
    for n in (116, 1000) if not quick else (116, 200):
        rows += _rows_for(_run_child(n, quick))
    return rows + _cli_rows(quick)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(_child(int(sys.argv[2]), "--quick" in sys.argv)))
    else:
        for row in run("--quick" in sys.argv):
            extra = f" (baseline {row.baseline_s:.3f} s)" if row.baseline_s is not None else ""
            print(f"{row.name}: {row.ours_s * 1000:.1f} ms{extra} ok={row.ok}  {row.note}")
