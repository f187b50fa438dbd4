"""Hostile customer text (markup, format strings, template syntax) is never interpreted."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine

from tests.core.leads.conftest import Chat
from workstation.clock import FrozenClock

HOSTILE_NAME = "{agent} [b]Léa[/b] ${x} {0.__class__}"


def test_a_hostile_name_and_answers_stay_literal(engine: Engine, clock: FrozenClock) -> None:
    chat = Chat(engine, clock, name=HOSTILE_NAME)
    chat.comment("How much is the Moulin M2? I'd like to order one",
                 campaign="x&lead=1 {0.__class__} ${y}")
    assert "{agent}" in chat.bot()[0]  # the first word of the name, as written
    chat.send("{0.__class__.__mro__} [@click=app.quit]x[/] ${7*7} %(x)s")
    state = chat.state()
    assert state["off_script"] == 1 and "retry" in chat.outbox()[-1]["template_id"]
    chat.send("for home {{link}}")
    chat.send("${date} next week")
    chat.send("3 [b]bags[/b]")
    chat.send("{email} lea@example.com <script>")
    lead = chat.lead()
    assert lead["answers"]["contact"] == {"email": "lea@example.com"}
    closing = chat.bot()[-1]
    (link,) = re.findall(r"https://\S+", closing)
    query = parse_qs(urlsplit(link).query)
    assert query["campaign"] == ["x&lead=1 {0.__class__} ${y}"] and len(query["lead"]) == 1
    assert "<class" not in " ".join(chat.bot()) and "49" not in " ".join(chat.bot())
    assert "{email}" not in closing and "‹" not in closing
