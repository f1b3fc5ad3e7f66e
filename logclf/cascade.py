"""Where a row is routed. Read `Cascade.classify` first: it is the whole algorithm.

    empty message            -> Unclassified
    a person corrected it    -> override (corrections keyed by source and template, see logclf/corrections.py)
    source in LLM_SOURCES    -> LLM tier
    otherwise                -> regex rules -> (masked template) ML tier -> LLM tier if unsure

Rows are handled as whole batches: the ML and LLM tiers see each distinct template once, and a
template's decision is remembered across batches (chunks of a big file) in a bounded cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from logclf.bundle import ModelBundle
from logclf.corrections import Key, OverrideTier
from logclf.decision import Batch, Decision, Tier, unclassified
from logclf.embedding_probe import warn_on_mismatch
from logclf.errors import UserError
from logclf.levels import buckets
from logclf.masking import Masker
from logclf.prepare import Prepared, prepare
from logclf.settings import Settings
from logclf.tiers.bert import BertTier
from logclf.tiers.llm import LLMTier
from logclf.tiers.regex import RegexTier

EMPTY = unclassified("empty log_message")
_BELOW_THRESHOLD = object()  # template-cache marker: the ML tier was not confident


class Cascade:
    """The three tiers behind one `classify` call, plus the few facts callers need (labels, LLM state)."""

    def __init__(
        self,
        regex: Tier,
        bert: Tier,
        llm: Tier,
        masker: Masker,
        labels: Sequence[str],
        label_descriptions: Mapping[str, str],
        llm_sources: Sequence[str],
        template_cache_size: int = 200_000,
    ):
        # Tiers are held to the `Tier` contract only (`decide(Batch)`); the last tier may also offer
        # `stats()`, `status()` and `close()` (LLMTier does), read through `llm_stats` / `llm_status`.
        self.regex, self.bert, self.llm = regex, bert, llm
        self.masker = masker
        self.labels: list[str] = list(labels)
        self.label_descriptions: dict[str, str] = dict(label_descriptions)
        self.llm_sources = frozenset(llm_sources)
        self.overrides = OverrideTier(dict)  # none until `use_overrides`
        self._templates: dict[str, object] = {}
        self._template_cache_size = template_cache_size
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, bundle: ModelBundle | None = None, embedder=None, llm_limiter=None, llm_exchange=None
    ) -> Cascade:
        """Load everything once: rules, masks, the model bundle and the embedding model.

        Pass an already loaded `bundle` / `embedder` to share them (tests, several cascades); `llm_limiter` /
        `llm_exchange` give the LLM tier a budget and answers shared with other processes (the Ray engine).
        """
        bundle = bundle or ModelBundle.load(settings.model_path)
        masker = Masker.from_file(settings.masking_path)
        if embedder is None:
            from logclf.embedding import Embedder, runtime_backend  # heavy imports: only here

            model = settings.embedding_model or bundle.embedding_model
            backend = runtime_backend(bundle.embedding_backend, settings.embedding_backend, model, settings.onnx_dir)
            embedder = Embedder.from_settings(settings, backend, model, bundle.max_seq_length)
            warn_on_mismatch(bundle.metadata, embedder)  # vectors unlike the fitted ones: labels may drift, say so
        regex = RegexTier.from_file(settings.regex_rules_path)
        unknown = regex.labels - set(bundle.labels)
        if unknown:
            raise UserError(f"regex rules use labels the model does not know: {sorted(unknown)}; known: {bundle.labels}")
        return cls(
            regex=regex,
            bert=BertTier(bundle, embedder, settings.confidence_threshold, settings.min_similarity, settings.ml_use_levels),
            llm=LLMTier(settings, bundle.label_descriptions, masker, limiter=llm_limiter, exchange=llm_exchange),
            masker=masker,
            labels=bundle.labels,
            label_descriptions=bundle.label_descriptions,
            llm_sources=settings.llm_sources,
            template_cache_size=settings.template_cache_size,
        )

    def use_overrides(self, table: Callable[[], Mapping[Key, str]]) -> None:
        """Consult these corrections before every tier: `table()` is read once per batch, so edits apply at once."""
        self.overrides = OverrideTier(table)

    def prepare(self, sources: Sequence[str], messages: Sequence[str]) -> Prepared:
        """Step 1 for a batch: regex decisions, and templates for the rest (no model needed; see logclf/prepare.py)."""
        return prepare(self.regex, self.masker, self.llm_sources, sources, messages)

    def classify(
        self,
        sources: Sequence[str],
        messages: Sequence[str],
        prepared: Prepared | None = None,
        levels: Sequence[object] | None = None,
    ) -> list[Decision]:
        """One decision per row, in input order.

        `levels` (optional, one cell per row, any spelling) are the lines' levels: evidence for the ML tier's
        confidence, never a label on their own (logclf/levels.py). A template's ML decision is remembered per
        level bucket; the template is still embedded once.

        Corrections first; then `prepare` (regex rules on the original text, templates for the rest:
        pass `prepared` when it was computed elsewhere, e.g. in the CLI's second process). One pass
        over the rows routes each one (empty / LLM source / rule / cached template) and groups the
        rest by template, so the per-row cost is a few dict look-ups; the ML tier then sees each new
        template once, and the LLM tier the rows nobody was sure of.
        """
        out: list[Decision | None] = self._overridden(sources, messages)
        # 1. regex rules on the original text, masked templates for the rest
        prepared = prepared or self.prepare(sources, messages)
        ruled, templates = prepared.ruled, prepared.templates
        # 2. ML tier, once per template (remembered across batches)
        llm_rows: list[int] = []
        unsure_rows: list[int] = []
        pending: dict[object, list[int]] = {}  # template (or template, level) not decided yet -> its rows
        llm_sources, known = self.llm_sources, self._templates
        severity = buckets(levels) if getattr(self.bert, "uses_levels", False) else None  # unused levels: one cache entry per template
        for i, template in enumerate(templates):
            if out[i] is not None:  # 0. a person's correction
                continue
            if template is None:
                out[i] = ruled[i] or EMPTY  # a rule decided it, or the message is empty
                continue
            if sources[i] in llm_sources:
                llm_rows.append(i)
                continue
            key = template if severity is None or severity[i] is None else (template, severity[i])
            hit = known.get(key)
            if hit is None:
                rows = pending.get(key)
                if rows is None:
                    pending[key] = [i]
                else:
                    rows.append(i)
            elif hit is _BELOW_THRESHOLD:
                unsure_rows.append(i)
            else:
                out[i] = hit  # type: ignore[assignment]  # a Decision
        if pending:
            firsts = [rows[0] for rows in pending.values()]  # one representative row per template
            keys = list(pending)
            batch = Batch(
                [sources[i] for i in firsts],
                [messages[i] for i in firsts],
                [templates[i] for i in firsts],  # type: ignore[misc]  # not None: only ML rows are pending
                None if severity is None else [severity[i] for i in firsts],
            )
            for rows, decision in zip(pending.values(), self._decide_new_templates(keys, batch), strict=True):
                if decision is _BELOW_THRESHOLD:
                    unsure_rows.extend(rows)
                else:
                    for i in rows:
                        out[i] = decision  # type: ignore[assignment]

        # 3. LLM tier for label-scarce sources and unsure rows (it groups by template itself)
        if llm_rows or unsure_rows:
            to_llm = sorted(llm_rows + unsure_rows)
            unsure = set(unsure_rows)
            marked: dict[Decision, Decision] = {}  # one "ML tier unsure" copy per distinct answer, not one per row
            batch = Batch([sources[i] for i in to_llm], [messages[i] for i in to_llm], [templates[i] for i in to_llm])  # type: ignore[misc]
            for i, decision in zip(to_llm, self.llm.decide(batch), strict=True):
                if decision is None:  # the contract allows it; the last tier has no one to pass to
                    decision = unclassified("llm: no answer")
                if decision.tier == "none" and i in unsure:
                    relabelled = marked.get(decision)
                    if relabelled is None:
                        relabelled = marked[decision] = decision._replace(reason=f"ML tier unsure; {decision.reason}")
                    decision = relabelled
                out[i] = decision
        return out  # type: ignore[return-value]  # every slot is filled above

    def _overridden(self, sources: Sequence[str], messages: Sequence[str]) -> list[Decision | None]:
        """The corrections' decisions (None elsewhere); rows are masked here only when corrections exist."""
        if not len(self.overrides):
            return [None] * len(messages)
        templates = [self.masker.template(m) if m and not m.isspace() else "" for m in messages]
        return self.overrides.decide(Batch(sources, messages, templates))

    def _decide_new_templates(self, new: list[object], batch: Batch) -> list[object]:
        """The ML tier's decision (or _BELOW_THRESHOLD) per template, remembered in the bounded cache under
        its key in `new` (the template, or (template, level bucket))."""
        fresh = [_BELOW_THRESHOLD if d is None else d for d in self.bert.decide(batch)]
        known = self._templates
        with self._lock:
            if len(known) + len(new) > self._template_cache_size:
                known.clear()  # bounded memory; a cleared cache only costs re-embedding
            known.update(zip(new, fresh, strict=False))
        return fresh

    def llm_stats(self) -> dict[str, int]:
        """A snapshot of the LLM tier's counters (calls, cache hits, tokens ...); callers diff two of them."""
        stats = getattr(self.llm, "stats_snapshot", None)
        return stats() if stats else {}

    def llm_status(self) -> dict[str, object]:
        """The LLM tier's state for /health and logs (`configured`, ...)."""
        status = getattr(self.llm, "status", None)
        return status() if status else {"configured": False}

    def close(self) -> None:
        for tier in (self.regex, self.bert, self.llm):
            close = getattr(tier, "close", None)
            if close:
                close()
