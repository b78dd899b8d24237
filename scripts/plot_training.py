#!/usr/bin/python3
"""Draws the training report from the JSON records `initlab train --out DIR` writes.

    /usr/bin/python3 scripts/plot_training.py --dir reports/training --report reports/training.md \
        --seconds 123 --command "scripts/reports/30-training.sh build"

Reads DIR/note-mnist.json, playground-rings.json, course-circles.json, deep-linear.json;
writes PNGs into DIR and the report (through a temporary file renamed into place).
Every sentence with a number is computed from those records.
"""
import argparse
import base64
import json
import math
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

COLORS = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b"]
COURSE_PUBLISHED = {"zeros": (0.50, 0.50), "normal:10": (0.83, 0.86), "he_normal": (0.993, 0.96)}


def load(path):
    with open(path) as f:
        return json.load(f)


def save(fig, path, command):
    fig.text(0.01, 0.005, f"made by: {command}", fontsize=6, color="gray")
    fig.savefig(path + ".tmp.png", dpi=110)
    plt.close(fig)
    os.replace(path + ".tmp.png", path)


def finite(v):
    return v is not None and isinstance(v, (int, float)) and math.isfinite(v)


def pct(v):
    return f"{100 * v:.2f}%" if finite(v) else "n/a"


def by_init(doc):
    out = {}
    for r in doc["runs"]:
        out.setdefault(r["init"], []).append(r)
    return out


def curve(run):
    pts = run["curve"]
    return [p[0] for p in pts], [p[2] if finite(p[2]) else float("nan") for p in pts]


def status(runs):
    div = [r for r in runs if r["diverged"]]
    if not div:
        return "no run diverged"
    return "; ".join(f"seed {r['seed']}: {r['message']}" for r in div)


def stats_line(vals):
    vals = [v for v in vals if finite(v)]
    if not vals:
        return "n/a", float("nan")
    m = statistics.mean(vals)
    if len(vals) == 1:
        return pct(m), m
    return f"{pct(m)} ± {100 * statistics.stdev(vals):.2f} (min {pct(min(vals))}, max {pct(max(vals))})", m


# ---------------------------------------------------------------- MNIST
def mnist_section(doc, d, cmd):
    groups = by_init(doc)
    lines = [f"## 1. MNIST: the note's five-layer tanh network\n",
             f"Command: `{doc['provenance']['command']}`  \nSetup: {doc['description']}.  \nData: {doc['data_source']}; "
             f"one fixed permutation (seed {doc['seed']}) before batches are taken in order, held-out "
             f"digits drawn after it. {doc['seeds']} seeds per initializer (weights seeds "
             f"{doc['seed']}..{doc['seed'] + doc['seeds'] - 1}); {doc['epochs']} epochs of "
             f"{doc['steps_per_epoch']} steps each (MNIST_EPOCHS in scripts/reports/30-training.sh, set to keep "
             f"the training report within its 10-minute budget on 2 cores; the measured time is at the end).\n"]
    # cost curves and held-out accuracy per epoch
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]})
    for c, (name, runs) in zip(COLORS, groups.items()):
        for k, r in enumerate(runs):
            x, y = curve(r)
            ax.plot(x, y, color=c, lw=1.2 if k == 0 else 0.6, alpha=1 if k == 0 else 0.4,
                    label=name if k == 0 else None)
            if "epochs" in r:
                col = r["epoch_columns"].index("held_out_accuracy")
                ep = [e[0] + 1 for e in r["epochs"]]
                acc = [100 * e[col] if finite(e[col]) else float("nan") for e in r["epochs"]]
                ax2.plot(ep, acc, color=c, marker="o", ms=2.5, lw=1.2 if k == 0 else 0.6,
                         alpha=1 if k == 0 else 0.4, label=name if k == 0 else None)
    ax.set_yscale("log")
    ax.set_xlabel("step (batch of 100)")
    ax.set_ylabel("training cost (softmax cross-entropy, per batch)")
    ax.set_title(f"MNIST cost, {doc['epochs']} epochs ({len(next(iter(groups.values())))} seeds each)")
    ax.legend()
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("held-out accuracy (%)")
    ax2.set_ylim(0, 100)
    ax2.set_title(f"after each epoch, {doc['n_held_out']} held-out digits")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    save(fig, f"{d}/mnist_cost.png", cmd)
    lines.append("![MNIST cost curves](training/mnist_cost.png)\n")
    # accuracy table
    lines.append("| init | held-out accuracy (mean ± sd over seeds) | train accuracy (mean) | final cost (mean) | "
                 "seconds per run | divergence |")
    lines.append("|---|---|---|---|---|---|")
    means = {}
    for name, runs in groups.items():
        acc, m = stats_line([r["held_out_accuracy"] for r in runs])
        means[name] = m
        tr = [r["train_accuracy"] for r in runs if finite(r["train_accuracy"])]
        cost = [r["train_loss"] for r in runs if finite(r["train_loss"])]
        secs = statistics.mean(r["seconds"] for r in runs)
        lines.append(f"| `{name}` | {acc} | {pct(statistics.mean(tr)) if tr else 'n/a'} | "
                     f"{statistics.mean(cost) if cost else float('nan'):.4f} | {secs:.1f} | {status(runs)} |")
    ranked = sorted((m, n) for n, m in means.items() if finite(m))[::-1]
    lines.append("")
    if ranked:
        best = ranked[0][1]
        order = " > ".join(f"`{n}` ({pct(m)})" for m, n in ranked)
        lines.append(f"Ranking by mean held-out accuracy: {order}. ")
        if "note_xavier" in means:
            claim = "holds" if best == "note_xavier" else "does not hold"
            lines.append(f"The note's claim that Xavier trains best {claim} here. ")
        first_epoch = []
        for name, runs in groups.items():
            accs = [r["epochs"][0][r["epoch_columns"].index("held_out_accuracy")] for r in runs if r.get("epochs")]
            accs = [a for a in accs if finite(a)]
            if accs:
                first_epoch.append(f"`{name}` {pct(statistics.mean(accs))}")
        if first_epoch:
            lines.append("Held-out accuracy after the first epoch (mean over seeds): " + ", ".join(first_epoch) + ". ")
        if "note_zero" in groups:
            z = groups["note_zero"][0]
            lines.append(f"With zero weights every hidden unit computes the same value, so the network "
                         f"stays near the uniform guess: final cost {z['train_loss']:.4f} against "
                         f"ln 10 = {math.log(10):.4f}, held-out accuracy {pct(z['held_out_accuracy'])}. ")
    lines.append("\n")
    # histograms
    names = list(groups)
    for when in ("init", "trained"):
        first = [groups[n][0] for n in names if "histograms" in groups[n][0]]
        if not first:
            continue
        layers = len(first[0]["histograms"][when])
        fig, axes = plt.subplots(len(first), layers, figsize=(2.6 * layers, 1.9 * len(first)),
                                 squeeze=False, sharex=True)
        for i, r in enumerate(first):
            h = r["histograms"]
            edges = np.linspace(h["lo"], h["hi"], h["bins"] + 1)
            for l, hl in enumerate(h[when]):
                counts = np.array(hl["counts"], dtype=float)
                total = counts.sum() + hl["below"] + hl["above"] + hl["nonfinite"]
                ax = axes[i][l]
                ax.bar(edges[:-1], counts / max(total, 1), width=edges[1] - edges[0], align="edge",
                       color=COLORS[i % len(COLORS)])
                ax.set_yticks([])
                if i == 0:
                    ax.set_title(f"layer {hl['layer']}")
                if l == 0:
                    ax.set_ylabel(r["init"].replace("note_", ""), fontsize=8)
        fig.suptitle(f"tanh activations of the held-out digits, 200 bins on [-1.2, 1.2], "
                     f"{'after initialization' if when == 'init' else 'after training'} (seed {first[0]['seed']})")
        fig.tight_layout(rect=(0, 0.02, 1, 0.96))
        save(fig, f"{d}/mnist_hist_{when}.png", cmd)
    lines.append("Per-layer activation histograms, after initialization and after training:\n")
    lines.append("![after initialization](training/mnist_hist_init.png)\n")
    lines.append("![after training](training/mnist_hist_trained.png)\n")
    lines.append(hist_words(groups))
    # digit grids
    if "grid" in doc:
        g = doc["grid"]
        px = np.frombuffer(base64.b64decode(g["pixels_u8_base64"]), dtype=np.uint8)
        px = px.reshape(-1, g["side"], g["side"])
        labels = g["labels"]
        for name, tag in (("note_xavier", "xavier"), ("note_standard_normal", "standard_normal")):
            if name not in groups or "grid_predictions" not in groups[name][0]:
                continue
            pred = groups[name][0]["grid_predictions"]
            wrong = sum(int(p != t) for p, t in zip(pred, labels))
            fig, axes = plt.subplots(10, 10, figsize=(6, 6.4))
            for k, ax in enumerate(axes.flat):
                ax.axis("off")
                if k >= len(pred):
                    continue
                ok = pred[k] == labels[k]
                rgb = np.zeros((g["side"], g["side"], 3))
                inten = px[k] / 255.0
                col = (0.1, 0.3, 1.0) if ok else (1.0, 0.1, 0.1)
                for ch in range(3):
                    rgb[..., ch] = 1 - inten * (1 - col[ch])
                ax.imshow(rgb)
                ax.set_title(str(pred[k]), fontsize=6, color=col, pad=1)
            fig.suptitle(f"{name}: misclassified {wrong}/{len(pred)}\n"
                         f"(blue correct, red wrong; small title = prediction)", fontsize=10)
            save(fig, f"{d}/mnist_grid_{tag}.png", cmd)
            lines.append(f"![{name} digit grid](training/mnist_grid_{tag}.png)\n")
            lines.append(f"`{name}` (seed {groups[name][0]['seed']}): misclassified {wrong}/{len(pred)} of the "
                         f"first {len(pred)} held-out digits.\n")
    return "\n".join(lines)


def hist_words(groups):
    out = []
    for name, runs in groups.items():
        r = runs[0]
        if "histograms" not in r:
            continue
        h = r["histograms"]
        edges = np.linspace(h["lo"], h["hi"], h["bins"] + 1)
        centers = (edges[:-1] + edges[1:]) / 2

        def describe(hl):
            counts = np.array(hl["counts"], dtype=float)
            tot = counts.sum() + hl["below"] + hl["above"] + hl["nonfinite"]
            sat = counts[np.abs(centers) > 0.99].sum() / tot
            near0 = counts[np.abs(centers) < 0.06].sum() / tot
            return sat, near0

        first_i, last_i = describe(h["init"][0]), describe(h["init"][-1])
        out.append(f"- `{name}` at initialization: layer 1 has {100 * first_i[0]:.1f}% of activations with "
                   f"|a| > 0.99 and {100 * first_i[1]:.1f}% with |a| < 0.06; layer {h['init'][-1]['layer']} has "
                   f"{100 * last_i[0]:.1f}% and {100 * last_i[1]:.1f}%.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- playground
def decode_boundary(b):
    p = np.frombuffer(base64.b64decode(b["p_u8_base64"]), dtype=np.uint8).astype(float) / 255
    return p.reshape(b["n"], b["n"])


def toy_points(doc):
    x = np.array(doc["points"]["x"]).reshape(-1, 2)
    return x, np.array(doc["points"]["labels"])


def playground_section(doc, d, cmd):
    groups = by_init(doc)
    lines = [f"## 2. Playground: [2, 6, 3, 1] on the {doc['dataset']} set\n",
             f"Command: `{doc['provenance']['command']}`  \nSetup: {doc['description']}.  \nData: {doc['data_source']}. "
             f"Initializations W ~ N(0, v / n_in) with v = 0, 0.01, 1, 100, b = 0.\n"]
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for c, (name, runs) in zip(COLORS, groups.items()):
        x, y = curve(runs[0])
        ax.plot(x, y, color=c, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("epoch (full batch)")
    ax.set_ylabel("cost (logistic cross-entropy)")
    ax.legend()
    ax.set_title(f"playground cost, {doc['dataset']}")
    save(fig, f"{d}/playground_cost.png", cmd)
    pts, lab = toy_points(doc)
    fig, axes = plt.subplots(1, len(groups), figsize=(3.2 * len(groups), 3.4), squeeze=False)
    for ax, (name, runs) in zip(axes[0], groups.items()):
        b = runs[0]["boundary"]
        p = decode_boundary(b)
        hi = b["lo"] + b["step"] * (b["n"] - 1)
        ax.imshow(p, origin="lower", extent=(b["lo"], hi, b["lo"], hi), cmap="coolwarm_r", vmin=0, vmax=1)
        ax.scatter(pts[:, 0], pts[:, 1], c=["#1f77b4" if v else "#d62728" for v in lab], s=8,
                   edgecolors="white", linewidths=0.4)
        ax.set_title(f"{name}: train acc {pct(runs[0]['train_accuracy'])}", fontsize=8)
    fig.suptitle("decision boundaries on [-5, 5]^2 (step 0.1): P(y = 1)")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    save(fig, f"{d}/playground_boundary.png", cmd)
    lines += ["![playground cost](training/playground_cost.png)\n",
              "![playground boundaries](training/playground_boundary.png)\n",
              "| init | spec | cost at step 0 | final cost | steps to cost < 0.1 | train accuracy | divergence |",
              "|---|---|---|---|---|---|---|"]
    for name, runs in groups.items():
        r = runs[0]
        steps, ys = curve(r)
        reach = next((s for s, v in zip(steps, ys) if finite(v) and v < 0.1), None)
        lines.append(f"| `{name}` | `{r['spec']}` | {ys[0]:.4f} | {r['train_loss']:.4g} | "
                     f"{reach if reach is not None else 'never'} | {pct(r['train_accuracy'])} | {status(runs)} |")
    lines.append("")
    def plateau(run):
        # first step whose cost is 1% below the starting cost
        steps, ys = curve(run)
        return next((s for s, v in zip(steps, ys) if finite(v) and v < 0.99 * ys[0]), None)

    if "too_small" in groups and "appropriate" in groups:
        ps, pa = plateau(groups["too_small"][0]), plateau(groups["appropriate"][0])
        lines.append(f"Too small weights start on a plateau: the cost first drops 1% below its start at step "
                     f"{ps if ps is not None else 'never'} with v = 0.01 against step "
                     f"{pa if pa is not None else 'never'} with v = 1. ")
    if "too_large" in groups:
        t = groups["too_large"][0]
        _, ys = curve(t)
        lines.append(f"Too large weights (v = 100) start at cost {ys[0]:.4g} and end at {t['train_loss']:.4g} "
                     f"with training accuracy {pct(t['train_accuracy'])}. ")
    if "zero" in groups:
        z = groups["zero"][0]
        lines.append(f"Zero weights: the cost stays at {z['train_loss']:.4f} (ln 2 = {math.log(2):.4f}) and the "
                     f"accuracy at {pct(z['train_accuracy'])}: no hidden unit ever differs from another.")
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- course circles
def course_section(doc, d, cmd):
    groups = by_init(doc)
    lines = [f"## 3. The course's circles\n",
             f"Command: `{doc['provenance']['command']}`  \nSetup: {doc['description']}.  \nData: {doc['data_source']}.\n",
             "| init | train accuracy (ours, mean over seeds) | test accuracy (ours) | course train / test | "
             "final cost | divergence |", "|---|---|---|---|---|---|"]
    for name, runs in groups.items():
        tr, _ = stats_line([r["train_accuracy"] for r in runs])
        te, _ = stats_line([r["held_out_accuracy"] for r in runs])
        pub = COURSE_PUBLISHED.get(name)
        pubs = f"{pct(pub[0])} / {pct(pub[1])}" if pub else "-"
        cost = statistics.mean(r["train_loss"] for r in runs if finite(r["train_loss"])) if any(
            finite(r["train_loss"]) for r in runs) else float("nan")
        lines.append(f"| `{name}` | {tr} | {te} | {pubs} | {cost:.4f} | {status(runs)} |")
    fig, axes = plt.subplots(1, len(groups), figsize=(3.2 * len(groups), 3.4), squeeze=False)
    pts, lab = toy_points(doc)
    for ax, (name, runs) in zip(axes[0], groups.items()):
        b = runs[0]["boundary"]
        p = decode_boundary(b)
        hi = b["lo"] + b["step"] * (b["n"] - 1)
        ax.imshow(p, origin="lower", extent=(b["lo"], hi, b["lo"], hi), cmap="coolwarm_r", vmin=0, vmax=1)
        ax.scatter(pts[:, 0], pts[:, 1], c=["#1f77b4" if v else "#d62728" for v in lab], s=5)
        ax.set_title(f"{name}: test {pct(runs[0]['held_out_accuracy'])}", fontsize=8)
    fig.suptitle("P(y = 1) after training (seed of the first run); dots: the training points")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    save(fig, f"{d}/course_boundary.png", cmd)
    lines += ["", "![course boundaries](training/course_boundary.png)\n"]
    first = {n: r[0] for n, r in groups.items()}
    if "normal:10" in first:
        c0 = first["normal:10"]["curve"][0][2]
        lines.append(f"The course reports the first cost of `randn * 10` as inf (its cost evaluates "
                     f"log(sigmoid)); initlab's fused logistic loss reads the logits and stays finite: "
                     f"{c0:.4g} at step 0 (seed {first['normal:10']['seed']}).")
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- deep linear
def deep_linear_section(doc, d, cmd):
    groups = by_init(doc)
    lines = [f"## 4. The 2x2 deep linear network (L = 10)\n",
             f"Command: `{doc['provenance']['command']}`  \nSetup: {doc['description']}.  \nData: {doc['data_source']} "
             f"(100 points; the minimum cost is 0, reached by any W[10]...W[1] = 50 R(0.3)).\n"]
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for c, (name, runs) in zip(COLORS, groups.items()):
        x, y = curve(runs[0])
        ax.plot(x, y, color=c, label=name, lw=0.8)
    ax.set_yscale("log")
    ax.set_xlabel("iteration (full batch)")
    ax.set_ylabel("cost (mean squared error)")
    ax.set_title(f"2x2 deep linear net, L = 10, lr {doc['lr']:g}")
    ax.legend()
    save(fig, f"{d}/deep_linear_cost.png", cmd)
    lines += ["![deep linear cost](training/deep_linear_cost.png)\n",
              "| init | cost at step 0 | lowest cost | cost over the last 10% of steps (min .. max) | "
              "cost increases between steps | relative change over the run | divergence |",
              "|---|---|---|---|---|---|---|"]
    words = []
    for name, runs in groups.items():
        _, y = curve(runs[0])
        y = [v for v in y if finite(v)]
        tail = y[-max(1, len(y) // 10):]
        ups = sum(1 for a, b in zip(y, y[1:]) if b > a)
        tail_ups = sum(1 for a, b in zip(tail, tail[1:]) if b > a)
        rel = (y[-1] - y[0]) / y[0] if y and y[0] else float("nan")
        lowest = min(y)
        at = y.index(lowest)
        lines.append(f"| `{name}` | {y[0]:.4g} | {lowest:.4g} (step {at}) | {min(tail):.4g} .. {max(tail):.4g} | "
                     f"{ups} of {len(y) - 1} | {100 * rel:+.3f}% | {status(runs)} |")
        alpha = float(runs[0]["spec"].split(":")[1]) if runs[0]["spec"].startswith("identity:") else None
        if alpha is None:
            continue
        scale = f"the output starts at {alpha}^10 = {alpha ** 10:.3g} times the input and the gradient of each layer " \
                f"carries a factor {alpha}^9 = {alpha ** 9:.3g}"
        if tail_ups >= len(tail) // 4 and max(tail) > 1.5 * lowest:
            words.append(f"- `{name}`: {scale}. The cost reaches its lowest value {lowest:.4g} at step {at}, "
                         f"then keeps going up and down: {tail_ups} of the last {len(tail) - 1} steps raise it, "
                         f"and it ends between {min(tail):.4g} and {max(tail):.4g}: it oscillates instead of "
                         f"settling.")
        elif abs(rel) < 0.01:
            words.append(f"- `{name}`: {scale}. Over {len(y) - 1} steps the cost changes by {100 * rel:+.3f}% "
                         f"and stays at {y[-1]:.4g}, far above the minimum 0: it stalls.")
        else:
            words.append(f"- `{name}`: {scale}. The cost goes from {y[0]:.4g} to {y[-1]:.4g} "
                         f"(lowest {lowest:.4g}).")
    lines.append("")
    lines += words
    sweep = []
    for lr in ("5e-5", "1.2e-4", "1e-3"):
        path = os.path.join(d, f"deep-linear-lr{lr}.json")
        if os.path.exists(path):
            r = load(path)["runs"][0]
            _, y = curve(r)
            fy = [v for v in y if finite(v)]
            tail = fy[-max(1, len(fy) // 10):]
            if r["diverged"]:
                sweep.append(f"at lr {lr} it diverges ({r['message']})")
            else:
                sweep.append(f"at lr {lr} its cost ends between {min(tail):.3g} and {max(tail):.3g} "
                             f"(lowest {min(fy):.3g})")
    if sweep:
        lines.append("")
        lines.append(f"The oscillation depends on the step size; for `identity:1.5` alone (records "
                     f"deep-linear-lr*.json): " + "; ".join(sweep) + ".")
    lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="reports/training")
    ap.add_argument("--report", default="reports/training.md")
    ap.add_argument("--seconds", type=float, default=float("nan"))
    ap.add_argument("--command", default="scripts/plot_training.py")
    a = ap.parse_args()
    cmd = a.command
    parts = [f"Generated by `{cmd}` (`make report`) from the JSON records in reports/training/; "
             f"do not edit.\n",
             "# Training from each initialization\n",
             "The seed note's training experiments (sections I-III) and the course exercise, run by "
             "`initlab train`. Every number below is read from the records the commands wrote.\n"]
    sections = [("note-mnist.json", mnist_section), ("playground-rings.json", playground_section),
                ("course-circles.json", course_section), ("deep-linear.json", deep_linear_section)]
    total = 0.0
    for fname, fn in sections:
        path = os.path.join(a.dir, fname)
        if not os.path.exists(path):
            print(f"plot_training: error: {path} is missing; run scripts/reports/30-training.sh", file=sys.stderr)
            return 2
        doc = load(path)
        total += doc["seconds"]
        parts.append(fn(doc, a.dir, cmd))
    if finite(a.seconds):
        parts.append(f"## Run time\n\nThe training part of `make report` took {a.seconds:.0f} s "
                     f"({total:.0f} s inside the training loops) on this machine ({os.cpu_count()} cores).\n")
    tmp = a.report + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(parts))
    os.replace(tmp, a.report)
    print(f"plot_training: wrote {a.report} and the figures in {a.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
