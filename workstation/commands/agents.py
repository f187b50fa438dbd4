"""`workstation agents`: the team, their roles, languages and capacity (admins change it).

The person acting is `--agent NAME`, else `$WORKSTATION_AGENT`, else the system login. On a
store with no agent yet, that person is registered as its admin first. Exit status: 0 done,
1 refused (not an admin), 2 a usage error (bad login, role or language; unknown agent).
"""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK, UsageError, identity, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `agents` and its actions to the command line."""
    p = sub.add_parser("agents", help="list the team; add agents, change roles, disable")
    p.set_defaults(func=list_agents, json=False)
    actions = p.add_subparsers(title="actions", metavar="ACTION")

    listing = actions.add_parser("list", help="list the team")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=list_agents)

    add = actions.add_parser("add", help="add an agent (admins only)")
    add.add_argument("name", metavar="NAME", help="their login (the SSH user by default)")
    add.add_argument("--role", required=True, choices=("agent", "senior", "supervisor", "admin"))
    add.add_argument("--lang", default="en", metavar="LL,LL",
                     help="languages they answer in, e.g. fr,en (default: en)")
    add.add_argument("--capacity", type=int, default=20, metavar="N",
                     help="open conversations the router may give them (default: 20)")
    add.set_defaults(func=add_agent)

    role = actions.add_parser("set-role", help="change an agent's role (admins only)")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=("agent", "senior", "supervisor", "admin"))
    role.set_defaults(func=set_role)

    for verb, text in (("disable", "stop an agent from acting (admins only)"),
                       ("enable", "let a disabled agent act again (admins only)")):
        change = actions.add_parser(verb, help=text)
        change.add_argument("name", metavar="NAME")
        change.set_defaults(func=disable, enable=verb == "enable")


def _service_errors() -> tuple[type[Exception], ...]:
    from workstation.services.agents import AgentError
    from workstation.services.reply_context import NotFound

    return AgentError, NotFound


def list_agents(args: argparse.Namespace) -> int:
    """Print the team."""
    from workstation.services.agents import list_team
    from workstation.text import inert

    for agent in list_team(store(args)):
        if args.json:
            print(json.dumps(agent.to_json(), ensure_ascii=False))
            continue
        state = "" if agent.active else "  (disabled)"
        print(inert(f"{agent.name:<20} {agent.role:<10} {','.join(agent.languages):<8} "
                    f"{agent.open_assigned:>3}/{agent.capacity:<3}{state}", limit=200))
    return EXIT_OK


def add_agent(args: argparse.Namespace) -> int:
    """Add one agent."""
    from workstation.services import agents

    engine = store(args)
    try:
        actor = identity(args, engine)
        added = agents.add(engine, args.name, role=args.role, languages=args.lang,
                           capacity=args.capacity, actor=actor)
    except _service_errors() as exc:
        raise UsageError(str(exc)) from None
    print(f"added {added.name} ({added.role}, {','.join(added.languages)}, "
          f"capacity {added.capacity})")
    return EXIT_OK


def set_role(args: argparse.Namespace) -> int:
    """Change one agent's role."""
    from workstation.services import agents

    engine = store(args)
    try:
        changed = agents.set_role(engine, args.name, args.role, actor=identity(args, engine))
    except _service_errors() as exc:
        raise UsageError(str(exc)) from None
    print(f"{args.name} is {args.role}" + ("" if changed else " already"))
    return EXIT_OK


def disable(args: argparse.Namespace) -> int:
    """Disable or enable one agent."""
    from workstation.services import agents

    engine = store(args)
    try:
        changed = agents.disable(engine, args.name, actor=identity(args, engine),
                                 enable=args.enable)
    except _service_errors() as exc:
        raise UsageError(str(exc)) from None
    state = "enabled" if args.enable else "disabled"
    print(f"{args.name} is {state}" + ("" if changed else " already"))
    return EXIT_OK
