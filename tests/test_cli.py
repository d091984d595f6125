"""Every command through CliRunner: exit codes, output formats, errors."""

from __future__ import annotations

import json

import pytest

from tests.conftest import one_line_error

RESULT_KEYS = {"rank", "score", "id", "citation", "source", "heading_path", "strands", "passages", "also_in"}
SOURCE_KEYS = {"id", "title", "publisher", "url", "published", "updated", "licence", "official"}


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_search_finds_and_exits_zero(run, fmt):
    result = run("search", "how", "many", "people", "are", "referred", "to", "Prevent", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "around 7,000 people are referred" in result.stdout
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_search_without_results_exits_one(run, fmt):
    result = run("search", "xylophone", "--no-correct", "--format", fmt)
    assert result.exit_code == 1
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["total"] == 0 and data["results"] == []
    else:
        assert result.stdout == ""
    assert "0 results" in result.stderr or fmt == "json"


def test_search_json_schema(run):
    data = run.json("search", "Channel programme", "--format", "json", "--limit", "3")
    assert {"version", "query", "total", "results", "suggestion"} <= set(data)
    assert data["query"] == "Channel programme" and data["version"] == 2
    assert 0 < len(data["results"]) <= 3 <= data["total"]
    for k, r in enumerate(data["results"], 1):
        assert RESULT_KEYS <= set(r)
        assert r["rank"] == k
        assert SOURCE_KEYS <= set(r["source"])
        assert isinstance(r["heading_path"], list) and isinstance(r["strands"], list)
        assert r["source"]["url"] in r["citation"]
        for p in r["passages"]:
            assert set(p) == {"n", "lines", "page", "link", "text", "lead_in"}
            assert p["page"] is None and p["link"].startswith(r["source"]["url"] + "#:~:text=")
            start, end = p["lines"]
            assert 1 <= start <= end
            assert f"¶{p['n']} (line" in r["citation"]
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_every_hit_cites_paragraph_lines_and_url(run):
    data = run.json("search", "terrorism", "--format", "json", "--limit", "50")
    assert data["results"]
    for r in data["results"]:
        assert r["passages"]
        assert "line" in r["citation"] and r["citation"].endswith(r["source"]["url"])


def test_duplicated_passage_appears_once_with_also_in(run):
    data = run.json("search", "Prevent scale and outcomes", "--format", "json", "--limit", "5")
    ids = [r["id"] for r in data["results"]]
    assert "ctp-prevent/prevent-scale-and-outcomes" in ids and "ctp-what-we-do/prevent-scale-and-outcomes" not in ids
    texts = [p["text"] for r in data["results"] for p in r["passages"]]
    assert len(texts) == len(set(texts))
    first = data["results"][0]
    assert first["also_in"] and first["also_in"][0]["citation"].startswith("Counter Terrorism Policing")


def test_strand_filter_and_unknown_strand(run):
    data = run.json("search", "terrorist", "--strand", "PREPARE", "--format", "json")
    assert data["results"] and all("prepare" in r["strands"] for r in data["results"])
    result = run("search", "terrorist", "--strand", "prevention")
    assert result.exit_code == 2 and "prevention" in result.stderr


def test_unknown_source_is_one_line_error(run):
    one_line_error(run("search", "police", "--source", "bbc"), "bbc", "contest-kb sources")


@pytest.mark.parametrize("query", ['""', "?!"])
def test_unparseable_query_is_one_line_error(run, query):
    one_line_error(run("search", query), "query")


def test_unknown_option_exits_two(run):
    result = run("search", "police", "--colour-me-pink")
    assert result.exit_code == 2 and "No such option" in result.stderr


def test_spelling_correction_is_reported_on_stderr(run):
    result = run("search", "radicalisaton", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["suggestion"] == "radicalisation" and data["corrected"] is True
    assert "radicalisation" in result.stderr


def test_explain_in_text_output(run):
    result = run("search", "Channel", "--explain", "-n", "1")
    assert "explain: 'channel' -> plain:channel" in result.stdout


def test_color_only_when_asked_or_on_a_terminal(run):
    plain = run("search", "Channel", "-n", "1")
    forced = run("search", "Channel", "-n", "1", "--color", "always")
    assert "\x1b[" not in plain.stdout
    assert "\x1b[" in forced.stdout
    json_forced = run("search", "Channel", "-n", "1", "--color", "always", "--format", "json")
    assert "\x1b[" not in json_forced.stdout


def test_no_color_is_honoured_and_an_explicit_flag_wins(monkeypatch):
    import io

    from contest_kb.render import look_for

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    look = look_for(Tty())
    assert look.color and look.rich
    monkeypatch.setenv("NO_COLOR", "1")
    look = look_for(Tty())
    assert not look.color and look.rich  # colour off, terminal layout kept
    assert look_for(Tty(), "always").color  # the flag beats NO_COLOR
    assert not look_for(io.StringIO()).rich and not look_for(io.StringIO()).color
    piped = look_for(io.StringIO(), "always")
    assert piped.color and piped.rich


def test_color_always_beats_no_color_in_the_environment(run):
    result = run("search", "Channel", "-n", "1", "--color", "always", env={"NO_COLOR": "1"})
    assert "\x1b[" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_show_prints_section_with_evidence(run, fmt):
    result = run("show", "ctp-what-we-do/how-does-ctp-contribute-to-the-delivery-of/protect", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["strands"] == ["protect"] and data["evidence"][0]["where"] == "heading"
        assert data["paragraphs"][0]["lines"] == [29, 29]
    else:
        assert "protect: cue 'Protect' in heading" in result.stdout
        assert "¶1 (line 29): Providing security planning" in result.stdout


def test_show_unknown_id_suggests(run):
    line = one_line_error(run("show", "ctp-prevent/prevent-scale"), "ctp-prevent/prevent-scale")
    assert "did you mean 'ctp-prevent/prevent-scale-and-outcomes'" in line


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_sections_lists_and_filters(run, fmt):
    result = run("sections", "--strand", "protect", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data and all("protect" in s["strands"] for s in data)
        assert {"id", "source", "heading_path", "strands", "text"} <= set(data[0])
    else:
        rows = [line.split("\t") for line in result.stdout.splitlines()]
        assert rows and all(len(r) == 3 and "protect" in r[1] for r in rows)


def test_sections_all_and_overview(run):
    everything = run.json("sections", "--format", "json")
    assert len(everything) >= 20
    overview = run.json("sections", "--strand", "overview", "--format", "json")
    assert len(overview) == 2 and all(s["strands"] == [] for s in overview)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_sources_lists_metadata_and_counts(run, fmt):
    result = run("sources", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        data = json.loads(result.stdout)
        assert len(data) == 5
        blog = data[0]
        assert blog["url"].startswith("https://homeofficemedia.blog.gov.uk/")
        assert blog["published"] == "2018-06-04" and blog["updated"] == "2020-03-19"
        assert "Open Government Licence" in blog["attribution"]
        assert sum(d["sections"] for d in data) >= 20
        assert set(blog["strands"]) == {"pursue", "prevent", "protect", "prepare"}
    else:
        assert "London Councils" in result.stdout and "prevent" in result.stdout


def test_sources_bar_chart_on_terminal(run):
    result = run("sources", "--color", "always")
    assert "█" in result.stdout


def test_index_rebuilds_with_message_on_stderr(tmp_path):
    from tests.conftest import Run

    run = Run(tmp_path / "idx")
    result = run("index")
    assert result.exit_code == 0 and result.stdout == ""
    assert "indexed" in result.stderr and "sections" in result.stderr
    again = run("search", "Channel")
    assert "building" not in again.stderr


def test_help_has_examples_and_exit_codes(run):
    for args in ([], ["search"]):
        result = run(*args, "--help", index=False)
        assert result.exit_code == 0
        assert "Examples" in result.stdout and "Exit status" in result.stdout


def test_environment_variables_choose_corpus_and_index(run, index_dir):
    from tests.conftest import CORPUS

    result = run("sources", index=False, env={"CONTEST_KB_CORPUS": str(CORPUS), "CONTEST_KB_INDEX": str(index_dir)})
    assert result.exit_code == 0


def test_an_unexpected_error_is_one_line_with_a_hint(run, monkeypatch):
    from contest_kb import search as search_module

    def boom(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(search_module.Searcher, "search_plan", boom)
    line = one_line_error(run("search", "police"), "something broke", "CONTEST_KB_DEBUG=1")
    assert line.startswith("contest-kb: ")
    with pytest.raises(RuntimeError):
        run("search", "police", env={"CONTEST_KB_DEBUG": "1"})


@pytest.mark.parametrize("query", ["police \udcff", "\ud800", "Prev\udce9nt"])
def test_a_query_with_undecodable_bytes_is_one_line(run, query):
    line = one_line_error(run("search", query), "not UTF-8")
    assert ("\\x" in line or "\\u" in line) and "\udcff" not in line


@pytest.mark.parametrize("query", ["police ²", "¹²", "police ٣ ①", "１２ months", "twelve months", "seven thousand referrals"])
def test_digits_of_other_scripts_and_numbers_in_words_are_searched(run, query):
    """str.isdigit says yes to "²", which int() cannot read."""
    result = run("search", query, "--format", "json")
    assert result.exit_code in (0, 1) and "unexpected" not in result.stderr, result.stderr


def test_a_quoted_phrase_finds_the_plural_the_pages_use(run):
    data = run.json("search", '"subject of interest"', "--format", "json")
    assert data["results"] and "subjects of interest" in data["results"][0]["passages"][0]["text"]
    assert data["answered"] is True


def test_the_us_in_capitals_is_the_united_states(run):
    data = run.json("search", "where did the government say it would go in the US", "--format", "json")
    assert "United States" in data["results"][0]["passages"][0]["text"]


def test_a_query_with_control_characters_is_searched_without_them(run):
    result = run("search", "Channel\x1b[31m\x07", "--format", "json")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr


@pytest.mark.parametrize("query", ["what is the", "the of and"])
def test_a_query_of_common_words_is_an_error(run, query):
    one_line_error(run("search", query), "only common words")


@pytest.mark.parametrize("query", ["👍", "🤔 ** ??"])
def test_a_query_of_symbols_is_an_error_that_says_so(run, query):
    one_line_error(run("search", query), "has no words to search for (only symbols or punctuation)")


def test_site_keeps_to_the_pages_at_that_address(run):
    """"site:gov.uk" searched the words "site", "gov" and "uk" (and cited
    "gov.uk/ACT"); it now keeps to the pages there, subdomains included."""
    urls = json.loads(run("search", "site:gov.uk prevent referrals", "--format", "json", "-n", "50").stdout)
    hosts = {r["source"]["url"].split("/")[2] for r in urls["results"]}
    assert hosts and all(h == "gov.uk" or h.endswith(".gov.uk") for h in hosts) and "www.londoncouncils.gov.uk" in hosts
    police = json.loads(run("search", "site:https://www.counterterrorism.police.uk/ channel", "--format", "json").stdout)
    assert police["results"] and all("counterterrorism.police.uk" in r["source"]["url"] for r in police["results"])
    # A path keeps to that part of the site; words in quotes are words.
    news = json.loads(run("search", "site:gov.uk/government/news strategy", "--format", "json").stdout)
    assert {r["source"]["url"] for r in news["results"]} == {
        "https://www.gov.uk/government/news/securing-the-future-counter-terrorism-strategy-published"}
    # Several sites are any of them.
    both = json.loads(run("search", "site:gov.uk site:police.uk prevent", "--format", "json", "-n", "50").stdout)
    assert {r["source"]["url"].split("/")[2].endswith("police.uk") for r in both["results"]} == {True, False}
    one_line_error(run("search", "site:example.org prevent"), "no source is on the site 'example.org'")
    # In brackets it is the same filter (a bracket is no part of an address).
    bracketed = json.loads(run("search", "(site:gov.uk OR prevent) referrals", "--format", "json", "-n", "50").stdout)
    assert bracketed["results"] and {r["source"]["url"].split("/")[2] for r in bracketed["results"]} <= hosts
    # A mark closing the sentence or a quotation is no part of it either.
    for closed in ("'prevent referrals site:gov.uk'", "prevent referrals, site:gov.uk.", "prevent referrals (site:gov.uk)?"):
        found = json.loads(run("search", closed, "--format", "json", "-n", "50").stdout)
        assert found["results"] and {r["source"]["url"].split("/")[2] for r in found["results"]} <= hosts, closed


def test_an_unknown_strand_inside_the_query_is_an_error(run):
    one_line_error(run("search", "police strand:nope"), "unknown strand 'nope'")


def test_errors_are_prefixed_and_capped(run):
    line = one_line_error(run("search", "x" * 32000 + " strand:nope"))
    assert line.startswith("contest-kb: ") and len(line) < 1000
