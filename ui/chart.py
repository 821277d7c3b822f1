"""The 评测 tab's chart: the 0..1 metrics of a run as HTML bars, meetrag beside the baseline.

``eval/report.py`` also draws ``chart.png`` for the report folder, with English
labels and a fixed size. The web app draws its own from the same summary: plain
HTML and CSS, so the labels are Chinese, the browser's fonts render them (no CJK
font needed on the server), and the bars take the page's width on a phone.

Left out on purpose: latency (milliseconds do not share the 0..1 axis; the
table shows them) and any JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ui.render import esc

# (key, label) of the metrics that live in 0..1, in display order.
SHARE_METRICS = (
    ("hit_at_1", "检索首位命中 hit@1"),
    ("hit_at_5", "检索前五命中 hit@5"),
    ("mrr", "平均倒数排名 MRR"),
    ("answer_accuracy", "回答正确率"),
    ("refusal_precision", "拒答精确率"),
    ("refusal_recall", "拒答召回率"),
    ("faithfulness", "忠实度"),
    ("faithfulness_llm", "忠实度(大模型评判)"),
    ("citation_recall", "引用召回率"),
    ("citation_precision", "引用精确率"),
    ("summary_field_precision", "纪要字段精确率"),
    ("summary_field_recall", "纪要字段召回率"),
)
NO_VALUE = "—"  # nothing to measure (e.g. refusal precision when nothing was refused)


def share(value: Any) -> str:
    """``0.923`` -> ``0.92``; None (nothing to measure) -> ``—``."""
    return f"{value:.2f}" if isinstance(value, int | float) else NO_VALUE


def _bar(value: Any, side: str) -> str:
    width = max(0.0, min(1.0, float(value))) * 100 if isinstance(value, int | float) else 0.0
    return (
        f'<div class="mr-bar-line"><div class="mr-bar mr-{side}" style="width:{width:.1f}%"></div>'
        f'<span class="mr-bar-value">{share(value)}</span></div>'
    )


def chart_html(summary: Mapping[str, Any] | None) -> str:
    """Bars for each 0..1 metric in ``summary`` (report.json's ``summary``; its
    ``baseline`` nested), or an empty string when there is nothing to draw."""
    if not summary:
        return ""
    base = summary.get("baseline") or {}
    rows = []
    for key, label in SHARE_METRICS:
        if key not in summary:
            continue
        bars = _bar(summary[key], "ours") + (_bar(base.get(key), "base") if base else "")
        rows.append(f'<div class="mr-chart-row"><div class="mr-chart-label">{esc(label)}</div>'
                    f'<div class="mr-chart-bars">{bars}</div></div>')
    if not rows:
        return ""
    legend = '<span class="mr-key mr-ours"></span>meetrag' + (
        '<span class="mr-key mr-base"></span>基线(LangChain)' if base else "")
    n = summary.get("n")
    title = "meetrag 与基线对比" if base else "meetrag 各项指标"
    return (
        f'<div class="mr-chart"><div class="mr-chart-title">{title}'
        f'{f"({n} 题)" if n is not None else ""}</div>'
        f'<div class="mr-legend">{legend}</div>{"".join(rows)}</div>'
    )
