"""Figures of the variance-versus-depth report, drawn only from `initlab variance` JSON."""
import matplotlib.pyplot as plt

from common import finite, layout, save_fig

CLIP = 80.0          # decades shown on the full-range panels
ZOOM = (-3.5, 1.5)   # decades shown on the detail panels
RATIO = (0.5, 2.0)   # measured / prediction shown on the ratio panels
RATIO_TICKS = [0.5, 0.7, 1.0, 1.4, 2.0]
MARKERS = ["o", "s", "^", "v", "D", "x", "+", "*"]


def points(layers, values):
    return [l for l, v in zip(layers, values) if finite(v)], [v for v in values if finite(v)]


def label_off_scale(ax, name, layers, values, lo, hi, color, slot, fmt_value):
    """Writes 'init: value at l' for a curve that leaves [lo, hi], at its most extreme point."""
    xs, ys = points(layers, values)
    off = [(abs(y - (hi if y > hi else lo)), x, y) for x, y in zip(xs, ys) if y > hi or y < lo]
    if not off:
        return
    _, x, y = max(off)
    top = y > hi
    ax.annotate(f"{name}: {fmt_value(y)} at l={x}", xy=(0.02, (0.96 - 0.06 * slot) if top else (0.04 + 0.06 * slot)),
                xycoords="axes fraction", va="top" if top else "bottom", fontsize=7, color=color)


def draw_curve(ax, pair, field, k, ylim, slot):
    layers, c = pair["layers"]["layer"], plt.get_cmap("tab10").colors[k % 10]
    cols = pair["layers"]
    xs, ys = points(layers, cols[f"log10_{field}"])
    ax.plot(xs, ys, "-", color=c, lw=1.6, label=pair["init"], marker=MARKERS[k % len(MARKERS)],
            markevery=(1 + 2 * k, 16), ms=5)
    band = [(l, a, b) for l, a, b in zip(layers, cols[f"log10_{field}_lo"], cols[f"log10_{field}_hi"])
            if finite(a) and finite(b)]
    if band:
        ax.fill_between([b[0] for b in band], [b[1] for b in band], [b[2] for b in band], color=c, alpha=0.25, lw=0)
    ax.plot(*points(layers, cols[f"log10_{field}_theory"]), "--", color=c, lw=1.0)
    label_off_scale(ax, pair["init"], layers, cols[f"log10_{field}"], ylim[0], ylim[1], c, slot,
                    lambda v: f"10^{v:.0f}")


def ratio_values(pair, field):
    m, t = pair["layers"][f"log10_{field}"], pair["layers"][f"log10_{field}_theory"]
    return [10 ** (a - b) if finite(a) and finite(b) and abs(a - b) < 300 else None for a, b in zip(m, t)]


def draw_ratio(ax, pair, field, k, slot):
    layers, c = pair["layers"]["layer"], plt.get_cmap("tab10").colors[k % 10]
    r = ratio_values(pair, field)
    ax.plot(*points(layers, r), "-", color=c, lw=1.2, marker=MARKERS[k % len(MARKERS)], markevery=(1 + 2 * k, 16), ms=4)
    label_off_scale(ax, pair["init"], layers, r, RATIO[0], RATIO[1], c, slot, lambda v: f"{v:.3g}")


def depth_panels(axes, pairs, act, inits, field):
    slots = [0, 0, 0]
    for k, init in enumerate(inits):
        p = pairs.get((act, init))
        if p is None:
            continue
        for row, ylim in enumerate([(-CLIP, CLIP), ZOOM]):
            draw_curve(axes[row], p, field, k, ylim, slots[row])
        draw_ratio(axes[2], p, field, k, slots[2])
        slots = [s + 1 for s in slots]
    for row, ylim in enumerate([(-CLIP, CLIP), ZOOM]):
        axes[row].set_ylim(*ylim)
        axes[row].axhline(0.0, color="grey", lw=0.5)
    axes[2].set_yscale("log")
    axes[2].set_ylim(*RATIO)
    axes[2].set_yticks(RATIO_TICKS, [f"{t:g}" for t in RATIO_TICKS])
    axes[2].minorticks_off()
    axes[2].axhline(1.0, color="grey", lw=0.5)
    for ax in axes:
        ax.grid(alpha=0.3)


def depth_figure(pairs, acts, inits, field, ylabel, title, path, command):
    """Per activation: full range (clipped), a zoom near 1, and measured / prediction."""
    fig, axes = plt.subplots(3, len(acts), figsize=(16, 12.5), sharex=True, squeeze=False,
                             gridspec_kw={"height_ratios": [3, 3, 2]})
    for j, act in enumerate(acts):
        col = [axes[r][j] for r in range(3)]
        depth_panels(col, pairs, act, inits, field)
        col[0].set_title(act)
        col[2].set_xlabel("layer l")
        if j == 0:
            col[0].set_ylabel(ylabel)
            col[1].set_ylabel(ylabel + " (detail)")
            col[2].set_ylabel("measured / prediction")
    axes[0][0].legend(fontsize=8, loc="lower left", ncol=2)
    fig.suptitle(title + "\nsolid: measured (mean over seeds, band min..max); dashed: prediction "
                 "(mean-field for random weights, exact for identity); bottom: their ratio", fontsize=11)
    layout(fig, top=0.93)
    save_fig(fig, path, command)


def density(h):
    n = len(h["counts"])
    width = (h["hi"] - h["lo"]) / n
    edges = [h["lo"] + width * k for k in range(n + 1)]
    return edges, [c / (h["total"] * width) for c in h["counts"]]


def histogram_figure(hdata, path, command):
    pairs, layers = hdata["pairs"], hdata["config"]["histograms"]["layers"]
    fig, axes = plt.subplots(len(pairs), len(layers), figsize=(3.2 * len(layers), 2.7 * len(pairs)),
                             squeeze=False, sharex=True)
    for i, p in enumerate(pairs):
        sat = dict(zip(p["layers"]["layer"], p["layers"]["saturated"]))
        for j, h in enumerate(p["histograms"]):
            ax = axes[i][j]
            ax.stairs(*density(h)[::-1], fill=True, alpha=0.7)
            ax.set_title(f"{p['init']}, layer {h['layer']}", fontsize=9)
            if finite(sat.get(h["layer"])):
                ax.text(0.5, 0.92, f"|a|>0.99: {100 * sat[h['layer']]:.1f}%", transform=ax.transAxes,
                        ha="center", va="top", fontsize=8)
            ax.set_xlabel("activation a" if i == len(pairs) - 1 else "")
            ax.set_ylabel("density" if j == 0 else "")
    c = hdata["config"]
    fig.suptitle(f"tanh activations, widths {'-'.join(map(str, c['widths']))}, input {c['input']}, "
                 f"{c['seeds']} seeds x batch {c['batch']}; {c['histograms']['bins']} bins on "
                 f"[{c['histograms']['lo']}, {c['histograms']['hi']}]", fontsize=10)
    layout(fig, top=0.95)
    save_fig(fig, path, command)
