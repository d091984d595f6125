"""The conventions people expect of a command-line tool."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from contest_kb import __version__
from tests.conftest import CORPUS, one_line_error


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(run, flag):
    result = run(flag, index=False)
    assert result.exit_code == 0 and __version__ in result.stdout


def test_python_dash_m(index_dir):
    out = subprocess.run([sys.executable, "-m", "contest_kb", "--index-dir", str(index_dir), "search", "Channel", "-n", "1"],
                         capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1. ")


@pytest.mark.parametrize("question, parsed", [("how many people are referred to Prevent each year", False), ('"Channel" AND mentor', True)])
def test_a_plain_question_starts_without_whooshs_query_parser(index_dir, question, parsed):
    """Start-up: a question of plain words is read without Whoosh's query
    parser (nor Rich, for JSON); query syntax still loads the parser."""
    code = ("import sys, io, contextlib; from contest_kb.cli import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try: cli(['--index-dir', {str(index_dir)!r}, 'search', {question!r}, '--format', 'json'])\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in ('whoosh.qparser', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.strip().splitlines()[-1] == str(["whoosh.qparser"] if parsed else []), out.stderr


def test_folder_options_after_the_command(run, index_dir):
    result = run("search", "Channel", "--corpus", str(CORPUS), "--index-dir", str(index_dir), "-n", "1", index=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1. ")


@pytest.mark.parametrize(
    "args, words",
    [
        (["search", "--bogus", "x"], ["No such option", "contest-kb search --help"]),
        (["search", "--strand", "nope", "x"], ["unknown strand 'nope'", "pursue, prevent, protect, prepare, overview"]),
        (["nosuch"], ["No such command"]),
        (["search"], ["QUERY"]),
    ],
)
def test_usage_errors_are_one_prefixed_line(run, args, words):
    line = one_line_error(run(*args), *words)
    assert line.startswith("contest-kb: ") and "Error:" not in line


def test_index_json_summary(run, tmp_path):
    result = run("--corpus", str(CORPUS), "--index-dir", str(tmp_path / "i"), "index", "--format", "json", index=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sources"] == 5 and data["sections"] > 20 and data["paragraphs"] > 100 and data["seconds"] >= 0
    assert "indexed" in result.stderr


def test_sections_and_show_give_the_source_as_in_search(run):
    sections = run.json("sections", "--format", "json")
    shown = run.json("show", sections[0]["id"], "--format", "json")
    found = run.json("search", "Channel", "--format", "json")
    assert set(sections[0]["source"]) == set(shown["source"]) == set(found["results"][0]["source"])
    assert {k: v for k, v in shown.items() if k not in ("evidence", "paragraphs")} == sections[0]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts(run, shell):
    result = run(index=False, env={"_CONTEST_KB_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0 and "_CONTEST_KB_COMPLETE" in result.stdout


def test_completion_of_section_ids(run, index_dir):
    env = {"_CONTEST_KB_COMPLETE": "bash_complete", "COMP_WORDS": f"contest-kb --index-dir {index_dir} show ctp-prevent/",
           "COMP_CWORD": "4"}
    result = run(index=False, env=env)
    assert "plain,ctp-prevent/prevent-scale-and-outcomes" in result.stdout


def test_completion_of_source_ids_for_remove(run, index_dir):
    env = {"_CONTEST_KB_COMPLETE": "bash_complete", "COMP_WORDS": f"contest-kb --index-dir {index_dir} remove ctp-",
           "COMP_CWORD": "4"}
    result = run(index=False, env=env)
    assert "plain,ctp-prevent" in result.stdout and "plain,ctp-what-we-do" in result.stdout
    assert "/" not in result.stdout


def test_help_documents_completion(run):
    assert "_CONTEST_KB_COMPLETE=bash_source" in run("--help", index=False).stdout


def test_index_updates_and_rebuild_rebuilds(run, tmp_path):
    args = ["--corpus", str(CORPUS), "--index-dir", str(tmp_path / "i"), "index", "--format", "json"]
    first = json.loads(run(*args, index=False).stdout)["path"]
    again = json.loads(run(*args, index=False).stdout)["path"]
    rebuilt = json.loads(run(*args, "--rebuild", index=False).stdout)["path"]
    assert first == again != rebuilt


@pytest.mark.parametrize("args, code", [(["search", "Channel", "--format", "json"], 0), (["search", "zzqqxx", "--no-correct"], 1),
                                        (["search", "--bogus"], 2), (["show", "no/such-section"], 2)])
def test_the_installed_command_exits_like_grep_and_flushes_its_output(index_dir, args, code):
    out = subprocess.run([sys.executable, "-m", "contest_kb", "--index-dir", str(index_dir), *args],
                         capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert out.returncode == code, out.stderr
    if code == 0:
        assert json.loads(out.stdout)["results"]  # complete, though the process leaves without teardown
    if code == 2:
        assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_a_reader_that_closes_the_pipe_early_is_not_an_error(index_dir, tmp_path, fmt):
    """`contest-kb search ... | head`: once head has read enough, the command
    stops quietly with status 0, as it would had it finished."""
    queries = tmp_path / "queries.txt"
    queries.write_text("Channel panel\n" * 3000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "contest_kb", "--index-dir", str(index_dir), "search",
                             "--queries-from", str(queries), "--format", fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()
    errors = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, errors
    assert "Traceback" not in errors and "Error" not in errors
