"""The queue (start screen): being written by the queue engineer."""

from textual.screen import Screen


class QueueScreen(Screen[None]):
    pass
