"""Installed like a user installs it: the wheel in a fresh venv, and the self-contained build.

Both are built here, by the same commands a release uses (``python -m build``,
``scripts/build-app.sh``), and run from a folder outside the checkout. The builds are the
slow part (marker ``build``; part of every ``./run-tests.sh`` and CI run; skip them while
working with ``-m 'not build'``). ``CCUS_ATTEST_APP_DIR=dist/ccus-attest`` reuses an app
folder built before instead of building one.

The frozen app is run with an empty environment (``env -i`` plus only what each check
needs: a display, a passphrase), as on a machine where nothing of Python is set up.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.build

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BUNDLES = FIXTURES / "bundles"
PASSPHRASE = "correct horse battery"
SIGNING = "packaging signing passphrase"
LIGHT_KDF = ["--kdf-memory", "8", "--kdf-iterations", "1", "--kdf-lanes", "1"]
BUILD_TIMEOUT = 1800  # a clean PyInstaller build takes 1–3 minutes on 2 busy cores


def run(argv, *, env, cwd, timeout=300, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n"
                             f"{proc.stderr[-3000:]}")
    return proc


def first_window(proc: subprocess.CompletedProcess) -> str:
    """The smoke-test line of desktop/launch.py: 'first-window <time> <title>'."""
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("first-window ")]
    assert proc.returncode == 0 and lines, (proc.returncode, proc.stdout, proc.stderr[-3000:])
    return lines[0].split(" ", 2)[2]


# --- the wheel ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    t0 = time.monotonic()
    run([sys.executable, "-m", "build", "--outdir", out, ROOT], env=os.environ, cwd=ROOT,
        timeout=BUILD_TIMEOUT)
    print(f"\npackaging: wheel + sdist built in {time.monotonic() - t0:.0f} s")
    return out


def the(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with nothing but the wheel (and its dependencies)."""
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    t0 = time.monotonic()
    run([sys.executable, "-m", "venv", folder], env=os.environ, cwd=folder.parent)
    run([folder / "bin" / "python", "-m", "pip", "install", "--quiet", the(dist, "*.whl")],
        env=os.environ, cwd=folder.parent, timeout=BUILD_TIMEOUT)
    print(f"\npackaging: fresh venv with the wheel installed in {time.monotonic() - t0:.0f} s")
    return folder


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder that is not the checkout, and a clean environment for the venv's programs."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def venv_env(venv: Path, tmp: Path, **extra: str) -> dict[str, str]:
    return {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp / "home"),
            "CCUS_ATTEST_HOME": str(tmp / "data"), "XDG_CONFIG_HOME": str(tmp / "config"),
            "LANG": "C.UTF-8", **extra}


def package_files(folder: Path, patterns: list[str]) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for pattern in patterns for p in folder.glob(pattern)}


RUNTIME_DATA = {
    ROOT / "questionnaire": ["templates/*.yaml", "templates/*.json"],
    ROOT / "storage": ["migrations/*.py", "migrations/*.mako", "migrations/versions/*.py"],
    ROOT / "desktop": ["i18n/*.qm", "resources/*.png", "resources/*.svg", "resources/*.desktop",
                       "resources/*.xml"],
}


def test_wheel_and_sdist_carry_every_runtime_file(dist):
    """Every data file of the checkout (by glob: a new template file counts too) is in both."""
    wanted = set().union(*(package_files(folder, patterns) for folder, patterns in RUNTIME_DATA.items()))
    assert any(name.startswith("questionnaire/templates/ccus-survey-v") for name in wanted)
    with zipfile.ZipFile(the(dist, "*.whl")) as whl:
        names = set(whl.namelist())
        entry_points = whl.read(f"ccus_attest-{VERSION}.dist-info/entry_points.txt").decode()
    assert wanted <= names, sorted(wanted - names)
    assert "[console_scripts]\nccus-attest = cli.main:main" in entry_points
    assert "[gui_scripts]\nccus-attest-gui = desktop.launch:main" in entry_points
    import tarfile

    with tarfile.open(the(dist, "*.tar.gz")) as sdist:
        top = f"ccus_attest-{VERSION}/"
        in_sdist = {m.name.removeprefix(top) for m in sdist.getmembers()}
    assert wanted <= in_sdist, sorted(wanted - in_sdist)
    # …and what rebuilds the app and runs the tests from the sdist alone
    assert {"packaging/ccus-attest.spec", "packaging/launcher.py", "scripts/build-app.sh",
            "tests/fixtures/bundles/valid.zip", "pyproject.toml", "README.md"} <= in_sdist


def test_wheel_in_a_fresh_venv_runs_from_another_folder(venv, elsewhere, tmp_path):
    env = venv_env(venv, tmp_path)
    where = run([venv / "bin" / "python", "-c", "import questionnaire; print(questionnaire.__file__)"],
                env=env, cwd=elsewhere).stdout.strip()
    assert Path(where).is_relative_to(venv), where  # the installed copy, not the checkout
    for program in ("ccus-attest", "ccus-attest-gui"):
        assert run([program, "--version"], env=env, cwd=elsewhere).stdout.strip() == f"{program} {VERSION}"
    template = json.loads(run(["ccus-attest", "template", "--json"], env=env, cwd=elsewhere).stdout)
    from questionnaire import default_template

    expected = default_template()
    assert template["id"] == expected.id and template["version"] == expected.version
    assert sum(len(s["items"]) for s in template["sections"]) == len(expected.items)


def test_wheel_cli_round_trip(venv, elsewhere, tmp_path):
    """init → answer → attach → keygen → export → verify → open, with the installed console script."""
    env = venv_env(venv, tmp_path, CCUS_ATTEST_PASSPHRASE=PASSPHRASE, CCUS_ATTEST_SIGNING_PASSPHRASE=SIGNING)

    def cli(*args):
        return run(["ccus-attest", *args], env=env, cwd=elsewhere)

    cli("init", "ws", "--vendor", "株式会社パッケージ", *LIGHT_KDF)
    cli("answer", "ws", "AGR-01", "はい")
    evidence = elsewhere / "ISMS登録証.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence for the round trip\n")
    cli("attach", "ws", "CERT-03", evidence.name, "--kind", "certificate", "--issuer", "JQA",
        "--number", "IS 123456", "--issued", "2025-04-01", "--expires", "2027-03-31")
    (elsewhere / "keys").mkdir()
    cli("keygen", "signing", "--out", "keys/vendor")
    cli("keygen", "recipient", "--out", "keys/auditor")
    cli("export", "ws", "--out", "bundle.zip", "--sign-key", "keys/vendor.key",
        "--to", "keys/auditor.age-recipient", "--allow-incomplete")
    keys = ["--signer", "keys/vendor.pub", "--identity", "keys/auditor.age-identity"]
    assert "verified: signed by key" in cli("verify", "bundle.zip", *keys).stdout
    cli("open", "bundle.zip", *keys, "--out", "opened")
    opened = elsewhere / "opened"
    assert (opened / "evidence" / "CERT-03" / evidence.name).read_bytes() == evidence.read_bytes()
    manifest = json.loads((opened / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vendor"] == "株式会社パッケージ"
    assert manifest["generator"] == {"name": "CCUS Attest", "version": VERSION}  # from the metadata


def test_wheel_gui_starts_offscreen_to_its_first_window(venv, elsewhere, tmp_path):
    env = venv_env(venv, tmp_path, QT_QPA_PLATFORM="offscreen", CCUS_ATTEST_SMOKE_TEST="1")
    proc = run(["ccus-attest-gui"], env=env, cwd=elsewhere, timeout=120, check=False)
    assert first_window(proc) == "CCUS Attest"


def test_wheel_installs_the_linux_desktop_entry(venv, elsewhere, tmp_path):
    data = tmp_path / "xdg-data"
    env = venv_env(venv, tmp_path, XDG_DATA_HOME=str(data))
    run(["ccus-attest-gui", "--install-desktop-entry"], env=env, cwd=elsewhere)
    entry = data / "applications" / "ccus-attest.desktop"
    assert f"Exec={venv / 'bin' / 'ccus-attest-gui'} %f" in entry.read_text(encoding="utf-8").splitlines()
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", entry], env=env, cwd=elsewhere)
    assert (data / "mime" / "mime.cache").is_file()  # update-mime-database ran
    run(["ccus-attest-gui", "--uninstall-desktop-entry"], env=env, cwd=elsewhere)
    assert not entry.exists()
    assert not (data / "icons" / "hicolor" / "48x48" / "apps" / "ccus-attest.png").exists()


# --- the self-contained build -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    given = os.environ.get("CCUS_ATTEST_APP_DIR")
    if given:
        return Path(given).resolve()
    out = tmp_path_factory.mktemp("app-dist")
    t0 = time.monotonic()
    run([ROOT / "scripts" / "build-app.sh", out], env=os.environ, cwd=ROOT, timeout=BUILD_TIMEOUT)
    print(f"\npackaging: self-contained app built in {time.monotonic() - t0:.0f} s")
    return out / "ccus-attest"


def bare(*pairs: str) -> list[str]:
    """``env -i NAME=value…``: the program sees nothing of this process's environment."""
    return ["env", "-i", *pairs]


def test_frozen_app_folder_holds_what_it_needs_and_no_more(app):
    internal = app / "_internal"
    assert (app / "ccus-attest").is_file() and os.readlink(app / "ccus-attest-gui") == "ccus-attest"
    fonts = internal / "fonts"
    assert (fonts / "ipaexg.ttf").stat().st_size > 1_000_000
    assert "IPA" in (fonts / "IPA_Font_License_Agreement_v1.0.txt").read_text(encoding="utf-8")
    translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert {"qtbase_ja.qm", "qtbase_en.qm"} <= translations
    assert all(name.split("_")[-1] in ("ja.qm", "en.qm") for name in translations), translations
    qt_modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.so")}
    assert qt_modules == {"QtCore", "QtGui", "QtWidgets"}, qt_modules
    libs = {p.name.split(".so")[0] for p in internal.rglob("libQt6*.so*")}
    assert not libs & {"libQt6Qml", "libQt6Quick", "libQt6Pdf", "libQt6Network", "libQt6WebEngineCore"}, libs
    for pattern in ("questionnaire/templates/*.yaml", "questionnaire/templates/template.schema.json",
                    "desktop/i18n/*.qm", "storage/migrations/versions/0001_initial.py"):
        assert list(internal.glob(pattern)), pattern


def test_frozen_app_version_with_an_empty_environment(app, elsewhere):
    for program in ("ccus-attest", "ccus-attest-gui"):
        proc = run([*bare(), app / program, "--version"], env=None, cwd=elsewhere)
        assert proc.stdout.strip() == f"{program} {VERSION}"


def test_frozen_cli_verifies_the_fixture_bundles(app, elsewhere):
    signer, identity = BUNDLES / "vendor.pub", BUNDLES / "auditor.age-identity"
    # the fixture bundles are of the test-only mini template: the auditor supplies its file (issue 12)
    # nothing of this process's environment, but a data folder of the test's own: verify pins the
    # signer and records the submission, and without HOME that went to the real user's folder
    own = bare(f"CCUS_ATTEST_HOME={elsewhere / 'data'}")
    ok = run([*own, app / "ccus-attest", "verify", BUNDLES / "valid.zip", "--signer", signer,
              "--identity", identity, "--template", FIXTURES / "templates" / "mini.yaml"],
             env=None, cwd=elsewhere)
    assert (elsewhere / "data" / "auditor" / "pins.json").is_file()
    assert "OK   checksums" in ok.stdout and "verified: signed by key" in ok.stdout
    bad = run([*own, app / "ccus-attest", "verify", BUNDLES / "flipped-payload.zip", "--signer", signer],
              env=None, cwd=elsewhere, check=False)
    assert bad.returncode == 1
    assert len(bad.stderr.strip().splitlines()) == 1 and "failed verification" in bad.stderr


def test_frozen_gui_first_window_offscreen(app, elsewhere, tmp_path):
    proc = run([*bare(f"HOME={tmp_path}", "QT_QPA_PLATFORM=offscreen", "CCUS_ATTEST_SMOKE_TEST=1"),
                app / "ccus-attest-gui"], env=None, cwd=elsewhere, timeout=120, check=False)
    assert first_window(proc) == "CCUS Attest"


@pytest.fixture(scope="module")
def xvfb():
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: ./run-tests.sh installs it (scripts/bootstrap.sh)")
    r, w = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1366x768x24", "-nolisten",
                               "tcp"], pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as fh:
        number = fh.readline().strip()
    yield f":{number}"
    server.terminate()
    server.wait(10)


def test_frozen_gui_first_window_under_xvfb(app, elsewhere, tmp_path, xvfb):
    proc = run([*bare(f"HOME={tmp_path}", f"DISPLAY={xvfb}", "CCUS_ATTEST_SMOKE_TEST=1"),
                app / "ccus-attest-gui"], env=None, cwd=elsewhere, timeout=120, check=False)
    assert first_window(proc) == "CCUS Attest"


def frozen_report(app: Path, folder: Path, *, wrap: list[str]) -> str:
    """A workspace and its PDF report made by the frozen CLI; returns pdffonts' listing."""
    pairs = (f"HOME={folder}", f"CCUS_ATTEST_PASSPHRASE={PASSPHRASE}")
    cli = [*wrap, *bare(*pairs), app / "ccus-attest"]
    run([*cli, "init", "ws", "--vendor", "株式会社フローズン", *LIGHT_KDF], env=None, cwd=folder)
    run([*cli, "answer", "ws", "AGR-01", "はい"], env=None, cwd=folder)
    run([*cli, "report", "ws", "--out", "report.pdf"], env=None, cwd=folder)
    return run(["pdffonts", folder / "report.pdf"], env=os.environ, cwd=folder).stdout


def test_frozen_report_embeds_ipaex(app, elsewhere):
    fonts = frozen_report(app, elsewhere, wrap=[])
    embedded = [ln for ln in fonts.splitlines() if "IPAexGothic" in ln]
    assert embedded and all(" yes yes " in ln for ln in embedded), fonts


def _can_hide_system_fonts() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs none /usr/share/fonts"],
                           capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


def test_frozen_report_uses_the_bundled_font_when_the_system_has_none(app, elsewhere):
    """The same report with /usr/share/fonts emptied (a private mount namespace): the font
    can only come from the app folder."""
    if not _can_hide_system_fonts():
        pytest.skip("needs root and mount namespaces (unshare -m) to hide the system's fonts")
    hide = ["unshare", "-m", "sh", "-c", 'mount -t tmpfs none /usr/share/fonts && exec "$@"', "hide-fonts"]
    fonts = frozen_report(app, elsewhere, wrap=hide)
    embedded = [ln for ln in fonts.splitlines() if "IPAexGothic" in ln]
    assert embedded and all(" yes yes " in ln for ln in embedded), fonts


# --- releases ------------------------------------------------------------------------------------

def test_release_files_check_themselves_with_minisign_and_sha256sum(app, tmp_path):
    """scripts/release.sh: wheel, sdist, app archive, SHA256SUMS signed with a minisign key;
    a user checks them with the standard tools, and any change is caught."""
    if shutil.which("minisign") is None:
        pytest.fail("minisign is missing: ./run-tests.sh installs it (scripts/bootstrap.sh)")
    env = {**os.environ, "CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING}
    run([sys.executable, ROOT / "main.py", "keygen", "signing", "--out", tmp_path / "release"], env=env,
        cwd=tmp_path)
    out = tmp_path / "release-out"
    run([ROOT / "scripts" / "release.sh", "--key", tmp_path / "release.key", "--out", out, "--app-dir", app,
         "--allow-dirty"], env=env, cwd=tmp_path, timeout=BUILD_TIMEOUT)
    archive = f"ccus-attest-{VERSION}-linux-{os.uname().machine}.tar.gz"
    assert sorted(p.name for p in out.iterdir()) == sorted([
        f"ccus_attest-{VERSION}-py3-none-any.whl", f"ccus_attest-{VERSION}.tar.gz", archive,
        "SHA256SUMS", "SHA256SUMS.minisig"])
    checked = run(["minisign", "-Vm", "SHA256SUMS", "-p", tmp_path / "release.pub"], env=os.environ, cwd=out)
    assert f"release:ccus-attest-{VERSION}" in checked.stdout + checked.stderr
    sums = run(["sha256sum", "-c", "SHA256SUMS"], env=os.environ, cwd=out).stdout
    assert sums.count(": OK") == 3
    # the archive is a working app folder
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    run(["tar", "-xzf", out / archive, "-C", unpacked], env=os.environ, cwd=tmp_path)
    assert run([*bare(), unpacked / "ccus-attest" / "ccus-attest-gui", "--version"], env=None,
               cwd=tmp_path).stdout.strip() == f"ccus-attest-gui {VERSION}"
    # a changed download, or a changed list of checksums, is refused
    wheel = out / f"ccus_attest-{VERSION}-py3-none-any.whl"
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 1
    wheel.write_bytes(bytes(data))
    assert run(["sha256sum", "-c", "SHA256SUMS"], env=os.environ, cwd=out, check=False).returncode != 0
    listed = (out / "SHA256SUMS").read_text()
    (out / "SHA256SUMS").write_text(listed.replace(listed[:64], "0" * 64, 1))
    assert run(["minisign", "-Vm", "SHA256SUMS", "-p", tmp_path / "release.pub"], env=os.environ, cwd=out,
               check=False).returncode != 0
