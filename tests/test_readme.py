"""The README is a newcomer's first page: two set-up commands, and links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_set_up_commands_one_serves_one_tests() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    assert [command for command in commands if command] == ["make run", "make test"]


def test_every_linked_file_exists() -> None:
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    local = [target for target in targets if "://" not in target]
    assert local and [target for target in local if not (ROOT / target).exists()] == []


def test_it_points_at_the_inbox_open311_and_staff_accounts() -> None:
    for shown in ("/inbox/", "/open311/v2/discovery.json", "ventanilla staff add", "docs/inbox.md"):
        assert shown in README
