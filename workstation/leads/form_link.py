"""The pre-filled form link: conversation, lead and campaign carried in the query string.

The base address comes from flows.toml (https only, checked at load). The query is built with
`urllib.parse.urlencode`, so a campaign tag or any value taken from a platform is escaped as
data and can neither end the parameter, add another nor change the address; nothing is ever
substituted into a template string.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_VALUE = 100
"""Values are cut to this length: a link must stay short enough for its reply slot."""


def build(base_url: str, *, conversation_id: int, lead_id: int | None = None,
          campaign: str = "", platform: str = "", lang: str = "") -> str:
    """The form's address for one conversation.

    Args:
        base_url: the form, `https://...`, possibly with a query of its own (kept).
        conversation_id: the conversation the lead came from.
        lead_id: the lead, when there is one.
        campaign: the post's campaign tag or the UTM campaign (untrusted).
        platform: where the conversation happens (utm_source).
        lang: the conversation's language, so the form opens in it.

    Raises:
        ValueError: the base address is not https.
    """
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"the form address must be https://, not {base_url!r}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    ours = {"conversation": str(conversation_id), "lead": str(lead_id or ""),
            "campaign": campaign, "lang": lang, "utm_source": platform,
            "utm_medium": "social-dm", "utm_campaign": campaign}
    query = [(k, v) for k, v in query if k not in ours]
    query += [(k, v[:MAX_VALUE]) for k, v in ours.items() if v]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
