"""One module per command group; each exposes `register(subparsers)`.

A new command is a new module here plus its name in `cli.COMMANDS`.
"""
