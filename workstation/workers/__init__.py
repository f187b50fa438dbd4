"""Background workers: one leader per store syncs the platforms and sends the outbox.

`workstation sync` runs them in the foreground; the TUI starts them in a thread with
`start_in_process(engine)`, where they stand by while another process leads. Modules:
`lease` (leadership), `runner` (leader/standby loop), `scheduler` (APScheduler timetable),
`jobs` (the job list), and one module per job: `syncer`, `sender`, `sweeper`, `reminders`,
`snapshots`.
"""

import logging

from .jobs import JOBS, Context, Job
from .runner import Workers, configured_connectors, start_in_process

# The TUI owns the terminal: without a handler of the program's own, notes go nowhere
# rather than to Python's last-resort handler on stderr.
logging.getLogger("workstation.workers").addHandler(logging.NullHandler())

__all__ = ["JOBS", "Context", "Job", "Workers", "configured_connectors", "start_in_process"]
