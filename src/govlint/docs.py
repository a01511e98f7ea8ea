"""Rule documentation generated from the registry (``govlint explain``, docs/rules.md)."""

from __future__ import annotations

from govlint import registry

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


def strip_marks(s: str) -> str:
    return s.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def rule_markdown(spec) -> str:
    lines = [f"## {spec.code} {spec.name}", "",
             f"- 默认级别：{spec.severity.label}（{spec.severity.zh}）",
             f"- 类别：{spec.family}（{registry.FAMILY_NAMES.get(spec.family, '')}）"]
    if spec.profiles:
        lines.append(f"- 适用报告类型：{', '.join(spec.profiles)}")
    if not spec.enabled_by_default:
        lines.append("- 默认关闭，用 --extend-select 启用")
    lines += ["", spec.doc, ""]
    if spec.options:
        lines += ["### Options", ""]
        for name, opt in spec.options.items():
            bounds = ""
            if opt.min is not None or opt.max is not None:
                bounds = f"; range {'' if opt.min is None else opt.min}…{'' if opt.max is None else opt.max}"
            lines.append(f"- `{name}` (default `{opt.default!r}`{bounds}): {opt.help}")
        lines.append("")
    if spec.bad:
        lines += ["### 错误示例 (flagged; ⟦ ⟧ marks the span)", ""]
        lines += ["```text", *[b.rstrip("\n") for b in spec.bad], "```", ""]
    if spec.good:
        lines += ["### 正确示例 (not flagged)", ""]
        lines += ["```text", *[g.rstrip("\n") for g in spec.good], "```", ""]
    return "\n".join(lines)


def rules_markdown() -> str:
    rules = registry.all_rules()
    out = ["# govlint rules", "",
           "Generated from the rule registry by `python -m govlint.docs > docs/rules.md`; do not edit by hand.", "",
           "| code | name | default severity | summary |", "|---|---|---|---|"]
    for s in rules.values():
        out.append(f"| [{s.code}](#{s.code.lower()}-{s.name}) | {s.name} | {s.severity.label} | {s.summary} |")
    out.append("")
    for s in rules.values():
        out.append(rule_markdown(s))
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys
    sys.stdout.write(rules_markdown())
