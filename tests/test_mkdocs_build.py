"""`mkdocs build` with the kennisbank plugin, on the sample and on broken content."""

from __future__ import annotations

from conftest import mkdocs_build, write_tip


def test_broken_tip_fails_the_build_with_the_validate_message(repo):
    write_tip(repo, replace={"tools: [outlook]": "tools: [outlok]"})
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 1
    output = proc.stdout + proc.stderr
    assert "tips/burgerzaken/testtip.md:4:9: tools[0]: onbekende waarde 'outlok' voor tool. Toegestaan:" in output
    assert "Bedoelde je 'outlook'?" in output
    assert "Traceback" not in output
    assert not (repo / "site" / "index.html").exists()


def test_sample_site_builds_strict_without_warnings(sample_site):
    assert "WARNING" not in sample_site.log, sample_site.log
    assert (sample_site.site / "index.html").is_file()
