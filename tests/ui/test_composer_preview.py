"""The composer's preview line by line: where the reply goes, and what stops it."""

from __future__ import annotations

from screens.widgets.composer_preview import render
from workstation.services.composer import Preview
from workstation.services.replies import Draft, Sender

BOT = Sender("bot", name="bot")


def test_a_dm_redirected_to_the_dm_thread_says_where_it_goes() -> None:
    note = "goes to the customer's DM thread #7: Instagram accepts one private reply per comment"
    draft = Draft(3, "Here is the form.", "dm", "en", BOT, asked_in=3, note=note)
    shown = render(Preview(draft, length=17, limit=1000)).plain.splitlines()
    assert shown[2] == f"→ {note}"
    assert shown[3].startswith("✓ ready")


def test_a_reply_that_stays_in_its_thread_has_no_arrow_and_a_note_is_inert() -> None:
    draft = Draft(3, "Thanks!", "public", "en", BOT)
    assert not any(line.startswith("→") for line in render(Preview(draft)).plain.splitlines())
    hostile = Draft(3, "x", "dm", "en", BOT, note="[@click=app.quit]#9[/] \x1b]52;c;eA==\x07")
    line = render(Preview(hostile)).plain.splitlines()[2]
    assert "[@click=app.quit]#9[/]" in line and "\x1b" not in line
