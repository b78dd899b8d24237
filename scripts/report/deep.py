#!/usr/bin/env python3
"""The depth report (deep.md in reports/, `make report-deep`) and its figures, from
the JSON that `initlab train` wrote for each initializer and depth
(scripts/report-deep.sh; the default criticality report runs the depths that fit
its budget and draws them with section()). It states no
verdict: it tabulates and draws the held-out accuracy over seeds against depth and
the per-layer gradient second moment E[(dL/dh^l)^2] at step 0 that the tool measured.

    /usr/bin/python3 scripts/report/deep.py --dir DIR --report REPORT.md \
        [--seconds S] [--command CMD]
"""
import glob
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import atomic_write, report_arguments, finite, fmt, layout, load, pct, plt, save_fig  # noqa: E402

FILE = re.compile(r"(?P<label>.+)-L(?P<depth>\d+)\.json$")


def collect(dirname):
    """{label: {depth: train JSON}} for every LABEL-LDEPTH.json in dirname."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(dirname, "*-L*.json"))):
        m = FILE.match(os.path.basename(path))
        if m:
            runs.setdefault(m["label"], {})[int(m["depth"])] = load(path)
    return runs


def mean_sd(xs):
    xs = [x for x in xs if finite(x)]
    if not xs:
        return math.nan, math.nan
    m = sum(xs) / len(xs)
    return m, (math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else math.nan)


def log10_grad2(doc):
    """Per-layer mean over seeds of log10 E[(dL/dh^l)^2] at step 0 (None where it is 0 or missing)."""
    per_seed = [r.get("grad2_step0") or [] for r in doc["runs"]]
    out = []
    for values in zip(*per_seed):
        logs = [math.log10(v) for v in values if v is not None and v > 0]
        out.append(sum(logs) / len(logs) if len(logs) == len(values) else None)
    return out


def accuracy_figure(runs, path, command):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, by_depth in sorted(runs.items()):
        depths = sorted(by_depth)
        stats = [mean_sd([r["held_out_accuracy"] for r in by_depth[d]["runs"]]) for d in depths]
        ax.errorbar(depths, [100 * (m if finite(m) else math.nan) for m, _ in stats],
                    yerr=[100 * (s if finite(s) else 0) for _, s in stats], fmt="o-", ms=4, capsize=2, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("hidden layers L (width 256)")
    ax.set_ylabel("held-out accuracy (%), mean ± sd over seeds")
    ax.set_title("MNIST, SGD: held-out accuracy against depth (a diverged run has no accuracy)", fontsize=9)
    ax.legend(fontsize=7)
    layout(fig)
    save_fig(fig, path, command)


def gradient_figure(runs, path, command):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, by_depth in sorted(runs.items()):
        d = max(by_depth)
        g = log10_grad2(by_depth[d])
        ax.plot(range(1, len(g) + 1), [v if v is not None else math.nan for v in g], "-", label=f"{label}, L = {d}")
    ax.set_xlabel("layer l (1 = first hidden layer; the last is the output)")
    ax.set_ylabel("log10 E[(dL/dh^l)^2] at step 0")
    ax.set_title("per-layer gradient second moment before the first update, deepest net of each init", fontsize=9)
    ax.legend(fontsize=7)
    layout(fig)
    save_fig(fig, path, command)


def table(runs):
    lines = ["| init | L | seeds | held-out accuracy | diverged | log10 E[(dL/dh^1)^2] | log10 E[(dL/dh^L)^2] | "
             "seconds per run |", "|---|---|---|---|---|---|---|---|"]
    for label, by_depth in sorted(runs.items()):
        for d in sorted(by_depth):
            rs = by_depth[d]["runs"]
            m, s = mean_sd([r["held_out_accuracy"] for r in rs])
            g = log10_grad2(by_depth[d])
            first, last = (g[0], g[-2]) if len(g) > 1 else (None, None)
            lines.append(f"| `{label}` | {d} | {len(rs)} | {pct(m)} ± {pct(s)} | {sum(r['diverged'] for r in rs)} | "
                         f"{fmt(first) if first is not None else '–'} | {fmt(last) if last is not None else '–'} | "
                         f"{fmt(sum(r['seconds'] for r in rs) / len(rs))} |")
    return "\n".join(lines)


def section(dirname, rel, heading, command, runs=None):
    """Markdown lines of the depth demonstration and its two figures (drawn into dirname);
    runs is collect(dirname) when the caller has read it already."""
    runs = collect(dirname) if runs is None else runs
    if not runs:
        return []
    accuracy_figure(runs, os.path.join(dirname, "accuracy-vs-depth.png"), command)
    gradient_figure(runs, os.path.join(dirname, "grad2-step0.png"), command)
    some = next(iter(next(iter(runs.values())).values()))
    return [heading, f"Each run: `{some['provenance']['command'] if 'provenance' in some else ''}` with its "
            f"own depth, activation, initializer and bias; {some['description']}. The tanh critical initializer "
            "with a bias is `initlab critical --activation tanh --bias-std 0.1`; the orthogonal runs sit at each "
            "activation's critical point without bias (tanh sw2 = 1, ReLU sw2 = 2). The gradient columns are at "
            "the first hidden layer and the last hidden layer, before any update (mean of log10 over seeds).\n",
            f"![accuracy against depth]({rel}/accuracy-vs-depth.png)\n",
            f"![gradient second moment at step 0]({rel}/grad2-step0.png)\n", table(runs), ""]


def run_time(runs):
    """The measured cost of the demonstration: the sum of every run's own clock (an interrupted
    make report-deep keeps the runs it finished, so this can exceed the last invocation's time)."""
    docs = [doc for by_depth in runs.values() for doc in by_depth.values()]
    total = sum(doc["seconds"] for doc in docs)
    commits = sorted({doc.get("provenance", {}).get("commit", "?") for doc in docs})
    return (f"Its {len(docs)} runs' own wall clocks add up to {total:.0f} s ({total / 3600:.2f} h; runs made side "
            f"by side share the cores, so the sum can exceed the time taken), made by initlab at commit "
            f"{', '.join(commits)}.")


def main():
    a = report_arguments(__doc__, "scripts/report/deep.py")
    rel = os.path.relpath(a.dir, os.path.dirname(os.path.abspath(a.report)))
    took = f" in {a.seconds:.0f} s" if a.seconds is not None else ""
    runs = collect(a.dir)
    md = ["# Depth that only a good initialization survives\n",
          f"Generated by `{a.command}` (`make report-deep`){took}; do not edit. Every number comes from the "
          f"JSON `initlab train` wrote into `{a.dir}/`. Theory: docs/theory.md §5 (the critical line) and §17 "
          f"(dynamical isometry). {run_time(runs)}\n"]
    md += section(a.dir, rel, "## Held-out accuracy and step-0 gradients against depth\n", a.command, runs)
    atomic_write(a.report, "\n".join(md) + "\n")
    print(f"report/deep: wrote {a.report} and 2 figures in {a.dir}")


if __name__ == "__main__":
    main()
