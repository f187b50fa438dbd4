"""Platform text in the queue is inert: no markup, no links, no escapes, no bidi tricks."""

from __future__ import annotations

from sqlalchemy import Engine

from screens.app import WorkstationApp
from tests.ui.queue_app import all_open, make_app, queue_of, screen_text, seed, settle


async def test_hostile_names_and_messages_show_as_themselves(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(200, 30)) as pilot:
        _, queue = await all_open(pilot, app)
        text = screen_text(queue)
        assert "[@click=app.quit]x[/]" in text
        assert "[link=file:///etc/passwd]prize[/link]" in text
        assert "unbalanced [b" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "\u202e" not in text and "\ufffdevil\ufffd name" in text
        assert "\ufffd[2J\ufffd]0;pwned\ufffdclear" in text
        for y in range(queue.size.height):         # nothing carries a link or an action
            for segment in queue.render_line(y):
                style = segment.style
                assert style is None or (not style.link and not style.meta), segment
        row = next(y for y, line in enumerate(text.splitlines()) if "@click" in line)
        await pilot.click(queue, offset=(60, row))
        await pilot.click(queue, offset=(60, row), times=2)
        await pilot.pause()
        assert app.is_running


async def test_a_hostile_view_title_from_the_config_is_inert(sqlite_engine: Engine,
                                                             private_home) -> None:
    path = private_home / "config" / "workstation" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[views.evil]\ntitle = "[@click=app.quit]\\u001b[31mX[/]"\n'
                    'match = "any"\ntags = ["vip"]\n', encoding="utf-8")
    seed(sqlite_engine)
    app = WorkstationApp(sqlite_engine, agent="julie", clock=make_app(sqlite_engine).clock)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.press("shift+tab")         # the tenth view: the last one
        await settle(pilot)
        screen, _ = queue_of(app)
        tabs = screen.query_one("ViewTabs")
        line = tabs.render_line(0).text
        assert "[@click=app.quit]\ufffd[31mX[/]" in line
        status = str(screen.query_one("QueueStatus").render())
        assert status.startswith("[@click=app.quit]\ufffd[31mX[/]")
        await pilot.click(tabs, offset=(len(line.rstrip()) - 5, 0))
        await pilot.pause()
        assert app.is_running


async def test_a_broken_config_is_reported_and_the_shipped_views_used(
        sqlite_engine: Engine, private_home) -> None:
    path = private_home / "config" / "workstation" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[views.mine]\nsort = "[b]random"\n', encoding="utf-8")
    seed(sqlite_engine)
    app = WorkstationApp(sqlite_engine, agent="julie", clock=make_app(sqlite_engine).clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert [v.key for v in app.views][0] == "mine" and len(app.views) == 9
        assert any("views.mine: sort" in n.message for n in app._notifications)
