"""A local stand-in for Meta's Graph API and X API v2: live traffic, faults, inspection.

`workstation sandbox` runs it; tests start `SandboxServer(port=0)` in-process.
"""

from .faults import FaultSpec, FaultSpecError
from .server import SandboxServer

__all__ = ["FaultSpec", "FaultSpecError", "SandboxServer"]
