"""Figures of the training report, drawn only from `initlab train` JSON."""
import base64

import matplotlib.pyplot as plt
import numpy as np

from common import finite, layout, pct, save_fig

COLORS = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b"]


def curve(run):
    pts = run["curve"]
    return [p[0] for p in pts], [p[2] if finite(p[2]) else float("nan") for p in pts]


def epoch_accuracy(run):
    col = run["epoch_columns"].index("held_out_accuracy")
    return [e[0] + 1 for e in run["epochs"]], [100 * e[col] if finite(e[col]) else float("nan") for e in run["epochs"]]


def style(k):
    return {"lw": 1.2 if k == 0 else 0.6, "alpha": 1 if k == 0 else 0.4}


def mnist_cost_figure(groups, doc, path, cmd):
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.4), gridspec_kw={"width_ratios": [3, 2]})
    for c, (name, runs) in zip(COLORS, groups.items()):
        for k, r in enumerate(runs):
            ax.plot(*curve(r), color=c, label=name if k == 0 else None, **style(k))
            if "epochs" in r:
                ax2.plot(*epoch_accuracy(r), color=c, marker="o", ms=2.5, label=name if k == 0 else None, **style(k))
    ax.set(yscale="log", xlabel="step (batch of 100)", ylabel="training cost (softmax cross-entropy, per batch)",
           title=f"MNIST cost, {doc['epochs']} epochs")
    ax.legend()
    ax2.set(xlabel="epoch", ylabel="held-out accuracy (%)", ylim=(0, 100),
            title=f"after each epoch, {doc['n_held_out']} held-out digits")
    layout(fig, top=0.97)
    save_fig(fig, path, cmd)


def histogram_panel(ax, h, hl, color):
    edges = np.linspace(h["lo"], h["hi"], h["bins"] + 1)
    counts = np.array(hl["counts"], dtype=float)
    total = counts.sum() + hl["below"] + hl["above"] + hl["nonfinite"]
    ax.bar(edges[:-1], counts / max(total, 1), width=edges[1] - edges[0], align="edge", color=color)
    ax.tick_params(labelsize=7)


def mnist_histogram_figure(first, when, path, cmd):
    layers = len(first[0]["histograms"][when])
    fig, axes = plt.subplots(len(first), layers, figsize=(2.8 * layers, 2.1 * len(first)), squeeze=False, sharex=True)
    for i, r in enumerate(first):
        for l, hl in enumerate(r["histograms"][when]):
            ax = axes[i][l]
            histogram_panel(ax, r["histograms"], hl, COLORS[i % len(COLORS)])
            ax.set_title(f"{r['init']}, layer {hl['layer']}", fontsize=8)
            ax.set_xlabel("activation a" if i == len(first) - 1 else "", fontsize=8)
            ax.set_ylabel("fraction of entries" if l == 0 else "", fontsize=8)
    h = first[0]["histograms"]
    fig.suptitle(f"tanh activations of the held-out digits, {h['bins']} bins on [{h['lo']}, {h['hi']}], "
                 f"{'after initialization' if when == 'init' else 'after training'} (seed {first[0]['seed']})")
    layout(fig, top=0.93)
    save_fig(fig, path, cmd)


def digit_grid_figure(grid, name, pred, path, cmd):
    px = np.frombuffer(base64.b64decode(grid["pixels_u8_base64"]), dtype=np.uint8).reshape(-1, grid["side"], grid["side"])
    labels = grid["labels"]
    wrong = sum(int(p != t) for p, t in zip(pred, labels))
    fig, axes = plt.subplots(10, 10, figsize=(6, 6.6))
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(pred):
            continue
        col = (0.1, 0.3, 1.0) if pred[k] == labels[k] else (1.0, 0.1, 0.1)
        rgb = np.stack([1 - px[k] / 255.0 * (1 - c) for c in col], axis=-1)
        ax.imshow(rgb)
        ax.set_title(str(pred[k]), fontsize=6, color=col, pad=1)
    fig.suptitle(f"{name}: misclassified {wrong}/{len(pred)}\n(blue correct, red wrong; small title = prediction)",
                 fontsize=10)
    layout(fig, top=0.92)
    save_fig(fig, path, cmd)
    return wrong


def cost_figure(groups, xlabel, ylabel, title, path, cmd):
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    for c, (name, runs) in zip(COLORS, groups.items()):
        ax.plot(*curve(runs[0]), color=c, label=name, lw=0.9)
    ax.set(yscale="log", xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    layout(fig, top=0.97)
    save_fig(fig, path, cmd)


def decode_boundary(b):
    p = np.frombuffer(base64.b64decode(b["p_u8_base64"]), dtype=np.uint8).astype(float) / 255
    return p.reshape(b["n"], b["n"])


def boundary_panel(ax, run, pts, lab):
    b = run["boundary"]
    hi = b["lo"] + b["step"] * (b["n"] - 1)
    im = ax.imshow(decode_boundary(b), origin="lower", extent=(b["lo"], hi, b["lo"], hi), cmap="coolwarm_r",
                   vmin=0, vmax=1)
    ax.scatter(pts[:, 0], pts[:, 1], c=["#1f77b4" if v else "#d62728" for v in lab], s=7, edgecolors="white",
               linewidths=0.3)
    ax.set_xlabel("x1", fontsize=8)
    ax.set_ylabel("x2", fontsize=8)
    ax.tick_params(labelsize=7)
    return im


def boundary_figure(doc, groups, title, which_acc, path, cmd):
    pts = np.array(doc["points"]["x"]).reshape(-1, 2)
    lab = np.array(doc["points"]["labels"])
    fig, axes = plt.subplots(1, len(groups), figsize=(3.4 * len(groups), 3.9), squeeze=False)
    for ax, (name, runs) in zip(axes[0], groups.items()):
        im = boundary_panel(ax, runs[0], pts, lab)
        ax.set_title(f"{name}: n E[W^2] = {runs[0]['n_EW2_layer1']:g}\n{which_acc} acc "
                     f"{pct(runs[0]['train_accuracy' if which_acc == 'train' else 'held_out_accuracy'])}", fontsize=8)
    fig.colorbar(im, ax=list(axes[0]), fraction=0.02, pad=0.01, label="P(y = 1)")
    fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.05, right=0.9, bottom=0.2, top=0.8, wspace=0.35)
    save_fig(fig, path, cmd)
