"""The loader and models on the bundled sample content."""

from __future__ import annotations

import json
from collections import Counter

from conftest import ROOT, TODAY
from kennisbank.checks.loader import load_repository
from kennisbank.ops.cli import main


def test_sample_content_is_valid_and_complete():
    result = load_repository(ROOT, today=TODAY)
    assert result.errors == []
    repo = result.repository
    assert len(repo.tips) >= 40
    assert len(repo.coaches) >= 8
    assert len(repo.meetings) >= 5 and len(repo.signals) >= 5
    departments = {d for tip in repo.tips for d in tip.departments}
    assert len(departments - {"alle"}) >= 10
    assert {t.difficulty for t in repo.tips} == set(repo.taxonomy.difficulties)
    assert {"oase", "ai-training"} <= {t.source for t in repo.tips}
    assert len({s.status for s in repo.signals}) >= 3
    assert any(not a.done for m in repo.meetings for a in m.actions)
    assert any(m.date > TODAY and not m.body.strip() for m in repo.meetings)


def test_meetings_are_three_weeks_apart():
    meetings = load_repository(ROOT, today=TODAY).repository.meetings
    gaps = Counter((b.date - a.date).days for a, b in zip(meetings, meetings[1:], strict=False))
    assert gaps == {21: len(meetings) - 1}


def test_tip_documents_know_their_place():
    repo = load_repository(ROOT, today=TODAY).repository
    tip = next(t for t in repo.tips if t.slug == "gedeelde-mailbox-toevoegen")
    assert tip.source_path == "tips/burgerzaken/gedeelde-mailbox-toevoegen.md"
    assert tip.tools == ["outlook"] and tip.coach == "sofie-claeys"
    assert tip.body.lstrip().startswith("Bij Burgerzaken")
    # body_line is the file line of the body's first line
    lines = (ROOT / tip.source_path).read_text(encoding="utf-8").split("\n")
    assert lines[tip.body_line - 1] == tip.body.split("\n")[0]


def test_schema_lists_vocabulary_values(capsys):
    assert main(["--root", str(ROOT), "schema", "tip"]) == 0
    schema = json.loads(capsys.readouterr().out)
    props = schema["properties"]
    assert "outlook" in props["tools"]["items"]["enum"]
    assert props["difficulty"]["enum"] == ["basis", "gevorderd", "expert"]
    assert "alle" in props["departments"]["items"]["enum"]
    assert "sofie-claeys" in props["coach"]["enum"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {"title", "tools", "difficulty", "source", "departments", "coach", "date"}


def test_schema_files_for_editors(tmp_path, capsys):
    assert main(["--root", str(ROOT), "schema", "-o", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    kinds = ["tip", "path", "meeting", "signal", "coaches", "taxonomy"]
    assert written == sorted([f"{k}.schema.json" for k in kinds] + ["kennisbank.code-snippets"])
    meeting = json.loads((tmp_path / "meeting.schema.json").read_text(encoding="utf-8"))
    assert "an-peeters" in json.dumps(meeting["$defs"]["Action"])


def test_committed_editor_files_match_the_vocabulary(tmp_path, capsys):
    """.vscode/ holds generated schemas and snippets; they must follow taxonomy.yml and coaches.yml."""
    assert main(["--root", str(ROOT), "schema", "-o", str(tmp_path)]) == 0
    for generated in tmp_path.iterdir():
        committed = ROOT / ".vscode" / generated.name
        assert committed.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), (
            f"{committed} is verouderd: voer 'kennisbank schema -o .vscode' uit"
        )


def test_snippet_produces_a_valid_tip(repo, capsys):
    """Expanding the tip snippet with its first choices gives a tip that validates."""
    import re

    snippets = json.loads((ROOT / ".vscode/kennisbank.code-snippets").read_text(encoding="utf-8"))
    body = "\n".join(snippets["Kennisbank: nieuwe tip"]["body"])
    body = re.sub(r"\$\{\d+\|([^,|]+)[^}]*\}", r"\1", body)
    body = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", body)
    body = body.replace("$CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE", TODAY.isoformat()).replace("${8}", "test")
    (repo / "tips/burgerzaken/snippet.md").write_text(body + "\n", encoding="utf-8")
    main(["--root", str(repo), "validate", "--today", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert "tips/burgerzaken/snippet.md" not in out.replace("waarschuwing", "")
