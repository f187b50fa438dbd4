"""Emoji and text emoticons with a valence on VADER's scale.

English uses them too: VADER reads "🔥" as "fire", a negative word, where an inbox means praise.
"""

from __future__ import annotations

import re

# Emoji valences (VADER's scale); English uses them too, as VADER reads "🔥" as "fire".
_EMOJI_SPEC = """
😍=3.0 🥰=3.0 😘=2.2 ❤=2.8 💕=2.5 💖=2.5 💗=2.5 💙=2.2 💚=2.2 💜=2.2 🧡=2.2
💛=2.2 🤍=2.0 😊=2.2 ☺=2.0 🙂=1.2 😀=2.0 😃=2.2 😄=2.2 😁=2.2 😆=1.8 😂=1.2
🤣=1.2 😅=0.6 😎=1.8 🤩=3.0 🥳=2.8 🎉=2.4 👍=2.0 👌=2.0 👏=2.0 🙌=2.2 🔥=2.0
✨=1.2 💯=2.0 🏆=2.0 🥇=2.0 😋=2.4 🤤=1.8 🥹=2.2 😇=1.8 🙏=1.2 💪=1.6 ⭐=1.5
🌟=1.8 ☀=1.0 😉=1.0 😜=1.2 😏=0.2 🤗=2.0 😌=1.2 🫶=2.6 💝=2.4 🎁=0.6 🍾=1.8
🥂=1.8 😢=-2.2 😭=-1.0 😞=-2.2 😔=-2.0 😟=-1.8 🙁=-1.8 ☹=-2.2 😕=-1.6
😒=-1.8 😩=-2.2 😫=-2.2 😤=-2.4 😠=-2.8 😡=-3.0 🤬=-3.2 👎=-2.2 💩=-2.4
🤮=-3.0 🤢=-2.6 😱=-1.8 😨=-2.0 😰=-2.0 😖=-2.0 😣=-1.8 😓=-1.5 🙄=-1.8
🤦=-1.8 😑=-1.0 😐=-0.6 🙃=-0.8 💔=-2.6 ⚠=-1.0 ❌=-1.5 😬=-1.0 🥵=-0.5
🤡=-2.0 😪=-1.2 😴=-0.5 🥲=-0.5 😥=-1.8 😿=-2.0
"""
# Text emoticons, as the French tokenizer matches them (lower-cased).
_EMOTICON_SPEC = """
:)=2.0 :-)=2.0 :d=2.2 :-d=2.2 ;)=1.2 ;-)=1.2 <3=2.8 ^^=1.6 :p=1.2 xd=1.6 :(=-2.2 :-(=-2.2
:'(=-2.4 :/=-1.2 :-/=-1.2 :@=-2.5 -_-=-1.2
"""


def _valences(spec: str) -> dict[str, float]:
    """Read a "key=valence ..." table."""
    return {key: float(value) for key, _, value in (i.rpartition("=") for i in spec.split())}


_EMOJI = _valences(_EMOJI_SPEC)
_EMOTICONS = _valences(_EMOTICON_SPEC)
_EMOJI_CHARS = frozenset(_EMOJI)
_EMOJI_BLANKS = {ord(char): " " for char in _EMOJI}
# A text without a character from the first of them on holds none (a quick test in C).
_EMOJI_HINT = re.compile(f"[{re.escape(min(_EMOJI_CHARS))}-\U0010ffff]")


def _emoji_total(text: str, present: set[str] | frozenset[str] | None = None) -> float:
    total = 0.0
    for char in _EMOJI_CHARS.intersection(text) if present is None else present:
        total += _EMOJI[char] * min(text.count(char), 3)
    return total
