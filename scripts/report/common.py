"""Shared helpers of the report scripts: reading the JSON our C++ tools write,
number formatting, atomic writes, figure footers and the findings table.
Nothing here decides a verdict: every verdict is a finding in the JSON."""
import argparse
import json
import math
import os
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FOOTER_SPACE = 0.045  # fraction of the figure height kept free below the axes for the footer


def load(path):
    with open(path) as f:
        return json.load(f)


def finite(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def fmt(x, digits=4):
    """A number for a sentence or a table cell; '–' for missing values."""
    if not finite(x):
        return "–" if x is None or not isinstance(x, str) else x
    if x == 0:
        return "0"
    if abs(x) >= 1e5 or abs(x) < 1e-3:
        return f"{x:.{digits - 1}e}"
    return f"{x:.{digits}g}"


def pct(v, digits=2):
    return f"{100 * v:.{digits}f}%" if finite(v) else "n/a"


def pow10(lg, digits=3):
    """10^lg written without overflow, e.g. 4.13e+271."""
    if not finite(lg):
        return "–"
    e = math.floor(lg)
    m = 10 ** (lg - e)
    if m >= 9.9995:
        m, e = 1.0, e + 1
    return f"{m:.{digits - 1}f}e{e:+d}"


def atomic_write(path, text):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp.", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_fig(fig, path, command):
    """Footer with the command below the axes (space kept by layout()), atomic write."""
    fig.text(0.01, 0.008, f"made by: {command}", fontsize=7, color="grey", va="bottom")
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp.", suffix=".png")
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=110)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def layout(fig, top=0.94):
    """tight_layout that leaves FOOTER_SPACE at the bottom, so the footer never meets tick labels."""
    fig.tight_layout(rect=(0, FOOTER_SPACE, 1, top))


def verdict(f):
    return "**holds**" if f["holds"] else "**does not hold**"


def numbers_text(numbers):
    return ", ".join(f"{k} = {fmt(v)}" for k, v in numbers.items())


def findings_table(findings):
    """Every finding with its verdict, the criterion it was decided by and its numbers."""
    lines = ["| finding | subject | verdict | criterion (thresholds in lib/study/findings.hpp) | numbers |",
             "|---|---|---|---|---|"]
    for f in findings:
        lines.append(f"| `{f['id']}` | {f['subject']} | {verdict(f)} | {f['criterion']} | "
                     f"{numbers_text(f['numbers'])} |")
    return "\n".join(lines)


def by_id(findings, fid):
    return [f for f in findings if f["id"] == fid]


def report_arguments(doc, default_command):
    """--dir, --report, --seconds and --command of a report script whose docstring is doc."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--command", default=default_command)
    return ap.parse_args()
