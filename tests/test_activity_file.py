"""Reading an exported activity log (an opened bundle's activity-log.jsonl): shown, never trusted."""

from __future__ import annotations

import json

import pytest

from storage.activity import GENESIS, MAX_LOG_FILE_BYTES, LogEntry, read_log_file


def _chain(n: int) -> list[LogEntry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = LogEntry.make(seq, prev, "answer.set", "AGR-01", {"value": "yes", "n": seq})
        entries.append(entry)
        prev = entry.hash
    return entries


def _write(path, entries) -> None:
    path.write_text("".join(json.dumps(e.as_dict(), ensure_ascii=False) + "\n" for e in entries))


def test_an_intact_log_reads_back(tmp_path):
    entries = _chain(5)
    _write(tmp_path / "log.jsonl", entries)
    assert read_log_file(tmp_path / "log.jsonl") == (entries, [])


@pytest.mark.parametrize("damage", ["removed", "edited", "reordered"])
def test_damage_is_named_and_the_rest_still_shown(tmp_path, damage):
    entries = _chain(5)
    if damage == "removed":
        entries = entries[:2] + entries[3:]
    elif damage == "edited":
        d = entries[2].as_dict()
        d["detail"] = {"value": "no", "n": 3}
        entries[2] = LogEntry.from_dict(d)
    else:
        entries[1], entries[2] = entries[2], entries[1]
    _write(tmp_path / "log.jsonl", entries)
    shown, problems = read_log_file(tmp_path / "log.jsonl")
    assert problems and all(p.startswith("activity log") for p in problems)
    assert len(shown) == len(entries)


@pytest.mark.parametrize(("content", "problem"), [
    (b"\xff\xfe not utf-8", "not UTF-8"),
    (b'{"seq": 1}\n{not json\n', "line 2 is not JSON"),
    (b"[" * 100_000 + b"\n", "line 1 is not JSON"),
    (b'"just a string"\n', "malformed entry"),
])
def test_hostile_files_are_problems_not_crashes(tmp_path, content, problem):
    (tmp_path / "log.jsonl").write_bytes(content)
    shown, problems = read_log_file(tmp_path / "log.jsonl")
    assert shown == [] and problem in problems[0]


def test_an_absurdly_large_file_is_not_read(tmp_path):
    with open(tmp_path / "log.jsonl", "wb") as fh:
        fh.truncate(MAX_LOG_FILE_BYTES + 1)
    assert read_log_file(tmp_path / "log.jsonl") == ([], ["activity log: larger than 64 MiB"])
