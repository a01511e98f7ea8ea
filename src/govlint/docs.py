"""Rule documentation generated from the registry (``govlint explain``, docs/rules.md)."""

from __future__ import annotations

from govlint import registry

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
PROFILE_NAMES = {"self-eval": "绩效自评报告", "generic": "一般政府报告"}


def strip_marks(s: str) -> str:
    return s.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def _wrap(text: str) -> str:
    """Chinese prose as written in rule_docs_zh.toml: paragraphs kept, no hard wrapping."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def rule_markdown(spec, anchor: bool = False) -> str:
    """One rule's documentation in Chinese (``govlint explain``; with ``anchor``, a section of docs/rules.md)."""
    lines = [f'<a id="{spec.code.lower()}"></a>', ""] if anchor else []
    lines += [f"## {spec.code} {spec.title_zh}", "",
             f"- 英文标识：`{spec.name}`（稳定不变）",
             f"- 默认级别：{spec.severity.zh}（{spec.severity.label}）",
             f"- 类别：{registry.FAMILY_NAMES.get(spec.family, '')}（{spec.family}）"]
    if spec.profiles:
        lines.append(f"- 适用报告类型：{'、'.join(f'{PROFILE_NAMES.get(p, p)}（{p}）' for p in spec.profiles)}")
    if not spec.enabled_by_default:
        lines.append("- 默认关闭，用 --extend-select 启用")
    lines += ["", _wrap(spec.doc_zh), ""]
    if spec.why_zh:
        lines += [f"**为什么重要：**{spec.why_zh}", ""]
    if spec.options:
        lines += ["### 选项", ""]
        for name, opt in spec.options.items():
            bounds = ""
            if opt.min is not None or opt.max is not None:
                bounds = f"，取值范围 {'' if opt.min is None else opt.min}…{'' if opt.max is None else opt.max}"
            lines.append(f"- `{name}`（默认 `{opt.default!r}`{bounds}）：{spec.option_help(name)}")
        lines.append("")
    if spec.bad:
        lines += ["### 错误示例（会被报告；⟦ ⟧ 标出问题位置）", ""]
        lines += ["```text", *[b.rstrip("\n") for b in spec.bad], "```", ""]
    if spec.good:
        lines += ["### 正确示例（不会被报告）", ""]
        lines += ["```text", *[g.rstrip("\n") for g in spec.good], "```", ""]
    return "\n".join(lines)


SEVERITY_POLICY = [
    "## 级别（severity policy）", "",
    "每条规则有一个默认级别，个别问题可按情形升降一级（例如 SCORE002 对已说明原因、影响较小的未完成事项只给提示）。"
    "定级原则：",
    "",
    "- **错误（error）**：仅凭报告文字即可确定的错误——数字算不平、得分与等级不符、模板占位符未替换。"
    "错误必须是确定的：凡需要猜测某个数字或说法指什么的，不报错误。",
    "- **警告（warning）**：评审人员会提出意见的问题——缺少章节、未完成原因未说明、指标无数据、高分与自述问题矛盾。"
    "`--fail-on warning`（默认）时，警告会使检查失败，所以写得规范的报告不应出现警告。",
    "- **提示（info）**：值得看一眼、但不一定要改的地方——口语化表达、序次语标点、可能的前后不一致。",
    "",
    "拿不准某个数字或说法指什么时，规则保持沉默。每条规则都有“正确示例”：这些是规范报告中常见、"
    "而简单规则容易误报的写法。",
    "",
    "Policy (English): error = certain from the text alone; warning = a reviewer would comment; info = worth a "
    "look. When unsure what a figure or phrase refers to, a rule stays silent.",
    "",
]


def rules_markdown() -> str:
    rules = registry.all_rules()
    out = ["# govlint 规则", "",
           "<!-- Generated from the rule registry and src/govlint/rule_docs_zh.toml by "
           "`python -m govlint.docs > docs/rules.md`; do not edit by hand. -->", "",
           "本文件由规则注册表自动生成。规则的中文名称和说明见各节；英文标识（slug）是规则稳定的程序标识。", "",
           *SEVERITY_POLICY,
           "## 规则一览", "",
           "| 代码 | 名称 | 标识 | 默认级别 | 说明 |", "|---|---|---|---|---|"]
    for s in rules.values():
        out.append(f"| [{s.code}](#{s.code.lower()}) | {s.title_zh} | `{s.name}` | {s.severity.zh} | {s.summary} |")
    out.append("")
    for s in rules.values():
        out.append(rule_markdown(s, anchor=True))
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys
    sys.stdout.write(rules_markdown())
