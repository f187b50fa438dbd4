"""The conversation screen: being written by the conversation engineer."""

from textual.screen import Screen


class ConversationScreen(Screen[None]):
    def __init__(self, conversation_id: int, siblings: list[int]) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self.siblings = siblings
