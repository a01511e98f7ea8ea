"""A spaCy pipeline component that runs govlint on each Doc.

Usage::

    import spacy
    import govlint.spacy_component        # registers the "govlint" factory (or via entry point)

    nlp = spacy.blank("zh")
    nlp.add_pipe("govlint", config={"profile": "auto"})
    doc = nlp(text)                      # path "<spacy>", kind "txt"
    # or name the report (".md" selects Markdown):
    doc = nlp.make_doc(text); doc.user_data["path"] = "报告.md"; doc = nlp(doc)
    for f in doc._.govlint_findings:     # dicts in the ``--format json`` finding schema
        print(f["code"], f["line"], f["message"])
    for span in doc.spans["govlint"]:    # the same findings as spans, label = rule code
        print(span.label_, span.text)

Component config: ``profile`` ("auto", "self-eval", "generic"), ``select`` / ``ignore``
(lists of codes or prefixes), ``config`` (path of a govlint.toml or pyproject.toml;
by default no configuration file is read), ``as_dicts`` (True: JSON-style dicts;
False: ``govlint.finding.Finding`` objects), ``spans_key`` (the ``doc.spans`` key, or
null for none).

The govlint Document is built from ``doc.text`` (kind "md" when the path ends in .md),
so offsets in the findings are character offsets into ``doc.text``, the same offsets
spaCy's ``Doc.char_span`` takes. Rules segment text with govlint's own segmenter; the
spaCy tokenizer only matters for the spans (their edges expand to token boundaries;
a finding on whitespace alone, such as a stray space, has no span).

Importing this module is cheap (no rules, no segmenter): spaCy imports every
``spacy_factories`` entry point whenever a Language is created.
"""

from __future__ import annotations

from typing import List, Optional

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

EXTENSION = "govlint_findings"
PROFILES = ("auto", "self-eval", "generic")

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


def _codes(values, key: str) -> tuple | None:
    if values is None:
        return None
    from govlint import registry
    try:
        return registry.parse_codes(values)
    except registry.UnknownCode as exc:
        raise ValueError(f"govlint 组件配置 {key}：未知的规则代码或前缀 {exc.given!r}") from None


class GovlintComponent:
    """Runs the govlint rules on ``doc.text`` and stores the findings on the Doc."""

    def __init__(self, nlp: Language, name: str, profile: str = "auto", select=None, ignore=None,
                 config: Optional[str] = None, as_dicts: bool = True, spans_key: Optional[str] = "govlint"):
        if profile not in PROFILES:
            raise ValueError(f"govlint 组件配置 profile：取值 {profile!r} 无效，应为 {'、'.join(PROFILES)}")
        self.name = name
        self.profile = profile
        self.select = select
        self.ignore = ignore
        self.config_path = config
        self.as_dicts = as_dicts
        self.spans_key = spans_key
        self._config = None

    @property
    def config(self):
        """The govlint Config, built on first use (this imports the rules)."""
        if self._config is None:
            from pathlib import Path

            from govlint.config import Config, load_file
            base = Config()
            if self.config_path:
                base = load_file(Path(self.config_path)) or Config()
            over: dict = {"profile": self.profile}
            sel, ign = _codes(self.select, "select"), _codes(self.ignore, "ignore")
            if sel is not None:
                over["select"] = sel
            if ign is not None:
                over["ignore"] = ign
            self._config = base.override(**over)
        return self._config

    def __call__(self, doc: Doc) -> Doc:
        from govlint import engine
        from govlint.document import Document
        path = str(doc.user_data.get("path") or "<spacy>")
        kind = "md" if path.lower().endswith((".md", ".markdown")) else "txt"
        gdoc = Document.from_text(doc.text, path, kind)
        findings = engine.lint(gdoc, self.config)
        if self.as_dicts:
            from govlint.output.json_ import finding_dict
            doc._.set(EXTENSION, [finding_dict(f, gdoc) for f in findings])
        else:
            doc._.set(EXTENSION, list(findings))
        if self.spans_key:
            spans = []
            for f in findings:
                span = doc.char_span(f.start, max(f.end, f.start + 1), label=f.code, alignment_mode="expand")
                if span is not None and len(span):      # a stray space alone has no token
                    spans.append(span)
            doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc


@Language.factory(
    "govlint",
    default_config={"profile": "auto", "select": None, "ignore": None, "config": None,
                    "as_dicts": True, "spans_key": "govlint"},
)
def make_govlint(nlp: Language, name: str, profile: str, select: Optional[List[str]],
                 ignore: Optional[List[str]], config: Optional[str], as_dicts: bool,
                 spans_key: Optional[str]) -> GovlintComponent:
    return GovlintComponent(nlp, name, profile, select, ignore, config, as_dicts, spans_key)
