"""Reply templates: one TOML file per template and language, loaded and validated.

A template is written by the team, not by programmers, so loading reports every mistake it
finds at once, each as `FILE:LINE: reason`, and refuses a file that has any: an unknown slot
or a bad brace is caught when the file is checked, never when a customer is waiting. The
format is documented in the README ("Replies and templates") and shown by the shipped files.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation import paths

from . import render, slots
from .render import Part, SlotSyntaxError
from workstation.tomllines import SourceMap, syntax_error_line, syntax_error_reason

CHANNELS = ("public", "dm", "any")
"""public: a reply under the comment or mention; dm: a private message; any: either."""
PART_NAMES = ("greeting", "empathy", "answer", "action", "question", "next_step", "signoff")
"""Parts a template may have; they are joined in the order the file lists them."""
LAYOUTS = ("inline", "lines")
"""inline: parts joined by a space (comments); lines: one part per line (DMs)."""
KEYS = ("id", "lang", "channel", "intents", "title", "triggers", "slots", "layout", "parts")
REQUIRED = ("id", "lang", "channel", "intents", "parts")
MAX_VARIANTS = 20
MAX_TRIGGERS = 50
TRIGGER_CAP = 200
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_LANG = re.compile(r"[a-z]{2}")
_SLUG = re.compile(r"[a-z][a-z0-9_-]{0,31}")


@dataclass(frozen=True, slots=True)
class TemplateError:
    """One problem in one file."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class TemplatesInvalid(Exception):
    """Some template files are invalid; `errors` lists every problem found."""

    def __init__(self, errors: list[TemplateError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:3]))
        self.errors = errors


@dataclass(frozen=True)
class Template:
    """A loaded, valid template in one language."""

    id: str
    lang: str
    channel: str
    intents: tuple[str, ...]
    parts: tuple[Part, ...]
    title: str = ""
    triggers: tuple[str, ...] = ()
    slots: dict[str, str] = field(default_factory=dict)
    """Slots the file declares beyond the standard ones: name to description."""
    layout: str = "inline"
    path: str = ""
    slot_names: tuple[str, ...] = ()
    """Every slot any variant uses, in order of first appearance."""

    def fits(self, channel: str) -> bool:
        """Whether the template may be sent on `channel` (public or dm)."""
        return self.channel in ("any", channel)

    def part(self, name: str) -> Part:
        """The part called `name`.

        Raises:
            KeyError: the template has no such part.
        """
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)


class Registry:
    """Every loaded template, found by id and language."""

    def __init__(self, templates: list[Template], *, default_lang: str = "en") -> None:
        self.default_lang = default_lang
        self._by_key = {(t.id, t.lang): t for t in templates}
        self._ordered = sorted(templates, key=lambda t: (t.id, t.lang))

    def __iter__(self) -> Iterator[Template]:
        return iter(self._ordered)

    def __len__(self) -> int:
        return len(self._ordered)

    def ids(self) -> list[str]:
        """Template ids, sorted, each once."""
        return sorted({t.id for t in self._ordered})

    def languages(self, template_id: str | None = None) -> list[str]:
        """Languages available, for one template or for all."""
        return sorted({t.lang for t in self._ordered if template_id in (None, t.id)})

    def get(self, template_id: str, lang: str) -> Template:
        """The template `template_id` in `lang`.

        Raises:
            KeyError: there is no such template in that language.
        """
        return self._by_key[(template_id, lang)]

    def pick(self, template_id: str, lang: str = "") -> Template:
        """The template in `lang` if it exists, else in the default language, else in any.

        Raises:
            KeyError: no template has this id.
        """
        for candidate in (lang, self.default_lang):
            if (template_id, candidate) in self._by_key:
                return self._by_key[(template_id, candidate)]
        for template in self._ordered:
            if template.id == template_id:
                return template
        close = difflib.get_close_matches(template_id, self.ids(), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(f"no template {template_id!r}{hint}")


def default_dir() -> Path:
    """The shipped `templates/` folder (the clone's root, or inside the wheel)."""
    return paths.shipped("templates")


def load(directory: Path | str | None = None, *, default_lang: str = "en") -> Registry:
    """Load every template under `directory` (the shipped folder by default).

    Raises:
        TemplatesInvalid: any file has any problem; nothing is half-loaded.
    """
    templates, errors = check(directory)
    if errors:
        raise TemplatesInvalid(errors)
    return Registry(templates, default_lang=default_lang)


_CACHE: dict[Path, tuple[tuple[tuple[str, int, int], ...], Registry]] = {}


def cached(directory: Path | str | None = None) -> Registry:
    """Like `load`, but reuses the last registry loaded from `directory` while no file in it
    was added, removed or modified (a stat per file, not a parse).

    Raises:
        TemplatesInvalid: see `load`.
    """
    root = Path(directory) if directory is not None else default_dir()
    signature = tuple(
        (str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(root.rglob("*.toml"))
    )
    hit = _CACHE.get(root)
    if hit is not None and hit[0] == signature:
        return hit[1]
    registry = load(root)
    _CACHE[root] = (signature, registry)
    return registry


def check(directory: Path | str | None = None) -> tuple[list[Template], list[TemplateError]]:
    """Validate every `*.toml` under `directory`, recursively.

    Returns:
        The valid templates and every problem found, files in name order.
    """
    root = Path(directory) if directory is not None else default_dir()
    if not root.is_dir():
        return [], [TemplateError(str(root), 1, "not a folder of templates")]
    files = sorted(root.rglob("*.toml"))
    if not files:
        return [], [TemplateError(str(root), 1, "no template (*.toml) in this folder")]
    templates: list[Template] = []
    errors: list[TemplateError] = []
    seen: dict[tuple[str, str], str] = {}
    for file in files:
        template, problems = load_file(file)
        errors.extend(problems)
        if template is None:
            continue
        key = (template.id, template.lang)
        if key in seen:
            errors.append(TemplateError(
                str(file), SourceMap(file.read_text("utf-8")).line_of("id"),
                f"template {template.id!r} in {template.lang!r} is also defined in {seen[key]}",
            ))
            continue
        seen[key] = str(file)
        templates.append(template)
    return templates, errors


def load_file(path: Path | str) -> tuple[Template | None, list[TemplateError]]:
    """Load and validate one file.

    Returns:
        The template (None if the file has any problem) and the problems.
    """
    file = Path(path)
    name = str(path)
    try:
        source = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [TemplateError(name, 1, f"not UTF-8 text: {exc.reason}")]
    except OSError as exc:
        return None, [TemplateError(name, 1, f"cannot read: {exc.strerror or exc}")]
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        return None, [TemplateError(name, syntax_error_line(exc), syntax_error_reason(exc))]
    checker = _Checker(name, file, data, SourceMap(source))
    template = checker.run()
    return (template if not checker.errors else None), checker.errors


class _Checker:
    def __init__(self, name: str, file: Path, data: dict[str, Any], where: SourceMap) -> None:
        self.name, self.file, self.data, self.where = name, file, data, where
        self.errors: list[TemplateError] = []

    def error(self, line: int, reason: str) -> None:
        self.errors.append(TemplateError(self.name, line, reason))

    def run(self) -> Template | None:
        data = self.data
        for key in data:
            if key not in KEYS:
                self.error(self.where.line_of(key), f"unknown key {key!r}{_hint(key, KEYS)}")
        for key in REQUIRED:
            if key not in data:
                self.error(1, f"missing required key {key!r}")
        ident = self._string("id", _ID, "lower-case letters, digits and '-'")
        lang = self._string("lang", _LANG, "a two-letter ISO 639-1 code such as 'en' or 'fr'")
        if ident and ident != self.file.stem:
            self.error(self.where.line_of("id"),
                       f"id {ident!r} must match the file name {self.file.stem!r}")
        folder = self.file.parent.name
        if lang and _LANG.fullmatch(folder) and folder != lang:
            self.error(self.where.line_of("lang"),
                       f"lang {lang!r} does not match the folder {folder!r}")
        channel = self._choice("channel", CHANNELS, required=True)
        layout = self._choice("layout", LAYOUTS, required=False) or "inline"
        intents = self._list("intents", _SLUG, 20, "intent slugs such as 'shipping'")
        triggers = self._triggers()
        title = data.get("title", "")
        if not isinstance(title, str) or len(title) > 120:
            self.error(self.where.line_of("title"), "title must be text of at most 120 characters")
            title = ""
        declared = self._declared()
        parts = self._parts(declared)
        if self.errors or ident is None or lang is None or channel is None:
            return None
        used = tuple(dict.fromkeys(n for p in parts for v in p.variants for n in v.slot_names))
        template = Template(
            id=ident, lang=lang, channel=channel, intents=tuple(intents), parts=tuple(parts),
            title=title, triggers=tuple(triggers), slots=declared, layout=layout,
            path=self.name, slot_names=used,
        )
        longest = render.worst_case_length(template)
        if longest > render.MAX_OUTPUT:
            self.error(self.where.line_of("parts"),
                       f"can render up to {longest} characters with every slot full; the cap"
                       f" is {render.MAX_OUTPUT}: shorten the longest variants")
            return None
        return template

    def _string(self, key: str, pattern: re.Pattern[str], what: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.error(self.where.line_of(key), f"{key} must be {what}; got {value!r}")
            return None
        return value

    def _choice(self, key: str, allowed: tuple[str, ...], *, required: bool) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if value not in allowed:
            self.error(self.where.line_of(key),
                       f"{key} must be one of {', '.join(allowed)}; got {value!r}")
            return None
        return str(value)

    def _list(self, key: str, pattern: re.Pattern[str], most: int, what: str) -> list[str]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or len(value) > most:
            self.error(self.where.line_of(key), f"{key} must be a list of at most {most} {what}")
            return []
        bad = [v for v in value if not isinstance(v, str) or not pattern.fullmatch(v)]
        if bad:
            self.error(self.where.line_of(key), f"{key}: {bad[0]!r} is not one of {what}")
        return [v for v in value if v not in bad]

    def _triggers(self) -> list[str]:
        value = self.data.get("triggers", [])
        if not isinstance(value, list) or len(value) > MAX_TRIGGERS:
            self.error(self.where.line_of("triggers"),
                       f"triggers must be a list of at most {MAX_TRIGGERS} short phrases")
            return []
        good = []
        for item in value:
            if not isinstance(item, str) or not item.strip() or len(item) > TRIGGER_CAP:
                self.error(self.where.find(str(item)[:30], "triggers"),
                           f"a trigger must be non-empty text of at most {TRIGGER_CAP} characters")
            else:
                good.append(item)
        return good

    def _declared(self) -> dict[str, str]:
        value = self.data.get("slots", {})
        if not isinstance(value, dict):
            self.error(self.where.line_of("slots"),
                       "slots must be a table: name = \"what to type, e.g. ...\"")
            return {}
        declared = {}
        for name, description in value.items():
            line = self.where.line_of("slots", name)
            if not slots.SLOT_NAME.fullmatch(name):
                self.error(line, f"bad slot name {name!r}: lower-case letters, digits and '_'")
            elif not isinstance(description, str):
                self.error(line, f"slot {name!r} needs a description (text)")
            else:
                declared[name] = description
        return declared

    def _parts(self, declared: dict[str, str]) -> list[Part]:
        value = self.data.get("parts")
        if value is None:
            return []
        if not isinstance(value, dict) or not value:
            self.error(self.where.line_of("parts"), "parts must be a table with at least one part")
            return []
        parts = []
        for name, raw in value.items():
            line = self.where.line_of("parts", name)
            if name not in PART_NAMES:
                self.error(line, f"unknown part {name!r}{_hint(name, PART_NAMES)};"
                                 f" parts are {', '.join(PART_NAMES)}")
                continue
            texts = [raw] if isinstance(raw, str) else raw
            if not isinstance(texts, list) or not texts or len(texts) > MAX_VARIANTS:
                self.error(line, f"part {name!r} must be a list of 1 to {MAX_VARIANTS} variants")
                continue
            part = self._variants(name, texts, declared, line)
            if part is not None:
                parts.append(part)
        return parts

    def _variants(
        self, name: str, texts: list[Any], declared: dict[str, str], line: int
    ) -> Part | None:
        variants = []
        ok = True
        for text in texts:
            if not isinstance(text, str) or len(text) > render.MAX_VARIANT:
                self.error(line, f"part {name!r}: each variant must be text of at most"
                                 f" {render.MAX_VARIANT} characters")
                ok = False
                continue
            try:
                parsed = render.variant(text)
            except SlotSyntaxError as exc:
                snippet = text[exc.offset : exc.offset + 12]
                self.error(self.where.find(snippet, "parts", name), f"part {name!r}: {exc.reason}")
                ok = False
                continue
            for slot in parsed.slot_names:
                if slot not in slots.STANDARD and slot not in declared:
                    known = (*slots.STANDARD, *declared)
                    self.error(self.where.find("{" + slot, "parts", name),
                               f"part {name!r}: unknown slot {{{slot}}}{_hint(slot, known)};"
                               " declare it under [slots] or use a standard one")
                    ok = False
            variants.append(parsed)
        if ok and len({v.text for v in variants}) != len(variants):
            self.error(line, f"part {name!r} lists the same variant twice")
            ok = False
        if ok and not any(v.text.strip() for v in variants):
            self.error(line, f"part {name!r} has only empty variants")
            ok = False
        return Part(name, tuple(variants)) if ok else None


def _hint(word: str, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
