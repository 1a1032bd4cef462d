"""The README's tour, run as written against the session server, so that the README stays true.

Convention: a fenced ```sh block right after a `<!-- test -->` comment is run; `<!-- test: expect "a", "b" -->`
also requires that block's output to contain each quoted text (JSON string rules for escapes). Unmarked blocks
(the install/start lines at the top, examples meant to be read) are not run, and a marked block never starts or
installs pocketcloud: such lines are left out. All marked blocks run in order in one bash process, in an empty
directory, so variables set by one block are seen by the next. The default endpoint in the text
(127.0.0.1:4566, localhost:4566) is replaced by the session server's.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from e2e_support import REPO, skip_unless_served

README = REPO / "README.md"
_MARKED_BLOCK = re.compile(r"<!--\s*test(?::\s*expect\s+(?P<expect>.*?))?\s*-->\s*\n```sh\n(?P<body>.*?)\n```", re.S)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_NOT_RUN = re.compile(r"^\s*(pip install|pocketcloud up|\./scripts/test)")
_END = "@@pocketcloud-readme-block-end@@"


@dataclass(frozen=True)
class Block:
    line: int
    body: str
    expect: tuple[str, ...]


def marked_blocks(text: str) -> list[Block]:
    blocks = []
    for m in _MARKED_BLOCK.finditer(text):
        expect = tuple(json.loads(f'"{q}"') for q in _QUOTED.findall(m.group("expect") or ""))
        body = "\n".join(line for line in m.group("body").splitlines() if not _NOT_RUN.match(line))
        blocks.append(Block(text.count("\n", 0, m.start()) + 1, body, expect))
    return blocks


def test_the_readme_keeps_its_first_lines():
    first = README.read_text().splitlines()[:5]
    assert first == [
        "# pocketcloud",
        "",
        "```sh",
        "pip install -e . && pocketcloud up          # install and start: every service on http://127.0.0.1:4566",
        "./scripts/test                              # install what the tests need and run them",
    ]


def test_marked_blocks_are_found_and_the_install_line_is_not_among_them():
    blocks = marked_blocks(README.read_text())
    assert len(blocks) >= 5
    assert all("pocketcloud up" not in b.body and "pip install" not in b.body for b in blocks)
    assert marked_blocks('<!-- test: expect "a \\"b\\"", "c" -->\n```sh\npip install x\necho hi\n```') == [
        Block(1, "echo hi", ("a \"b\"", "c"))
    ]


@skip_unless_served("dynamodb", "lambda", "apigateway", "iam", "logs")
@pytest.mark.timeout(120)
def test_the_tour_runs_as_written_and_prints_what_the_readme_says(script_env, endpoint, tmp_path):
    port = urlsplit(endpoint).port
    script = ["set -eo pipefail"]
    blocks = marked_blocks(README.read_text())
    for block in blocks:
        body = block.body.replace("127.0.0.1:4566", f"127.0.0.1:{port}").replace("localhost:4566", f"localhost:{port}")
        script += [body, f"echo {_END}"]
    proc = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=tmp_path, env=script_env, capture_output=True, text=True,
        timeout=110, stdin=subprocess.DEVNULL,
    )
    outputs = proc.stdout.split(_END + "\n")
    ran = len(outputs) - 1
    failed_at = blocks[ran] if ran < len(blocks) else None
    assert proc.returncode == 0, (
        f"README block at line {failed_at.line if failed_at else '?'} failed ({proc.returncode}):\n"
        f"{failed_at.body if failed_at else ''}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    )
    for block, output in zip(blocks, outputs):
        for text in block.expect:
            assert text in output, f"README block at line {block.line} should print {text!r}; it printed:\n{output}"
