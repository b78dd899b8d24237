#!/usr/bin/env python3
"""Figures and text of reports/variance-vs-depth.md, from the JSON that
`initlab variance` wrote (scripts/reports/20-variance.sh). Every number and every
claim in the report is computed here from those files; a claim the data does not
support is written as what the data shows instead.

    /usr/bin/python3 scripts/plot_variance.py --dir reports/variance \
        --report reports/variance-vs-depth.md [--seconds S] [--command CMD]
"""
import argparse
import json
import math
import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

INITS = ["lecun_normal", "xavier_normal", "he_normal", "orthogonal",
         "identity:1.5", "identity:0.5", "note_uniform", "note_standard_normal"]
ACTS = ["linear", "tanh", "relu"]
CLIP = 80.0  # decades shown on the full-range axes
ZOOM = (-3.5, 1.5)
MARKERS = ["o", "s", "^", "v", "D", "x", "+", "*"]  # tell apart curves that coincide


def load(path):
    with open(path) as f:
        return json.load(f)


def pairs_by_key(data):
    return {(p["activation"], p["init"]): p for p in data["pairs"]}


def col(pair, name):
    return pair["layers"][name]


def rows(pair):
    """The pair's per-layer columns as a list of row dicts (layer l at index l-1)."""
    cols = pair["layers"]
    n = len(cols["layer"])
    return [{k: v[i] for k, v in cols.items()} for i in range(n)]


def fmt(x, digits=4):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 1e5 or a < 1e-3:
        return f"{x:.{digits - 1}e}"
    return f"{x:.{digits}g}"


def pow10(lg, digits=3):
    """10^lg written without overflow, e.g. 4.13e+271."""
    if lg is None:
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


def save_fig(fig, path):
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


# ---- figures -----------------------------------------------------------------

def depth_figure(pairs, field, ylabel, title, path, command):
    """Two rows: full range (clipped at +-CLIP decades) and a zoom near 1."""
    fig, axes = plt.subplots(2, 3, figsize=(16, 9.5), sharex=True)
    colors = plt.get_cmap("tab10").colors
    for j, act in enumerate(ACTS):
        for row, ylim in enumerate([(-CLIP, CLIP), ZOOM]):
            ax = axes[row][j]
            for k, init in enumerate(INITS):
                p = pairs.get((act, init))
                if p is None:
                    continue
                layers = col(p, "layer")
                m = col(p, f"log10_{field}")
                lo = col(p, f"log10_{field}_lo")
                hi = col(p, f"log10_{field}_hi")
                th = col(p, f"log10_{field}_theory")
                c = colors[k % len(colors)]
                xs = [l for l, v in zip(layers, m) if v is not None]
                ax.plot(xs, [v for v in m if v is not None], "-", color=c, lw=1.6, label=init,
                        marker=MARKERS[k % len(MARKERS)], markevery=(1 + 2 * k, 16), ms=5)
                band = [(l, a, b) for l, a, b in zip(layers, lo, hi) if a is not None and b is not None]
                if band:
                    ax.fill_between([b[0] for b in band], [b[1] for b in band], [b[2] for b in band],
                                    color=c, alpha=0.25, lw=0)
                ax.plot([l for l, v in zip(layers, th) if v is not None],
                        [v for v in th if v is not None], "--", color=c, lw=1.0)
                if row == 0 and m and m[-1] is not None and abs(m[-1]) > CLIP:
                    ax.annotate(f"{init}: 10^{m[-1]:.0f} at l={layers[-1]}",
                                xy=(0.02, 0.96 if m[-1] > 0 else 0.04), xycoords="axes fraction",
                                va="top" if m[-1] > 0 else "bottom", fontsize=8, color=c)
            ax.set_ylim(*ylim)
            ax.axhline(0.0, color="grey", lw=0.5)
            ax.grid(alpha=0.3)
            if row == 0:
                ax.set_title(f"{act}")
            else:
                ax.set_xlabel("layer l")
            if j == 0:
                ax.set_ylabel(ylabel + (" (detail)" if row == 1 else ""))
    axes[0][0].legend(fontsize=8, loc="lower left", ncol=2)
    fig.suptitle(title + "\nsolid: measured (mean over seeds, band min..max); dashed: mean-field theory",
                 fontsize=11)
    fig.text(0.01, 0.005, f"made by: {command}", fontsize=7, color="grey")
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    save_fig(fig, path)


def histogram_figure(hdata, path, command):
    pairs = hdata["pairs"]
    layers = hdata["config"]["histograms"]["layers"]
    fig, axes = plt.subplots(len(pairs), len(layers), figsize=(3.2 * len(layers), 2.6 * len(pairs)),
                             squeeze=False, sharex=True)
    for i, p in enumerate(pairs):
        sat = {r["layer"]: r["saturated"] for r in rows(p)}
        for j, h in enumerate(p["histograms"]):
            ax = axes[i][j]
            n = len(h["counts"])
            edges = [h["lo"] + (h["hi"] - h["lo"]) * k / n for k in range(n + 1)]
            total = h["total"]
            width = (h["hi"] - h["lo"]) / n
            dens = [c / (total * width) for c in h["counts"]]
            ax.stairs(dens, edges, fill=True, alpha=0.7)
            ax.set_title(f"{p['init']}, layer {h['layer']}", fontsize=9)
            s = sat.get(h["layer"])
            if s is not None:
                ax.text(0.5, 0.92, f"|a|>0.99: {100 * s:.1f}%", transform=ax.transAxes,
                        ha="center", va="top", fontsize=8)
            if i == len(pairs) - 1:
                ax.set_xlabel("activation a")
            if j == 0:
                ax.set_ylabel("density")
    w = hdata["config"]["widths"]
    fig.suptitle(f"tanh activations, widths {'-'.join(map(str, w))}, input {hdata['config']['input']}, "
                 f"{hdata['config']['seeds']} seeds x batch {hdata['config']['batch']}; "
                 f"200 bins on [-1.2, 1.2]", fontsize=10)
    fig.text(0.01, 0.005, f"made by: {command}", fontsize=7, color="grey")
    fig.tight_layout(rect=(0, 0.02, 1, 0.95))
    save_fig(fig, path)


# ---- text --------------------------------------------------------------------

def note_table(ndata):
    pairs = pairs_by_key(ndata)
    q0 = ndata["input_q0"]["mean"]
    lines = ["| l | RMS(a^l)/RMS(x), W = 1.5 I | 1.5^l | rel. error | RMS(a^l)/RMS(x), W = 0.5 I | 0.5^l | rel. error |",
             "|---|---|---|---|---|---|---|"]
    worst = 0.0
    up = rows(pairs[("linear", "identity:1.5")])
    down = rows(pairs[("linear", "identity:0.5")])
    for ru, rd in zip(up, down):
        l = ru["layer"]
        cells = [str(l)]
        for r, alpha in ((ru, 1.5), (rd, 0.5)):
            ratio = math.sqrt(r["a2"] / q0)
            exact = alpha ** l
            err = abs(ratio / exact - 1.0)
            worst = max(worst, err)
            cells += [f"{ratio:.12g}", f"{exact:.12g}", f"{err:.1e}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), worst


def summary_tables(pairs, depth):
    out = []
    for act in ACTS:
        out.append(f"\n**{act}**\n")
        out.append("| init | law | n Var(W) | growth of q per layer: measured | predicted | "
                   "breaks at layer: measured | predicted | gradient growth per layer (toward the input): measured | predicted | notes |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        for init in INITS:
            p = pairs.get((act, init))
            if p is None:
                continue
            s = p["summary"]
            notes = [p["dtype"]]
            if p["rescaled"]:
                notes.append("rescaled by powers of 2")
            if s["overflow_at"]:
                notes.append(f"overflow at layer {s['overflow_at']}")
            if s["grad_overflow_at"]:
                notes.append(f"gradient overflow at layer {s['grad_overflow_at']}")
            if s["underflow_at"]:
                notes.append(f"underflow at layer {s['underflow_at']}")
            g = s["growth_grad2"]
            gt = s["growth_grad2_theory"]
            out.append(f"| {init} | {p['law']} | {fmt(p['sw2_layer1'])} | {fmt(s['growth_q'])} | "
                       f"{fmt(s['growth_q_theory'])} | {s['break_text']} | {s['break_text_theory']} | "
                       f"{fmt(1 / g if g else None)} | {fmt(1 / gt if gt else None)} | {', '.join(notes)} |")
    return "\n".join(out)


def breaks_phrase(summary):
    m, t = summary["break_depth"], summary["break_depth_theory"]
    told = "none" if t == "none" else f"layer {t}"
    if m == "none":
        return f"q^l/q^0 stays within [1e-3, 1e3] up to the last layer (predicted: {told})."
    return f"q^l/q^0 leaves [1e-3, 1e3] at layer {m} (predicted: {told})."


def row(pair, layer):
    return {k: v[layer - 1] for k, v in pair["layers"].items()}


def findings(pairs, depth):
    """Sentences computed from the data; each states the numbers behind it."""
    s = []
    # tanh + Xavier: q^l * 2l
    p = pairs.get(("tanh", "lecun_normal"))
    if p:
        ls = [l for l in (10, 50, 100) if l <= depth]
        meas = [row(p, l)["q"] * 2 * l for l in ls]
        theo = [row(p, l)["q_theory"] * 2 * l for l in ls]
        q1 = row(p, 1)["q"]
        close = all(0.7 <= m <= 1.5 for m in meas)
        shrinks = row(p, ls[-1])["q"] < 0.5 * q1
        s.append(
            ("**tanh with Xavier (lecun_normal, the note's N(0, 1/n_in)) is not variance-preserving.** "
             if shrinks else "tanh with Xavier (lecun_normal): ")
            + f"q^1 = {fmt(q1)}, and 2l·q^l = " + ", ".join(f"{fmt(m)}" for m in meas)
            + f" measured (theory " + ", ".join(f"{fmt(t)}" for t in theo) + f") at l = "
            + ", ".join(map(str, ls)) + ": "
            + ("q^l decays like 1/(2l) (docs/theory.md §4: 1/(2l - (5/6) ln l + C)), a power law, not a constant."
               if close else "the measured decay does not follow 1/(2l) here; see the table.")
            + f" At l = {ls[-1]} the measured q is {fmt(row(p, ls[-1])['q'])} against "
            f"{fmt(row(p, ls[-1])['q_theory'])} predicted ({100 * (row(p, ls[-1])['q'] / row(p, ls[-1])['q_theory'] - 1):+.1f}%, "
            f"seed sd {fmt(row(p, ls[-1])['q_sd'])}).")
    # tanh with 1.5 I
    p = pairs.get(("tanh", "identity:1.5"))
    lin = pairs.get(("linear", "identity:1.5"))
    if p:
        a2 = row(p, depth)["a2"]
        fixed = 0.0  # a* = tanh(1.5 a*), solved by iteration from 1
        a = 1.0
        for _ in range(200):
            a = math.tanh(1.5 * a)
        fixed = a * a
        sat = row(p, depth)["saturated"]
        settled = abs(a2 - fixed) < 0.01
        txt = (("**tanh with W = 1.5 I saturates instead of exploding.** " if settled else
                "tanh with W = 1.5 I does not reach the scalar fixed point here: ")
               + f"E[(a^{depth})^2] = {a2:.4f} measured; "
               f"every unit iterates a -> tanh(1.5 a), whose attracting fixed points are ±a*, a* = {a:.6f}, "
               f"a*^2 = {fixed:.4f}")
        txt += (" (matched to " + f"{abs(a2 - fixed):.1e})" if abs(a2 - fixed) < 0.01 else f" (measured differs by {abs(a2 - fixed):.3f})")
        txt += (f"; tanh's bend stops the growth: the map's slope at the fixed point is 1.5(1 - a*^2) = "
                f"{1.5 * (1 - fixed):.3f} < 1 ({100 * sat:.1f}% of units reach |a| > 0.99)")
        if lin:
            txt += (f", while the linear net with the same weights reaches q^{depth} = "
                    f"{pow10(row(lin, depth)['log10_q'])} = 2.25^{depth} q^0")
        txt += (f". Mean-field theory, which assumes random weights, predicts E[a^2] = "
                f"{fmt(row(p, depth)['a2_theory'])} for this init: it does not describe a deterministic identity.")
        s.append(txt)
    # linear Xavier / He ReLU / Xavier on ReLU
    for act, init, what in (("linear", "lecun_normal", "linear with Xavier (lecun_normal)"),
                            ("relu", "he_normal", "ReLU with He (he_normal)"),
                            ("relu", "lecun_normal", "ReLU with Xavier (lecun_normal)"),
                            ("linear", "note_uniform", "linear with the note's uniform U(±1/sqrt(n_in))"),
                            ("linear", "orthogonal", "linear with orthogonal weights")):
        p = pairs.get((act, init))
        if not p:
            continue
        g, gt = p["summary"]["growth_q"], p["summary"]["growth_q_theory"]
        r = row(p, depth)
        s.append(f"{what}: q grows by {fmt(g)} per layer (predicted {fmt(gt)}); "
                 f"q^{depth} = {pow10(r['log10_q'])} vs {pow10(r['log10_q_theory'])} predicted, "
                 f"input q^0 = {fmt(pairs_q0)}; " + breaks_phrase(p["summary"]))
    # tanh with N(0, 1): saturated yet chi_1 > 1
    p = pairs.get(("tanh", "note_standard_normal"))
    if p:
        r = row(p, depth)
        g1 = row(p, 1)["grad2"]
        s.append(f"tanh with the note's N(0, 1): {100 * r['saturated']:.1f}% of units at layer {depth} have "
                 f"|a| > 0.99 (E[a^2] = {r['a2']:.4f}), yet chi_1 = {fmt(r['chi1'])} per layer, so the "
                 f"gradient second moment grows toward the input: E[(dL/dh^1)^2] = {pow10(row(p, 1)['log10_grad2'])} "
                 f"measured vs {pow10(row(p, 1)['log10_grad2_theory'])} predicted, from 1 at layer {depth}"
                 + (": saturation does not make these gradients vanish." if g1 and g1 > 1 else "."))
    return s


def deviations(pairs):
    """Largest z = |mean - theory| / sd across seeds, overall and for random inits."""
    best_all, best_rand = None, None
    for (act, init), p in pairs.items():
        for r in rows(p):
            for f in ("q", "a2", "grad2"):
                z = r[f"z_{f}"]
                if z is None:
                    continue
                item = (z, f, act, init, r["layer"], r[f], r[f"{f}_theory"], r[f"{f}_sd"])
                if best_all is None or z > best_all[0]:
                    best_all = item
                if not init.startswith("identity") and (best_rand is None or z > best_rand[0]):
                    best_rand = item
    return best_all, best_rand


def describe_dev(d):
    z, f, act, init, layer, m, t, sd = d
    return (f"{z:.3g} sd, for {f} of {act} {init} at layer {layer} "
            f"(measured {fmt(m)}, theory {fmt(t)}, sd across seeds {fmt(sd)})")


pairs_q0 = None


def main():
    global pairs_q0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="reports/variance")
    ap.add_argument("--report", default="reports/variance-vs-depth.md")
    ap.add_argument("--seconds", type=float, default=None, help="wall time of the whole report")
    ap.add_argument("--cpu-seconds", type=float, default=None, help="CPU time (user + sys) of the report")
    ap.add_argument("--command", default="scripts/plot_variance.py")
    a = ap.parse_args()
    ndata = load(os.path.join(a.dir, "note2x2", "variance.json"))
    ddata = load(os.path.join(a.dir, "depth100", "variance.json"))
    hdata = load(os.path.join(a.dir, "histograms", "variance.json"))
    pairs = pairs_by_key(ddata)
    pairs_q0 = ddata["input_q0"]["mean"]
    cfg = ddata["config"]
    depth = cfg["depth"]
    plot_cmd = f"{a.command} (scripts/plot_variance.py)"

    depth_figure(pairs, "q", "log10 E[(h^l)^2]",
                 f"Pre-activation second moment q^l, width {cfg['widths'][1]}, batch {cfg['batch']}, "
                 f"{cfg['seeds']} seeds", os.path.join(a.dir, "q-vs-depth.png"), plot_cmd)
    depth_figure(pairs, "grad2", "log10 E[(dL/dh^l)^2]",
                 f"Backward gradient second moment, from dL/dh^{depth} ~ N(0, 1) per entry",
                 os.path.join(a.dir, "grad2-vs-depth.png"), plot_cmd)
    histogram_figure(hdata, os.path.join(a.dir, "tanh-histograms.png"), plot_cmd)

    table, worst2x2 = note_table(ndata)
    dev_all, dev_rand = deviations(pairs)
    hcfg = hdata["config"]
    timing = f" in {a.seconds:.0f} s" if a.seconds is not None else ""
    if a.cpu_seconds is not None:
        timing += f" ({a.cpu_seconds:.0f} s of CPU time on {cfg['threads']} threads)"
    md = []
    md.append("# Signal propagation through depth: measured against mean-field theory\n")
    md.append(f"Generated by `{a.command}` (`make report`){timing}; do not edit. The numbers come from "
              "`initlab variance` (C++ run times: "
              f"{ndata['seconds']:.1f} s, {ddata['seconds']:.1f} s, {hdata['seconds']:.1f} s); every "
              "sentence below is written by `scripts/plot_variance.py` from those numbers. Data: "
              "`reports/variance/*/variance.{csv,json}` (columns: `reports/variance/README.md`).\n")
    md.append("Commands:\n")
    for d in (ndata, ddata, hdata):
        md.append(f"- `{d['provenance']['command']}`")
    md.append("\nStatistics are read from each network's forward cache (h^l, a^l) and gradients over all "
              "B x n_l entries of a layer, then averaged over the seeds (R independent networks, each its "
              f"own weights and inputs). {ddata['gradient'][0].upper() + ddata['gradient'][1:]}. The theory "
              "is the mean-field length map and backward recursion (Poole et al. 2016; Schoenholz et al. "
              "2017) with the init's actual n E[W^2], the actual widths and the measured input q^0 = "
              f"{fmt(ddata['input_q0']['mean'])}.\n")

    md.append("## 1. The note's 2x2 deep linear network, L = 10\n")
    md.append("Identity activations, b = 0, W^l = alpha I for every layer, one Gaussian input, double "
              "precision. Layer l holds alpha^l x, so the RMS ratio equals alpha^l:\n")
    md.append(table)
    md.append(f"\nLargest relative error: {worst2x2:.1e} (rounding). W = 1.5 I grows 1.5^10 = "
              f"{1.5 ** 10:.2f} times, W = 0.5 I shrinks to 0.5^10 = {0.5 ** 10:.3e}.\n")

    md.append(f"## 2. Forward: second moment of the pre-activations, width {cfg['widths'][1]}, depth {depth}\n")
    md.append(f"![q vs depth](variance/q-vs-depth.png)\n")
    md.append(f"Top row: log10 q^l clipped at ±{CLIP:.0f} decades (curves beyond are labelled with their "
              "value at the last layer); bottom row: the same near q = 1. lecun_normal is the note's "
              "\"Xavier\" N(0, 1/n_in); xavier_normal is Glorot's N(0, 2/(n_in + n_out)), the same at equal "
              "widths.\n")
    md.append("## 3. Backward: second moment of dL/dh^l\n")
    md.append(f"![grad2 vs depth](variance/grad2-vs-depth.png)\n")
    md.append(f"## 4. Activation histograms of tanh layers (the note's picture)\n")
    md.append(f"![tanh histograms](variance/tanh-histograms.png)\n")
    md.append(f"Widths {'-'.join(map(str, hcfg['widths']))} (the note's 300 hidden units; the note has four "
              f"tanh layers, a fifth of the same width is added), input: {hcfg['input']}"
              + (" (the 10,000 MNIST digits, pixels/255)" if hcfg["input"] == "mnist" else
                 " (MNIST was not available: Gaussian N(0, 1) input instead)")
              + f", {hcfg['seeds']} seeds x batch {hcfg['batch']}, 200 bins on [-1.2, 1.2]. Fraction of "
              "units with |a| > 0.99 per layer:\n")
    hp = hdata["pairs"]
    hl = hcfg["histograms"]["layers"]
    md.append("| init | " + " | ".join(f"layer {l}" for l in hl) + " |")
    md.append("|---|" + "---|" * len(hl))
    for p in hp:
        sat = {r["layer"]: r["saturated"] for r in rows(p)}
        md.append(f"| {p['init']} | " + " | ".join(f"{100 * sat[l]:.1f}%" for l in hl) + " |")
    md.append("\nSecond moment E[a^2] per layer, measured (theory):\n")
    md.append("| init | " + " | ".join(f"layer {l}" for l in hl) + " |")
    md.append("|---|" + "---|" * len(hl))
    for p in hp:
        rr = {r["layer"]: r for r in rows(p)}
        md.append(f"| {p['init']} | " + " | ".join(f"{fmt(rr[l]['a2'])} ({fmt(rr[l]['a2_theory'])})" for l in hl) + " |")

    md.append("\n## 5. Growth per layer and the depth at which the signal breaks\n")
    md.append("Growth = exp of the least-squares slope of ln q^l over l = 1..L (a geometric mean factor "
              "per layer; for power laws such as tanh-Xavier it is only a summary). Breaks = first layer "
              "where q^l / q^0 leaves [1e-3, 1e3]. Gradient growth = factor by which E[(dL/dh)^2] grows "
              "per layer toward the input.\n")
    md.append(summary_tables(pairs, depth))

    md.append("\n## 6. What the numbers show\n")
    for line in findings(pairs, depth):
        md.append(f"- {line}")
    if dev_all:
        md.append(f"- Largest |measured - theory| relative to the spread across seeds: {describe_dev(dev_all)}.")
    if dev_rand and dev_rand != dev_all:
        md.append(f"- Among the random inits (the identity inits are deterministic, so their seed spread "
                  f"comes from the input alone and mean-field theory, which assumes random weights, does "
                  f"not apply to them with tanh or ReLU): {describe_dev(dev_rand)}. With "
                  f"{cfg['seeds']} seeds the sd itself is uncertain by about 1/sqrt(2(R-1)) = "
                  f"{1 / math.sqrt(2 * max(cfg['seeds'] - 1, 1)):.0%}, and at width {cfg['widths'][1]} the "
                  "finite-width corrections of docs/theory.md §9 (about -sum 1/n_l in ln q) add a small "
                  "systematic bias that grows with depth.")
    md.append("")
    atomic_write(a.report, "\n".join(md) + "\n")
    print(f"plot_variance: wrote {a.report} and 3 figures in {a.dir}")


if __name__ == "__main__":
    sys.exit(main())
