#!/usr/bin/env python3
"""reports/training.md and its figures, from the JSON records `initlab train --out DIR`
writes (scripts/reports/30-training.sh). Verdicts are the JSON's findings; this
script only formats them and draws.

    /usr/bin/python3 scripts/report/training.py --dir reports/training --report reports/training.md \
        [--seconds S] [--command CMD]
"""
import argparse
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import atomic_write, findings_table, finite, fmt, load, pct  # noqa: E402
from training_figures import (boundary_figure, cost_figure, curve, digit_grid_figure,  # noqa: E402
                              mnist_cost_figure, mnist_histogram_figure)
from training_sentences import sentence  # noqa: E402

COURSE_PUBLISHED = {"zeros": (0.50, 0.50), "normal:10": (0.83, 0.86), "he_normal": (0.993, 0.96)}


def by_init(doc):
    out = {}
    for r in doc["runs"]:
        out.setdefault(r["init"], []).append(r)
    return out


def status(runs):
    div = [r for r in runs if r["diverged"]]
    return "; ".join(f"seed {r['seed']}: {r['message']}" for r in div) if div else "no run diverged"


def spread(vals):
    vals = [v for v in vals if finite(v)]
    if len(vals) < 2:
        return pct(vals[0]) if vals else "n/a"
    return (f"{pct(statistics.mean(vals))} ± {100 * statistics.stdev(vals):.2f} "
            f"(min {pct(min(vals))}, max {pct(max(vals))})")


def mean_of(vals):
    vals = [v for v in vals if finite(v)]
    return statistics.mean(vals) if vals else None


def findings_lines(doc):
    return [f"- {sentence(f)}" for f in doc.get("findings", [])] + [""]


def head(doc, title):
    return [f"## {title}\n", f"Command: `{doc['provenance']['command']}`  \nSetup: {doc['description']}.  \n"
            f"Data: {doc['data_source']}.\n"]


def mnist_table(groups):
    lines = ["| init | held-out accuracy (mean ± sd over seeds) | train accuracy (mean) | final cost (mean) | "
             "seconds per run | divergence |", "|---|---|---|---|---|---|"]
    for name, runs in groups.items():
        lines.append(f"| `{name}` | {spread([r['held_out_accuracy'] for r in runs])} | "
                     f"{pct(mean_of([r['train_accuracy'] for r in runs]))} | "
                     f"{fmt(mean_of([r['train_loss'] for r in runs]))} | "
                     f"{statistics.mean(r['seconds'] for r in runs):.1f} | {status(runs)} |")
    return lines


def saturation_lines(groups):
    out = ["Fraction of hidden activations with |a| > 0.99 per layer (exact, from the activations), first seed:\n",
           "| init | after initialization | after training |", "|---|---|---|"]
    for name, runs in groups.items():
        h = runs[0].get("histograms")
        if h:
            cells = [" / ".join(pct(v, 1) for v in h[k]) for k in ("saturated_init", "saturated_trained")]
            out.append(f"| `{name}` | {cells[0]} | {cells[1]} |")
    return out + [""]


def mnist_grids(doc, groups, d, cmd):
    lines = []
    for name, tag in (("note_xavier", "xavier"), ("note_standard_normal", "standard_normal")):
        if "grid" not in doc or name not in groups or "grid_predictions" not in groups[name][0]:
            continue
        pred = groups[name][0]["grid_predictions"]
        wrong = digit_grid_figure(doc["grid"], name, pred, f"{d}/mnist_grid_{tag}.png", cmd)
        lines += [f"![{name} digit grid](training/mnist_grid_{tag}.png)\n",
                  f"`{name}` (seed {groups[name][0]['seed']}): misclassified {wrong}/{len(pred)} of the first "
                  f"{len(pred)} held-out digits.\n"]
    return lines


def mnist_section(doc, d, cmd):
    groups = by_init(doc)
    lines = head(doc, "1. MNIST: the note's five-layer tanh network")
    lines.append(f"{doc['seeds']} seeds per initializer (weight seeds {doc['seed']}..{doc['seed'] + doc['seeds'] - 1}); "
                 f"{doc['epochs']} epochs of {doc['steps_per_epoch']} steps (MNIST_EPOCHS in "
                 "scripts/reports/30-training.sh).\n")
    mnist_cost_figure(groups, doc, f"{d}/mnist_cost.png", cmd)
    lines += ["![MNIST cost curves](training/mnist_cost.png)\n"] + mnist_table(groups) + [""]
    lines += findings_lines(doc)
    first = [runs[0] for runs in groups.values() if "histograms" in runs[0]]
    for when in ("init", "trained") if first else ():
        mnist_histogram_figure(first, when, f"{d}/mnist_hist_{when}.png", cmd)
    lines += ["Per-layer activation histograms, after initialization and after training:\n",
              "![after initialization](training/mnist_hist_init.png)\n",
              "![after training](training/mnist_hist_trained.png)\n"] + saturation_lines(groups)
    return "\n".join(lines + mnist_grids(doc, groups, d, cmd))


def first_reach(run, level):
    steps, ys = curve(run)
    return next((s for s, v in zip(steps, ys) if finite(v) and v < level), None)


def playground_section(doc, d, cmd):
    groups = by_init(doc)
    lines = head(doc, f"2. Playground: [2, 6, 3, 1] on the {doc['dataset']} set")
    cost_figure(groups, "epoch (full batch)", "cost (logistic cross-entropy)", f"playground cost, {doc['dataset']}",
                f"{d}/playground_cost.png", cmd)
    boundary_figure(doc, groups, "decision boundaries after training: P(y = 1); dots: the training points", "train",
                    f"{d}/playground_boundary.png", cmd)
    lines += ["![playground cost](training/playground_cost.png)\n", "![playground boundaries](training/playground_boundary.png)\n",
              "| init | spec | n E[W^2] | cost at step 0 | final cost | first step with cost < 0.1 | train accuracy | divergence |",
              "|---|---|---|---|---|---|---|---|"]
    for name, runs in groups.items():
        r = runs[0]
        reach = first_reach(r, 0.1)
        lines.append(f"| `{name}` | `{r['spec']}` | {r['n_EW2_layer1']:g} | {fmt(curve(r)[1][0])} | {fmt(r['train_loss'])} | "
                     f"{reach if reach is not None else 'never'} | {pct(r['train_accuracy'])} | {status(runs)} |")
    return "\n".join(lines + [""] + findings_lines(doc))


def course_section(doc, d, cmd):
    groups = by_init(doc)
    lines = head(doc, "3. The course's circles") + [
        "| init | train accuracy (mean over seeds) | test accuracy | course train / test | final cost | divergence |",
        "|---|---|---|---|---|---|"]
    for name, runs in groups.items():
        pub = COURSE_PUBLISHED.get(name)
        lines.append(f"| `{name}` | {spread([r['train_accuracy'] for r in runs])} | "
                     f"{spread([r['held_out_accuracy'] for r in runs])} | "
                     f"{f'{pct(pub[0])} / {pct(pub[1])}' if pub else '-'} | "
                     f"{fmt(mean_of([r['train_loss'] for r in runs]))} | {status(runs)} |")
    boundary_figure(doc, groups, "P(y = 1) after training (seed of the first run); dots: the training points", "test",
                    f"{d}/course_boundary.png", cmd)
    lines += ["", "![course boundaries](training/course_boundary.png)\n"]
    if "normal:10" in groups:
        r = groups["normal:10"][0]
        lines.append(f"The course reports the first cost of `randn * 10` as inf (its cost evaluates log(sigmoid)); "
                     f"initlab's fused logistic loss reads the logits and stays finite: {fmt(curve(r)[1][0])} at "
                     f"step 0 (seed {r['seed']}).\n")
    return "\n".join(lines + findings_lines(doc))


def sweep_lines(d):
    out = []
    for path in sorted(p for p in os.listdir(d) if p.startswith("deep-linear-lr") and p.endswith(".json")):
        doc = load(os.path.join(d, path))
        out.append(f"\nlr {doc['lr']:g} (`{doc['provenance']['command']}`):\n")
        out += findings_lines(doc)
    return out


def deep_linear_section(doc, d, cmd):
    groups = by_init(doc)
    lines = head(doc, "4. The 2x2 deep linear network (L = 10)")
    cost_figure(groups, "iteration (full batch)", "cost (mean squared error)",
                f"2x2 deep linear net, L = 10, lr {doc['lr']:g}", f"{d}/deep_linear_cost.png", cmd)
    lines += ["![deep linear cost](training/deep_linear_cost.png)\n"] + findings_lines(doc)
    sweep = sweep_lines(d)
    if sweep:
        lines += ["The oscillation depends on the step size; `identity:1.5` alone at other learning rates:"] + sweep
    return "\n".join(lines)


SECTIONS = [("note-mnist.json", mnist_section), ("playground-rings.json", playground_section),
            ("course-circles.json", course_section), ("deep-linear.json", deep_linear_section)]


def every_finding(a):
    docs = [load(os.path.join(a.dir, f)) for f in sorted(os.listdir(a.dir)) if f.endswith(".json")]
    return ["## Every finding\n", "Each verdict above, its criterion and its numbers:\n",
            findings_table([f for doc in docs for f in doc.get("findings", [])]), ""]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="reports/training")
    ap.add_argument("--report", default="reports/training.md")
    ap.add_argument("--seconds", type=float, default=float("nan"))
    ap.add_argument("--command", default="scripts/report/training.py")
    a = ap.parse_args()
    parts = [f"Generated by `{a.command}` (`make report`) from the JSON records in {a.dir}/; do not edit. Every "
             "verdict is a finding in those records, decided by `lib/study/training_findings.cpp` with the "
             "thresholds of `lib/study/findings.hpp`.\n", "# Training from each initialization\n"]
    total = 0.0
    for fname, section in SECTIONS:
        path = os.path.join(a.dir, fname)
        if not os.path.exists(path):
            print(f"report/training: error: {path} is missing; run scripts/reports/30-training.sh", file=sys.stderr)
            return 2
        doc = load(path)
        total += doc["seconds"]
        parts.append(section(doc, a.dir, a.command))
    parts += every_finding(a)
    if finite(a.seconds):
        parts.append(f"## Run time\n\nThe training part of `make report` took {a.seconds:.0f} s ({total:.0f} s inside "
                     f"the training loops) on this machine ({os.cpu_count()} cores).\n")
    atomic_write(a.report, "\n".join(parts))
    print(f"report/training: wrote {a.report} and the figures in {a.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
