"""Where a row is routed. Read `Cascade.classify` first: it is the whole algorithm.

    empty message            -> Unclassified
    source in LLM_SOURCES    -> LLM tier
    otherwise                -> regex rules -> (masked template) ML tier -> LLM tier if unsure

Rows are handled as whole batches: the ML and LLM tiers see each distinct template once, and a
template's decision is remembered across batches (chunks of a big file) in a bounded cache.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from logclf.bundle import ModelBundle
from logclf.decision import Batch, Decision, unclassified
from logclf.masking import ConfigError, Masker
from logclf.settings import Settings
from processor_bert import EmbeddingClassifierTier
from processor_llm import LLMTier
from processor_regex import RegexTier

EMPTY = unclassified("empty log_message")
_BELOW_THRESHOLD = object()  # template-cache marker: the ML tier was not confident


class Cascade:
    def __init__(
        self,
        regex: RegexTier,
        bert: EmbeddingClassifierTier,
        llm: LLMTier,
        masker: Masker,
        llm_sources: Sequence[str],
        template_cache_size: int = 200_000,
    ):
        self.regex, self.bert, self.llm, self.masker = regex, bert, llm, masker
        self.llm_sources = frozenset(llm_sources)
        self.labels = bert.bundle.labels
        unknown = regex.labels - set(self.labels)
        if unknown:
            raise ConfigError(f"regex rules use labels the model does not know: {sorted(unknown)}; known: {self.labels}")
        self._templates: dict[str, object] = {}
        self._template_cache_size = template_cache_size
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, bundle: ModelBundle | None = None, embedder=None) -> Cascade:
        """Load everything once: rules, masks, the model bundle and the embedding model.

        Pass an already loaded `bundle` / `embedder` to share them (tests, several cascades).
        """
        bundle = bundle or ModelBundle.load(settings.model_path)
        masker = Masker.from_file(settings.masking_path)
        if embedder is None:
            from logclf.embedding import Embedder, runtime_backend  # heavy imports: only here

            model = settings.embedding_model or bundle.embedding_model
            backend = runtime_backend(bundle.embedding_backend, settings.embedding_backend, model)
            embedder = Embedder.from_settings(settings, backend, model)
        return cls(
            regex=RegexTier.from_file(settings.regex_rules_path),
            bert=EmbeddingClassifierTier(bundle, embedder, settings.confidence_threshold, settings.min_similarity),
            llm=LLMTier(settings, bundle.label_descriptions, masker),
            masker=masker,
            llm_sources=settings.llm_sources,
            template_cache_size=settings.template_cache_size,
        )

    def classify(self, sources: Sequence[str], messages: Sequence[str]) -> list[Decision]:
        """One decision per row, in input order.

        One pass over the rows routes each one (empty / LLM source / regex rule / cached template)
        and groups the rest by template, so the per-row cost is a few dict look-ups; the ML tier
        then sees each new template once, and the LLM tier the rows nobody was sure of.
        """
        out: list[Decision | None] = [None] * len(messages)
        llm_rows: list[int] = []
        unsure_rows: list[int] = []
        pending: dict[str, list[int]] = {}  # template not decided yet -> its rows
        llm_sources, rule_decision, template_of = self.llm_sources, self.regex.decision_for, self.masker.template
        known = self._templates
        for i, (source, message) in enumerate(zip(sources, messages, strict=False)):
            if not message or message.isspace():  # == not message.strip(), without a copy
                out[i] = EMPTY
            elif source in llm_sources:
                llm_rows.append(i)
            # 1. regex rules on the original text
            elif (decision := rule_decision(message)) is not None:
                out[i] = decision
            # 2. ML tier, once per template (remembered across batches)
            else:
                template = template_of(message)
                hit = known.get(template)
                if hit is None:
                    rows = pending.get(template)
                    if rows is None:
                        pending[template] = [i]
                    else:
                        rows.append(i)
                elif hit is _BELOW_THRESHOLD:
                    unsure_rows.append(i)
                else:
                    out[i] = hit  # type: ignore[assignment]  # a Decision
        if pending:
            for template, decision in zip(pending, self._decide_new_templates(list(pending)), strict=True):
                if decision is _BELOW_THRESHOLD:
                    unsure_rows.extend(pending[template])
                else:
                    for i in pending[template]:
                        out[i] = decision  # type: ignore[assignment]

        # 3. LLM tier for label-scarce sources and unsure rows (it groups by template itself)
        if llm_rows or unsure_rows:
            to_llm = sorted(llm_rows + unsure_rows)
            unsure = set(unsure_rows)
            to_llm_messages = [messages[i] for i in to_llm]
            batch = Batch([sources[i] for i in to_llm], to_llm_messages, [template_of(m) for m in to_llm_messages])
            for i, decision in zip(to_llm, self.llm.decide(batch), strict=True):
                if decision.tier == "none" and i in unsure:
                    decision = decision._replace(reason=f"ML tier unsure; {decision.reason}")
                out[i] = decision
        return out  # type: ignore[return-value]  # every slot is filled above

    def _decide_new_templates(self, new: list[str]) -> list[object]:
        """The ML tier's decision (or _BELOW_THRESHOLD) per template, remembered in the bounded cache."""
        fresh = [_BELOW_THRESHOLD if d is None else d for d in self.bert.decide([""] * len(new), new)]
        known = self._templates
        with self._lock:
            if len(known) + len(new) > self._template_cache_size:
                known.clear()  # bounded memory; a cleared cache only costs re-embedding
            known.update(zip(new, fresh, strict=False))
        return fresh

    def close(self) -> None:
        self.llm.close()
