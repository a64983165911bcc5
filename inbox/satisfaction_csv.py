"""The closing-the-loop figures as CSV: one row for the whole scope, then by service, by department, by
agent, and the most supported cases; a column left empty does not apply to its row."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from inbox.export import cell
from inbox.i18n import UI
from inbox.satisfaction import Agent, Group, Satisfaction

COLUMNS = (
    "group", "key", "name", "followups_sent", "followups_answered", "response_rate", "fixed_answered",
    "fixed_yes", "fixed_share", "resolved", "reopened", "reopen_rate", "closed", "fixed", "ratings",
    "median_rating", "share_rating_4_5", "ratings_asked", "cases_filed", "supporters", "supporters_per_case",
    "status",
)  # fmt: skip


def number(value: float | None) -> str:
    """A rate or a median as a spreadsheet reads it ("0.6667", "4.5"); empty when nothing to divide."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:.4f}".rstrip("0")


def _group(kind: str, group: Group, name: str) -> dict[str, str]:
    return {
        "group": kind,
        "key": cell(group.key or ""),
        "name": cell(name),
        "followups_sent": str(group.sent),
        "followups_answered": str(group.answered),
        "response_rate": number(group.response_rate),
        "fixed_answered": str(group.fixed_answered),
        "fixed_yes": str(group.fixed_yes),
        "fixed_share": number(group.fixed_share),
        "resolved": str(len(group.resolved_cases)),
        "reopened": str(len(group.reopened_cases)),
        "reopen_rate": number(group.reopen_rate),
        "closed": str(len(group.closed_cases)),
        "fixed": str(len(group.fixed_cases)),
        "ratings": str(len(group.ratings.values)),
        "median_rating": number(group.ratings.median),
        "share_rating_4_5": number(group.ratings.high_share),
    }


def _agent(agent: Agent) -> dict[str, str]:
    return {
        "group": "agent",
        "key": cell(agent.name),
        "name": cell(agent.name),
        "ratings_asked": str(agent.asked),
        "ratings": str(len(agent.ratings.values)),
        "median_rating": number(agent.ratings.median),
        "share_rating_4_5": number(agent.ratings.high_share),
    }


def as_csv(figures: Satisfaction, ui: UI, by_channel: Sequence[tuple[str, int]] = ()) -> str:
    """`by_channel`: every case in the scope by the channel it came in on (the dashboard's table)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the byte-order mark makes Excel read UTF-8 (accents, ñ) right
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    whole = _group("all", figures.total, ui.t("all_scope"))
    conversations = figures.conversations
    whole |= {
        "ratings_asked": str(conversations.asked),
        "cases_filed": str(figures.cases_filed),
        "supporters": str(figures.supporters),
        "supporters_per_case": number(figures.supporters_per_case),
    }
    writer.writerow(whole)
    writer.writerows(_group("service", g, ui.service(g.key or "")) for g in figures.by_service)
    writer.writerows(_group("department", g, ui.department(g.key)) for g in figures.by_department)
    writer.writerow(_agent(conversations) | {"group": "conversations", "key": "", "name": ui.t("all_agents")})
    writer.writerows(_agent(agent) for agent in figures.agents)
    writer.writerows(
        {
            "group": "channel",
            "key": cell(channel),
            "name": cell(ui.channel(channel)),
            "cases_filed": str(count),
        }
        for channel, count in by_channel
    )
    for case in figures.most_supported:
        writer.writerow(
            {
                "group": "case",
                "key": cell(case.code),
                "name": cell(ui.service(case.service)),
                "supporters": str(case.supporters),
                "status": cell(case.status),
            }
        )
    return buffer.getvalue()
