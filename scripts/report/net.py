"""The report of one described network (docs/net-files.md), drawn only from the
net_variance.json that `initlab report --net FILE --out DIR` (or `initlab
variance --net FILE --out DIR`) writes into DIR: the signal and the gradient per
layer (or block) measured beside theory, the histograms of the chosen layers,
the table of every layer, and the findings with their criteria (decided in C++).

    python3 scripts/report/net.py --dir DIR [--report DIR/report.md] [--command TEXT]
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matplotlib.pyplot as plt  # noqa: E402

from common import atomic_write, findings_table, finite, fmt, layout, load, pct, save_fig  # noqa: E402

# (measured, theory, label) of the two curves, per granularity.
FIELDS = {"layer": [("q", "q_theory", "q^l = E[h^2]"), ("grad2", "grad2_theory", "E[(dL/dh^l)^2]")],
          "block": [("second", "second_theory", "E[y^2] of the block output"),
                    ("grad", "grad_theory", "E[(dL/dy)^2]")]}


def log10(v):
    return math.log10(v) if finite(v) and v > 0 else None


def curve(ax, rows, key, field, theory, label):
    xs = [r[key] for r in rows]
    pts = [(x, log10(r[field])) for x, r in zip(xs, rows) if log10(r[field]) is not None]
    ax.plot([p[0] for p in pts], [p[1] for p in pts], "-o", ms=3, lw=1.5, label="measured (mean over seeds)")
    band = [(x, log10(r.get(field + "_lo")), log10(r.get(field + "_hi"))) for x, r in zip(xs, rows)]
    band = [b for b in band if b[1] is not None and b[2] is not None]
    if band:
        ax.fill_between([b[0] for b in band], [b[1] for b in band], [b[2] for b in band], alpha=0.25, lw=0,
                        label="min-max over seeds")
    th = [(x, log10(r[theory])) for x, r in zip(xs, rows) if log10(r[theory]) is not None]
    ax.plot([p[0] for p in th], [p[1] for p in th], "--", lw=1.2, label="mean-field theory")
    ax.set_xlabel(key)
    ax.set_ylabel(f"log10 {label}")
    ax.legend(fontsize=7)


def figure(j, path, command):
    gran = j.get("granularity", "layer")
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, (field, theory, label) in zip(axes, FIELDS[gran]):
        curve(ax, j["rows"], gran, field, theory, label)
        ax.set_title(label, fontsize=9)
    fig.suptitle(f"{j['net']}: measured beside theory, {j['seeds']} seeds, batch {j['batch']}", fontsize=10)
    layout(fig, top=0.88)
    save_fig(fig, path, command)


def histogram_figure(j, path, command):
    hists = j["histograms"]
    key = "layer" if j.get("granularity", "layer") == "layer" else "block"
    fig, axes = plt.subplots(1, len(hists), figsize=(3.4 * len(hists), 3.2), squeeze=False)
    for ax, h in zip(axes[0], hists):
        n = len(h["counts"])
        width = (h["hi"] - h["lo"]) / n
        total = sum(h["counts"]) + h["below"] + h["above"] + h["nonfinite"]
        density = [c / (total * width) if total else 0.0 for c in h["counts"]]
        ax.stairs(density, [h["lo"] + i * width for i in range(n + 1)], fill=True, alpha=0.6)
        ax.set_title(f"{key} {h[key]}", fontsize=9)
        ax.set_xlabel("value")
        ax.set_ylabel("density")
    fig.suptitle(f"{j['net']}: {j['histogram_values']}, {j['seeds']} seeds x batch {j['batch']}", fontsize=10)
    layout(fig, top=0.84)
    save_fig(fig, path, command)


def histogram_table(j):
    key = "layer" if j.get("granularity", "layer") == "layer" else "block"
    lines = [f"| {key} | range | below | above | not finite |", "|---|---|---|---|---|"]
    for h in j["histograms"]:
        total = sum(h["counts"]) + h["below"] + h["above"] + h["nonfinite"]
        share = [pct(h[f] / total) if total else "n/a" for f in ("below", "above", "nonfinite")]
        lines.append(f"| {h[key]} | [{fmt(h['lo'])}, {fmt(h['hi'])}] | " + " | ".join(share) + " |")
    return "\n".join(lines)


def table(j):
    if j.get("granularity", "layer") == "layer":
        head = ["layer", "width", "activation", "init", "q", "q theory", "grad2", "grad2 theory", "saturated", "dead"]
        cells = [[r["layer"], r["width"], r["activation"], f"`{r['init']}`", fmt(r["q"]), fmt(r["q_theory"]),
                  fmt(r["grad2"]), fmt(r["grad2_theory"]), pct(r["saturated"]), pct(r["dead"])] for r in j["rows"]]
    else:
        head = ["block", "kind", "width", "E[y^2]", "theory", "branch share", "theory", "grad", "theory", "note"]
        cells = [[r["block"], r["kind"], r["width"], fmt(r["second"]), fmt(r["second_theory"]),
                  fmt(r["branch_share"]), fmt(r["branch_share_theory"]), fmt(r["grad"]), fmt(r["grad_theory"]),
                  r.get("not_applicable") or ""] for r in j["rows"]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in cells]
    return "\n".join(lines)


def histogram_section(j, png):
    if not j.get("histograms"):
        return []
    return ["## Histograms", "",
            f"Values: {j['histogram_values']}; range: {j['histogram_range']}; counts summed over the seeds.", "",
            f"![histograms]({os.path.basename(png)})", "", histogram_table(j), ""]


def report(j, png, hist_png, command):
    prov = j["provenance"]
    parts = [f"# Network `{j['net']}`", "",
             f"Generated by `{command}` from `{prov['command']}` (initlab {prov['version']}); "
             "regenerate, do not edit.", "",
             f"Input width {j['input_width']} ({j['input']} input), batch {j['batch']}, {j['seeds']} seeds from seed "
             f"{j['seed']}, {j['dtype']}; measured q_0 = {fmt(j['q0'])}. Gradients: {j['gradient']}. "
             f"Theory: {j['theory']}.", "",
             f"![measured beside theory]({os.path.basename(png)})", "",
             "## Findings", "", findings_table(j.get("findings", [])), ""]
    parts += histogram_section(j, hist_png)
    parts += ["## Per " + j.get("granularity", "layer"), "", table(j), ""]
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="folder holding net_variance.json")
    ap.add_argument("--report", help="Markdown file to write (default DIR/report.md)")
    ap.add_argument("--command", default="scripts/report/net.py", help="command named in the footers")
    a = ap.parse_args()
    j = load(os.path.join(a.dir, "net_variance.json"))
    md = a.report or os.path.join(a.dir, "report.md")
    png = os.path.join(os.path.dirname(os.path.abspath(md)), f"{j['net']}-signal.png")
    hist_png = os.path.join(os.path.dirname(os.path.abspath(md)), f"{j['net']}-histograms.png")
    figure(j, png, a.command)
    if j.get("histograms"):
        histogram_figure(j, hist_png, a.command)
    atomic_write(md, report(j, png, hist_png, a.command))


if __name__ == "__main__":
    main()
