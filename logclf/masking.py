"""Template masking: ids, numbers, IPs, UUIDs and hex become placeholders, so repetitive logs
collapse into a few templates that the ML and LLM tiers classify once each.

The masking table is data (`resources/masking.yaml`); all instructions are compiled into one
alternation so a line is scanned once, in C, whatever the table's length.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Collection
from pathlib import Path

try:  # the parser behind `re`, used only to read which characters a mask needs
    from re import _constants as re_constants
    from re import _parser as re_parser
except ImportError:  # Python < 3.11
    import sre_constants as re_constants  # type: ignore[no-redef]
    import sre_parse as re_parser  # type: ignore[no-redef]

from logclf.datafiles import load_yaml_list
from logclf.errors import UserError as ConfigError  # the name Masker's body uses (its rewrite is another change)


class Masker:
    """Masks variable parts of a line; fast because most lines skip most of the table.

    Three shortcuts keep the output exactly what the one combined pattern would give:
    - a mask whose every match must contain some literal characters (an email needs `@` and `.`,
      a UUID or timestamp `-`) cannot match a line without them, so it is left out of the
      pattern used for that line (one compiled variant per combination, built on first use);
    - likewise a mask with `only_if` words (the table says every match contains one of them, in any
      case: `password=...` needs `pass`) is left out for lines without any: most lines mention no
      credential, and the secret masks tripled the cost of a line when every line paid for them;
    - a bounded dict remembers the template of lines seen recently, keyed by a 16-byte digest of the line
      with every ASCII digit written as 0. Logs repeat one line with other numbers far more often than they repeat it
      exactly, and when no mask tells one digit from another (`digit_blind`, checked on load) two lines
      that differ only in digits get the same matches, so the same template once no digit survives in
      it (a template that keeps a digit is remembered under the exact line only).
    """

    def __init__(
        self,
        masks: list[tuple[str, str, str]],
        cache_size: int = 200_000,
        secret: Collection[str] = (),
        only_if: dict[str, Collection[str]] | None = None,
        keep_head: Collection[str] = (),
    ):
        """`masks` holds (name, pattern, placeholder) triples, most specific first; `secret` names the masks
        that `scrub` applies (credentials, keys, card numbers: what must never leave the machine);
        `only_if` maps a mask's name to words one of which (case-insensitive) every match contains;
        `keep_head` names the masks whose pattern's first group stays as written before the placeholder
        (a path's first segment: /var<PATH>)."""
        self.masks = masks
        for name, pattern, _ in masks:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"mask {name!r}: invalid pattern ({exc})") from None
            if name in keep_head and (compiled.groups < 1 or name in secret):
                raise ConfigError(f"mask {name!r}: keep_head needs a group in the pattern, and a secret keeps nothing")
        self._heads = {f"m{i}" for i, (name, _, _) in enumerate(masks) if name in keep_head}
        self._placeholders = {f"m{i}": placeholder for i, (_, _, placeholder) in enumerate(masks)}
        self._replace = lambda m: self._placeholders[m.lastgroup]
        self._required = [required_chars(pattern) for _, pattern, _ in masks]
        self._triggers = sorted(set().union(*self._required)) if masks else []
        words = {name: tuple(sorted({w.lower() for w in ws})) for name, ws in (only_if or {}).items() if ws}
        self._gated = [i for i, (name, _, _) in enumerate(masks) if name in words]  # masks with words, in table order
        self._gate_words = [words[masks[i][0]] for i in self._gated]
        every_word = sorted(set().union(*words.values()), key=len, reverse=True) if words else []
        self._any_gate = re.compile("|".join(map(re.escape, every_word))).search if words else None
        self._no_gate, self._all_gates = (False,) * len(self._gated), (True,) * len(self._gated)
        self._variants: dict[tuple[bool, ...], Callable[[str], str]] = {}
        self._cache: dict[str | bytes, str] = {}  # digit-shape keys are bytes, exact ones str: they never collide
        self._shared: dict[str, str] = {}
        self._cache_size = cache_size
        self._digit_blind = all(digit_blind(pattern) for _, pattern, _ in masks)
        secrets = [(f"s{i}", pattern, placeholder) for i, (name, pattern, placeholder) in enumerate(masks) if name in secret]
        self._secret = re.compile("|".join(f"(?P<{g}>{pattern})" for g, pattern, _ in secrets)) if secrets else None
        self._secret_placeholders = {g: placeholder for g, _, placeholder in secrets}

    def _variant(self, present: tuple[bool, ...]) -> Callable[[str], str]:
        """The combined pattern of the masks that can match a line with these trigger chars (and words)."""
        have = {c for c, p in zip(self._triggers, present[: len(self._triggers)], strict=True) if p}
        shut = {i for i, open_ in zip(self._gated, present[len(self._triggers) :], strict=True) if not open_}
        chosen = [(i, pattern) for i, (_, pattern, _) in enumerate(self.masks) if self._required[i] <= have and i not in shut]
        if not chosen:
            return str  # nothing can match: the line is its own template
        compiled = re.compile(combine(chosen))
        heads = {g: compiled.groupindex[g] + 1 for g in self._heads if g in compiled.groupindex}  # the mask's own first group
        if not heads:
            return functools.partial(compiled.sub, self._replace)
        placeholders = self._placeholders

        def replace(m: re.Match) -> str:
            head = heads.get(m.lastgroup)
            return placeholders[m.lastgroup] if head is None else (m.group(head) or "") + placeholders[m.lastgroup]

        return functools.partial(compiled.sub, replace)

    @classmethod
    def from_file(cls, path: Path) -> Masker:
        items = load_yaml_list(path, "masks")
        try:
            masks = [(str(i.get("name", f"#{n}")), str(i["pattern"]), str(i["mask"])) for n, i in enumerate(items)]
            secret = {name for (name, _, _), i in zip(masks, items, strict=True) if i.get("secret") is True}
            only_if = {name: i["only_if"] for (name, _, _), i in zip(masks, items, strict=True) if "only_if" in i}
            keep_head = {name for (name, _, _), i in zip(masks, items, strict=True) if i.get("keep_head") is True}
        except KeyError as exc:
            raise ConfigError(f"{path}: every mask needs {exc.args[0]!r}") from None
        bad = [name for name, ws in only_if.items() if not isinstance(ws, list) or not all(isinstance(w, str) and w for w in ws)]
        if bad:
            raise ConfigError(f"{path}: mask {bad[0]!r}: only_if must be a list of non-empty words")
        try:
            return cls(masks, secret=secret, only_if=only_if, keep_head=keep_head)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def template(self, message: str) -> str:
        """The message with every variable part replaced by its placeholder."""
        cache = self._cache
        # 16 bytes of BLAKE2b stand for the digit shape: an entry costs about 100 bytes whatever the line's length
        line_key = _digest(message.encode("utf-8", "surrogatepass").translate(_DIGITS_TO_ZERO)).digest() if self._digit_blind else message
        template = cache.get(line_key)
        if template is None and line_key is not message:
            template = cache.get(message)
        if template is not None:
            return template
        present = tuple(map(message.__contains__, self._triggers))
        if self._any_gate is not None:
            present += self._gates_open(message)
        sub = self._variants.get(present)
        if sub is None:
            sub = self._variants[present] = self._variant(present)
        template = sub(message)
        if len(cache) >= self._cache_size:
            cache.clear()  # bounded memory; frequent lines are back after a few rows
            self._shared.clear()
        template = self._shared.setdefault(template, template)  # one string per template, however many lines map to it
        cache[message if _has_ascii_digit(template) else line_key] = template
        return template

    def _gates_open(self, message: str) -> tuple[bool, ...]:
        """Which `only_if` masks may match: one scan of the lowered line for all words, per mask only on a
        hit (rare). Lowering is exact for ASCII; any other line keeps every mask (Unicode case rules
        let `(?i:...)` match more than `str.lower` shows, e.g. a long s for an s)."""
        if not message.isascii():
            return self._all_gates
        low = message.lower()
        if self._any_gate(low) is None:
            return self._no_gate
        return tuple(any(w in low for w in words) for words in self._gate_words)

    def scrub(self, text: str) -> str:
        """`text` with only the secret masks applied: what raw mode (LLM_SEND=raw) sends instead of the line."""
        if self._secret is None:
            return text
        return self._secret.sub(lambda m: self._secret_placeholders[m.lastgroup], text)


def combine(masks: list[tuple[int, str]]) -> str:
    """One alternation `(?P<m{i}>pattern)|...` in table order, with a leading lookbehind that
    consecutive masks share (the table's token-start anchor) tested once per position instead of
    once per mask: the same matches, about twice as fast on long lines."""
    groups: list[tuple[str, list[str]]] = []  # (shared lookbehind, alternatives)
    for i, pattern in masks:
        prefix = leading_lookbehind(pattern)
        rest = pattern[len(prefix) :]
        if prefix and groups and groups[-1][0] == prefix:
            groups[-1][1].append(f"(?P<m{i}>{rest})")
        else:
            groups.append((prefix, [f"(?P<m{i}>{rest})"]))
    parts = [prefix + alts[0] if len(alts) == 1 else f"{prefix}(?:{'|'.join(alts)})" for prefix, alts in groups]
    return "|".join(parts)


def leading_lookbehind(pattern: str) -> str:
    """The `(?<!...)` or `(?<=...)` a pattern starts with, or '' (escapes and [classes] respected)."""
    if not pattern.startswith(("(?<!", "(?<=")):
        return ""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a ']' first in a class is a literal
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return pattern[: i + 1]
        i += 1
    return ""


_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_digest = functools.partial(hashlib.blake2b, digest_size=16)
_has_ascii_digit = re.compile("[0-9]").search
_ALL_DIGITS = frozenset(range(ord("0"), ord("9") + 1))


def digit_blind(pattern: str) -> bool:
    """True when `pattern` cannot tell one ASCII digit from another: every literal and character class
    takes all ten or none, and there is no backreference. Then replacing a line's digits by other digits
    moves no match. Anything the walk does not understand counts as not blind (the exact cache is used)."""
    try:
        return _blind(list(re_parser.parse(pattern)))
    except Exception:
        return False


def _blind(items: list) -> bool:
    c = re_constants
    for op, arg in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            if arg in _ALL_DIGITS:
                return False
        elif op is c.IN:
            if not _class_blind(arg):
                return False
        elif op is c.SUBPATTERN:
            if not _blind(list(arg[-1])):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if not _blind(list(arg[2])):
                return False
        elif op is c.BRANCH:
            if not all(_blind(list(alt)) for alt in arg[1]):
                return False
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if not _blind(list(arg[1])):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _blind(list(arg)):
                return False
        elif op not in (c.ANY, c.AT, c.CATEGORY):  # backreferences, conditionals, anything new: not blind
            return False
    return True


def _class_blind(items: list) -> bool:
    """A [class] holds all ASCII digits or none (NEGATE flips which, not whether)."""
    c = re_constants
    digits: set[int] = set()
    for op, arg in items:
        if op is c.LITERAL and arg in _ALL_DIGITS:
            digits.add(arg)
        elif op is c.RANGE:
            digits |= _ALL_DIGITS & set(range(arg[0], arg[1] + 1))
        elif op is c.CATEGORY and arg in (c.CATEGORY_DIGIT, c.CATEGORY_WORD, c.CATEGORY_NOT_SPACE):
            digits |= _ALL_DIGITS
        elif op not in (c.LITERAL, c.NEGATE, c.CATEGORY, c.RANGE):
            return False
    return not digits or digits == _ALL_DIGITS


def required_chars(pattern: str) -> frozenset[str]:
    """Literal characters every match of `pattern` contains (a safe under-estimate).

    Walks the parsed pattern: a literal (ASCII, not a letter: letters may match in either case)
    outside any optional part is required; a branch requires
    what all its alternatives require; anything not understood requires nothing.
    """
    try:
        parsed = re_parser.parse(pattern)
    except Exception:  # the pattern was compiled already; being defensive costs nothing here
        return frozenset()
    return frozenset(_required_in(list(parsed)))


def _required_in(items: list) -> set[str]:
    found: set[str] = set()
    for op, arg in items:
        if op is re_constants.LITERAL:
            char = chr(arg)
            if char.isascii() and not char.isalpha():  # letters may be matched case-insensitively
                found.add(char)
        elif op is re_constants.SUBPATTERN:
            found |= _required_in(list(arg[-1]))
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT, re_constants.POSSESSIVE_REPEAT) and arg[0] >= 1:
            found |= _required_in(list(arg[2]))
        elif op is re_constants.BRANCH:
            alternatives = [_required_in(list(alt)) for alt in arg[1]]
            found |= set.intersection(*alternatives) if alternatives else set()
        elif op is re_constants.ATOMIC_GROUP:
            found |= _required_in(list(arg))
    return found
