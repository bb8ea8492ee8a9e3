"""The guide works as written: every command in README.md, docs/ and deploy/ is run on the sample data.

Each page is followed in a world of its own, a temporary folder laid out as the guide lays out a
council's machine: ``/data/lac/config`` (the sample's council.toml), ``/data/lac/extracts/2020-11-02``
(the sample extract, taken that day) and the clone at ``/opt/lac-report``, where the commands run.
The paths are moved into the temporary folder on the way in and back on the way out, and the day is
3 November 2020, the day of the guide's scheduled run (``.venv/bin/lac-report`` there is the real
program with its day pinned, and ``date`` says so too).

- A fenced ``sh`` block is run line by line (``\\`` continues a line); every command must succeed,
  unless the output shown after it says ``failed (exit N)``, and then one must exit N (or print
  ``exit status N``, for a line that ends ``; echo "exit status $?"``).
- A plain fenced block after a ``sh`` block is what it prints, checked line by line: a line ``...``
  stands for any lines, and a duration ``(1.7 s)`` for any duration.
- A ``json`` block is an excerpt of the file named in the comment before it, ``<!-- excerpt of PATH -->``.
- A ``toml`` block is read as the file it shows (``mapping.toml``, ``council.toml`` or ``extract.toml``),
  a ``crontab`` block must be lines of ``deploy/crontab.example``.
- A line with ``[`` or a placeholder (``DIR``, ``FILE``) is a synopsis: each option it names must
  be one the command has.
- A ``make`` target in the text is run in the repository (``make report`` writing to the clone's
  ``out/``) or is listed in ``NOT_RUN`` with the reason; so is every command that cannot be run.
- The cron and systemd examples in ``deploy/`` are run with their settings, as cron and systemd would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.read.config import CouncilConfig, Mapping
from pipeline.read.extract_date import ExtractToml
from pipeline.sample import generate

REPOSITORY = Path(__file__).resolve().parents[2]
PAGES = sorted(
    p.relative_to(REPOSITORY).as_posix()
    for p in [REPOSITORY / "README.md", *(REPOSITORY / "docs").glob("*.md"), REPOSITORY / "deploy" / "README.md"]
)
RUN_DAY = "2020-11-03"
# Pages with nothing to follow, and what checks them instead: the rest must each have a block to run or check.
GENERATED = {
    "docs/measures.md": "generated from the measures' code: tests/unit/test_definitions.py checks it is current",
    "docs/validation-rules.md": "generated from the rule catalogue: tests/unit/test_catalogue.py checks it is current",
}
FOLLOWED = [page for page in PAGES if page not in GENERATED]

# Commands the test cannot run, and why (each must still be in the guide: the list cannot go stale).
NOT_RUN = {
    "git clone": "fetches the repository over the network; the test runs in this clone",
    "git pull": "fetches over the network",
    "cd lac-report": "the commands run in the clone's folder already",
    "crontab -e": "edits the account's real crontab; the lines of deploy/crontab.example are run instead",
    "sudo cp deploy/": "installs units in /etc/systemd/system (root, systemd); the unit's settings are run instead",
    "sudoedit": "edits a file in /etc as root",
    "sudo systemctl": "starts real systemd units as root",
    "systemctl list-timers": "asks the machine's systemd",
    "journalctl": "reads the machine's journal",
    "make test": "is the suite this test is part of",
    "make lint": "runs in make test, before the tests",
    "make bench": "takes minutes at national scale: run by hand (benchmarks/README.md)",
    "make clean": "removes the .venv/ the tests run in",
    "make a11y": "installs Debian's chromium (apt-get) and npm packages: run by hand before a change to templates/",
    "A11Y_SCREENSHOTS=": "make a11y, with screenshots",
    "make sample": "rewrites samples/: test_make_sample_writes_the_committed_sample regenerates it elsewhere instead",
}
# Run without sudo: they make and lock the test's own folders.
WITHOUT_SUDO = ("sudo mkdir ", "sudo chmod ")
# What a page takes as already done, and why: run before the page is followed.
RUN = ".venv/bin/lac-report run --extracts /data/lac/extracts/2020-11-02 --config /data/lac/config"
RUN += " --out /data/lac/reports"
SETUP = {
    "docs/monthly-routine.md": [f"{RUN} --as-at 2020-09-30"],  # last month's scheduled run, compared with
    "docs/publishing.md": [RUN],  # the internal edition, made by the scheduled job, compared with
}
README_EXAMPLE = (
    "episodes.csv:20: DEC: the episode ends (16/04/1994) before it starts (21/11/1995) [EPISODE_DEC_BEFORE_DECOM]"
)
ERRORS_FOLDED = (
    "episodes.csv:201: REC: the episode has an end date (DEC) but no reason ceased (REC) [EPISODE_DEC_REC_PAIR]"
)
ERRORS_NOTE = (
    "lac-report: 40 children were not checked by EPISODE_OVERLAP, EPISODE_X1_BROKEN, ..., as a cell of their rows"
    " failed to read (episodes.csv: DEC on 42 rows): fix those cells and run again to check them"
)
XML_EXAMPLE = "return_2019.xml:1: DEC: CHILD 2, EPISODE 1: '31/02/2019' is not a real date [CELL_DATE]"
# Fenced blocks that are neither a command nor its output, by page and first line, and why.
NOT_OUTPUT = {
    ("docs/architecture.md", "__main__.py         the program: Ctrl-C and SIGTERM handled before the libraries load"): (
        "a diagram of the stages"
    ),
    ("docs/installing.md", "/data/lac/"): "the folders to make, made by the sh block after it",
    ("README.md", README_EXAMPLE): "examples of the message format: each line must be in docs/errors.md's output",
    ("docs/errors.md", ERRORS_FOLDED): "a large extract's problems folded, which the sample cannot show: test_terminal",
    ("docs/errors.md", ERRORS_NOTE): "a messy extract's note, which the sample cannot show: test_truthful_messages",
    ("docs/starting-from-903-returns.md", XML_EXAMPLE): "an XML return's message, which the sample's clean returns"
    " cannot show: tests/unit/test_returns_xml.py makes it",
}


KINDS = {"sh": "sh", "": "output", "text": "output", "json": "json", "toml": "toml", "crontab": "crontab"}


@dataclass
class Block:
    page: str
    kind: str  # sh, output, json, toml
    text: str
    line: int
    note: str = ""  # the HTML comment just before the block
    output: Block | None = None  # for sh: the output block after it


@dataclass
class World:
    root: Path
    clone: Path
    env: dict[str, str] = field(default_factory=dict)

    def inward(self, text: str) -> str:
        return text.replace("/opt/lac-report", str(self.clone)).replace("/data/lac", f"{self.root}/data/lac")

    def outward(self, text: str) -> str:
        return (
            text.replace(f"{self.clone}/", "").replace(str(self.clone), "/opt/lac-report").replace(str(self.root), "")
        )


def blocks(page: str) -> list[Block]:
    """The fenced blocks of a page, each output block tied to the ``sh`` block before it."""
    text = (REPOSITORY / page).read_text(encoding="utf-8")
    found: list[Block] = []
    fence = re.compile(r"^( *)```(\w*)\n(.*?)^\1```\s*$", re.M | re.S)
    for match in fence.finditer(text):
        indent, language, body = match[1], match[2], match[3]
        body = "\n".join(line[len(indent) :] for line in body.splitlines())
        before = text[: match.start()].rstrip().splitlines()
        note = re.fullmatch(r"<!--\s*(.*?)\s*-->", before[-1].strip()) if before else None
        kind = KINDS[language]
        block = Block(page, kind, body, text[: match.start()].count("\n") + 1, note[1] if note else "")
        previous = found[-1] if found else None
        listed = (page, body.splitlines()[0].strip() if body else "") in NOT_OUTPUT
        if kind == "output" and not listed and previous and previous.kind == "sh" and previous.output is None:
            previous.output = block
        found.append(block)
    return found


def commands(block: Block) -> list[str]:
    """The commands of a ``sh`` block: continuation lines joined, comments and blank lines left out."""
    joined = re.sub(r"\\\n\s*", " ", block.text)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def not_run(command: str) -> str:
    return next((reason for start, reason in NOT_RUN.items() if command.startswith(start)), "")


def synopsis(command: str) -> bool:
    """A line of the usage synopsis: options in brackets, or placeholders (DIR, FILE, OUT/<as-at>)."""
    return "[" in command or bool(re.search(r"\b(DIR|FILE|DATE|FOLDER)\b|<", command))


def make_world(tmp_path: Path) -> World:
    world = World(tmp_path, tmp_path / "opt" / "lac-report")
    lac = tmp_path / "data" / "lac"
    shutil.copytree(REPOSITORY / "samples" / "config", lac / "config")
    extract = lac / "extracts" / "2020-11-02"
    extract.mkdir(parents=True)
    for source in (REPOSITORY / "samples").glob("*.*"):
        if source.suffix in (".csv", ".toml"):
            shutil.copy(source, extract / source.name)
    for folder in ("config", "samples", "deploy"):
        shutil.copytree(REPOSITORY / folder, world.clone / folder)
    program = world.clone / ".venv" / "bin" / "lac-report"
    program.parent.mkdir(parents=True)
    program.write_text(
        f"#!{sys.executable}\n# lac-report on {RUN_DAY}, the day of the guide's scheduled run.\n"
        "import datetime, sys\nimport pipeline.cli\n"
        f"pipeline.cli.options.today = lambda: datetime.date.fromisoformat({RUN_DAY!r})\n"
        "sys.argv[0] = 'lac-report'\nfrom pipeline.__main__ import main\nmain()\n"
    )
    program.chmod(0o755)
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "date").write_text(
        f'#!/bin/sh\ncase "$1" in +%Y-%m-%d) echo {RUN_DAY};; *) echo "{RUN_DAY} 07:30:00";; esac\n'
    )
    (tools / "date").chmod(0o755)
    world.env = {"PATH": f"{tools}:{os.environ['PATH']}", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    return world


def run(world: World, command: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """One command as the guide gives it, in the clone's folder; its exit status and output, paths moved back."""
    command = world.inward(command)
    if command.startswith(WITHOUT_SUDO):
        command = command.removeprefix("sudo ")
    if command.startswith("make "):
        command = f"make --no-print-directory -C {REPOSITORY} {command.removeprefix('make ')} OUT={world.clone}/out"
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=world.clone,
        env={**world.env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order written, as a terminal or a log file shows it
        text=True,
        check=False,
        timeout=600,
    )
    return result.returncode, world.outward(result.stdout)


def normalised(line: str) -> str:
    return re.sub(r"\(\d+\.\d s\)", "(N s)", line.rstrip())


def matches(shown: list[str], real: list[str]) -> bool:
    """``shown`` is ``real``, a line ``...`` standing for any lines (none included)."""
    if not shown:
        return not real
    if shown[0].strip() == "...":
        return any(matches(shown[1:], real[i:]) for i in range(len(real) + 1))
    return bool(real) and normalised(shown[0]) == normalised(real[0]) and matches(shown[1:], real[1:])


def check_excerpt(world: World, block: Block) -> None:
    found = re.fullmatch(r"excerpt of (\S+)", block.note)
    assert found, f"{block.page}:{block.line}: a json block needs <!-- excerpt of PATH --> before it"
    real = (world.clone / world.inward(found[1])).read_text().splitlines()
    shown = block.text.splitlines()
    starts = [i for i, line in enumerate(real) if line == shown[0]]
    assert any(matches([*shown, "..."], real[i:]) for i in starts), f"{block.page}:{block.line}"


def check_toml(block: Block) -> None:
    import tomllib

    data = tomllib.loads(block.text)
    if "taken" in data:
        ExtractToml.model_validate(data)
    elif "council" in data:
        CouncilConfig.model_validate(data)
    else:
        Mapping.model_validate(data)


def check_synopsis(world: World, command: str) -> None:
    words = command.split()
    program, rest = words[0], [w for w in words[1:] if not w.startswith("[")]
    code, help_text = run(world, f"{program} {rest[0]} --help")
    assert code == 0, help_text
    for option in re.findall(r"--[a-z-]+", command):
        assert option in help_text, f"{command}: {option} is not an option of {rest[0]}"


def follow(page: str, world: World) -> list[str]:
    """Run the page's commands in order and check what they print; the commands run, for the record.
    A page with no block to run or check is a case that would assert nothing: it fails."""
    ran: list[str] = []
    for command in SETUP.get(page, []):
        code, output = run(world, command)
        assert code == 0, output
    found = blocks(page)
    assert found, f"{page}: nothing to follow (no fenced block): list it in GENERATED with what checks it instead"
    for block in found:
        if block.kind == "toml":
            check_toml(block)
        elif block.kind == "crontab":
            example = (REPOSITORY / "deploy" / "crontab.example").read_text().splitlines()
            assert [line for line in block.text.splitlines() if line not in example] == [], f"{page}:{block.line}"
        elif block.kind == "json":
            check_excerpt(world, block)
        elif block.kind == "output" and not any(block is b.output for b in found):
            first = block.text.splitlines()[0].strip()
            assert (page, first) in NOT_OUTPUT, f"{page}:{block.line}: output shown after no command"
        elif block.kind == "sh":
            outputs, statuses = [], []
            for command in commands(block):
                if not_run(command):
                    continue
                if synopsis(command):
                    check_synopsis(world, command)
                    continue
                code, output = run(world, command)
                ran.append(command)
                statuses.append(code)
                outputs += output.splitlines()
            shown = block.output.text.splitlines() if block.output else []
            expected = {int(n) for line in shown for n in re.findall(r"failed \(exit (\d+)\)", line)}
            # A command line may say its status itself ("; echo exit status $?"): that is its status.
            said = {int(n) for line in outputs for n in re.findall(r"^exit status (\d+)$", line)}
            assert set(statuses) - {0} <= expected, f"{page}:{block.line}: exit {statuses}\n" + "\n".join(outputs)
            assert expected <= set(statuses) | said, f"{page}:{block.line}: exit {statuses}, said {said}"
            if block.output:
                assert matches(shown, outputs), f"{page}:{block.output.line}: real output:\n" + "\n".join(outputs)
    return ran


@pytest.mark.parametrize("page", FOLLOWED)
def test_every_command_of_the_page_runs_and_prints_what_it_shows(page: str, tmp_path: Path) -> None:
    follow(page, make_world(tmp_path))


def test_a_page_with_nothing_to_follow_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "blocks", lambda page: [])
    with pytest.raises(AssertionError, match="docs/measures.md: nothing to follow"):
        follow("docs/measures.md", World(tmp_path, tmp_path))  # it stops before the world is used


@pytest.mark.parametrize("page", sorted(GENERATED))
def test_a_page_left_unfollowed_is_generated_and_has_nothing_to_follow(page: str) -> None:
    text = (REPOSITORY / page).read_text(encoding="utf-8")
    assert page in PAGES and blocks(page) == []
    assert re.search(r"<!-- Generated (from|by) .*`python -m pipeline\.[a-z.]+`", text), page


def inline_make_targets(page: str) -> set[str]:
    text = re.sub(r"```.*?```", "", (REPOSITORY / page).read_text(encoding="utf-8"), flags=re.S)
    return set(re.findall(r"`make ([a-z0-9]+)`", text))


def test_every_make_target_the_guide_names_is_run_or_listed(tmp_path: Path) -> None:
    targets = set(re.findall(r"^([a-z0-9]+):", (REPOSITORY / "Makefile").read_text(), re.M))
    named = set().union(*(inline_make_targets(page) for page in PAGES))
    assert named <= targets, named - targets
    world = make_world(tmp_path)
    for target in sorted(named):
        if not_run(f"make {target}"):
            continue
        code, output = run(world, f"make {target}")
        assert code == 0, output
    assert (world.clone / "out" / "2020-10-31" / "report.pdf").is_file()  # make report


def every_command() -> list[str]:
    fenced = [c for page in PAGES for b in blocks(page) if b.kind == "sh" for c in commands(b)]
    return fenced + [f"make {t}" for page in PAGES for t in inline_make_targets(page)]


def test_every_command_the_test_does_not_run_is_in_the_guide() -> None:
    listed = every_command()
    assert [start for start in NOT_RUN if not any(c.startswith(start) for c in listed)] == []


def test_the_readme_s_example_messages_are_real_ones() -> None:
    example = next(b for b in blocks("README.md") if b.kind == "output" and "[EPISODE_" in b.text)
    errors = next(b.output for b in blocks("docs/errors.md") if b.kind == "sh" and b.output)
    assert errors is not None
    assert set(example.text.splitlines()) <= set(errors.text.splitlines())


def crontab_jobs() -> tuple[dict[str, str], list[str]]:
    """deploy/crontab.example: its settings, and the command of each job line (the commented one too)."""
    settings, jobs = {}, []
    for line in (REPOSITORY / "deploy" / "crontab.example").read_text().splitlines():
        if found := re.fullmatch(r"([A-Z_]+)=(\S+)", line):
            settings[found[1]] = found[2]
        elif found := re.fullmatch(r"#?\s*\d+\s+\d+\s+\d+\s+\*\s+\*\s+(/.+)", line):
            jobs.append(found[1])
    return settings, jobs


def test_the_crontab_example_runs_as_cron_would(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    settings, jobs = crontab_jobs()
    assert len(jobs) == 2  # the internal edition, then the public one
    env = {name: world.inward(value) for name, value in settings.items() if name != "MAILTO"}
    outputs = []
    for job in jobs:
        code, output = run(world, job, env)
        assert code == 0, output
        outputs.append(output.splitlines())
    assert outputs == [
        ["lac-report: done: /data/lac/reports/2020-10-31 (339 children looked after on 2020-10-31, 3 warnings)"],
        ["lac-report: done: /data/lac/reports/2020-10-31-public (339 children looked after on 2020-10-31, 3 warnings)"],
    ]


def test_the_systemd_service_runs_with_its_settings(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    unit = (REPOSITORY / "deploy" / "lac-report-monthly.service").read_text()
    env = {k: world.inward(v) for k, v in re.findall(r"^Environment=([A-Z_]+)=(\S+)$", unit, re.M)}
    [command] = re.findall(r"^ExecStart=(\S+)$", unit, re.M)
    assert re.search(r"^UMask=0027$", unit, re.M)
    code, output = run(world, f"umask 0027; {command}", env)
    assert code == 0, output
    assert (
        output
        == "lac-report: done: /data/lac/reports/2020-10-31 (339 children looked after on 2020-10-31, 3 warnings)\n"
    )
    report = world.root / "data" / "lac" / "reports" / "2020-10-31"
    assert f"{report.stat().st_mode & 0o777:o}" == "750"  # the group may read the reports


def test_make_sample_writes_the_committed_sample(tmp_path: Path) -> None:
    """What ``make sample`` would write, written elsewhere: the same bytes as samples/ and config/."""
    generate(tmp_path, seed=2020, children=1300)
    committed = REPOSITORY / "samples"
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    for name in written:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
    assert (REPOSITORY / "config" / "council.toml").read_bytes() == (tmp_path / "config" / "council.toml").read_bytes()


def test_no_link_leaves_the_repository() -> None:
    """A clone holds only the repository: a link to ../shared/ (the developers' shared folder) would be broken."""
    leaving = [
        f"{page}: {target}"
        for page in PAGES
        for target in re.findall(r"(?:\]\(|`)(\.\./[^)`]*)", (REPOSITORY / page).read_text(encoding="utf-8"))
        if not (REPOSITORY / page).parent.joinpath(target.split("#")[0]).resolve().is_relative_to(REPOSITORY)
    ]
    assert leaving == []
