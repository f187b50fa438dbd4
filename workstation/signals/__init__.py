"""Signals computed on a message's text: language, sentiment, intents and moderation."""
