#!/usr/bin/env python3
"""reports/criticality.md and its figures, from the JSON that `initlab phase`,
`initlab spectrum`, `initlab critical` and `initlab train` wrote
(scripts/reports/40-criticality.sh). It states no verdict of its own: it draws
the measurements beside the theory the tools computed, the tables give both with
the distance in seed standard deviations, and every verdict is a finding in the
JSON (lib/study/criticality_findings.cpp), printed with its criterion.

    /usr/bin/python3 scripts/report/criticality.py --dir reports/criticality \
        --report reports/criticality.md [--seconds S] [--command CMD]
"""
import glob
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import atomic_write, report_arguments, by_id, findings_table, finite, fmt, layout, load, pct, plt, save_fig  # noqa: E402
from common import verdict  # noqa: E402
import deep  # noqa: E402

COLORS = {"linear": "tab:blue", "tanh": "tab:orange", "relu": "tab:green"}


def grid(cells, key):
    sw2 = sorted({c["sw2"] for c in cells})
    sb2 = sorted({c["sb2"] for c in cells})
    z = [[math.nan] * len(sw2) for _ in sb2]
    for c in cells:
        v = c[key]
        z[sb2.index(c["sb2"])][sw2.index(c["sw2"])] = v if finite(v) else math.nan
    return sw2, sb2, z


def edges(v):
    mids = [(a + b) / 2 for a, b in zip(v, v[1:])]
    return [v[0] - (mids[0] - v[0])] + mids + [v[-1] + (v[-1] - mids[-1])]


def phase_figure(ph, path, command):
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    line = [p for p in ph["critical_line"] if p["fixed_point_exists"]]
    for ax, key, title in [(axes[0], "chi1", "chi_1 measured"), (axes[1], "chi1_theory", "chi_1 theory"),
                           (axes[2], "c", f"c^L measured (c^0 = {ph['c0']})")]:
        sw2, sb2, z = grid(ph["cells"], key)
        kw = {"vmin": 0, "vmax": 2, "cmap": "coolwarm"} if key.startswith("chi1") else {"vmin": 0, "vmax": 1}
        m = ax.pcolormesh(edges(sw2), edges(sb2), z, shading="flat", **kw)
        fig.colorbar(m, ax=ax)
        ax.plot([p["sw2_crit"] for p in line], [p["sb2"] for p in line], "k-", lw=1.5,
                label="critical line chi_1(q*) = 1")
        ax.set_xlim(edges(sw2)[0], edges(sw2)[-1])
        ax.set_ylim(edges(sb2)[0], edges(sb2)[-1])
        ax.set_xlabel("sw2 (W ~ N(0, sw2/n))")
        ax.set_ylabel("sb2 (b ~ N(0, sb2))")
        ax.set_title(title, fontsize=10)
    axes[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"{ph['activation']}: width {ph['width']}, depth {ph['depth']}, {ph['seeds']} seeds per cell",
                 fontsize=11)
    layout(fig, top=0.9)
    save_fig(fig, path, command)


def depth_scale_figure(ph, path, command):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    sb2s = sorted({c["sb2"] for c in ph["cells"]})
    cmap = plt.get_cmap("viridis")
    for i, sb2 in enumerate(sb2s):
        cells = sorted((c for c in ph["cells"] if c["sb2"] == sb2), key=lambda c: c["sw2"])
        col = cmap(i / max(len(sb2s) - 1, 1))
        ax.plot([c["sw2"] for c in cells], [c["xi_c_theory"] if finite(c["xi_c_theory"]) else math.nan
                                            for c in cells], "-", color=col, lw=1, label=f"sb2 = {sb2:g}")
        pts = [c for c in cells if finite(c["xi_c"])]
        ax.errorbar([c["sw2"] for c in pts], [c["xi_c"] for c in pts],
                    yerr=[c["xi_c_sd"] if finite(c["xi_c_sd"]) else 0 for c in pts], fmt="o", ms=3,
                    color=col, capsize=2)
        probed = [c for c in cells if finite(c.get("xi_c_probe")) and finite(c.get("xi_c_probe_lo"))]
        hi = [c["xi_c_probe_hi"] if finite(c["xi_c_probe_hi"]) else c["xi_c_probe"] for c in probed]
        ax.errorbar([c["sw2"] + 0.04 for c in probed], [c["xi_c_probe"] for c in probed],
                    yerr=[[c["xi_c_probe"] - c["xi_c_probe_lo"] for c in probed],
                          [h - c["xi_c_probe"] for h, c in zip(hi, probed)]],
                    fmt="s", ms=3, mfc="none", color=col, capsize=2)
    ax.set_yscale("log")
    ax.set_xlabel("sw2")
    ax.set_ylabel("correlation depth scale xi_c (layers)")
    ax.set_title("xi_c: fitted on the measured c^l (dots, ±sd over seeds), from chi_c probed at (q*, c*)\n"
                 "(open squares, derived band at 1e-6) and -1/ln chi_c (lines)", fontsize=9)
    ax.legend(fontsize=7, ncol=2)
    layout(fig)
    save_fig(fig, path, command)


def spectrum_figure(sp, path, command):
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.4))
    for p in sp["pairs"]:
        rows = p["rows"]
        style = "-" if p["init"] == "orthogonal" else "--"
        col = COLORS.get(p["activation"], "grey")
        for ax, key in [(axes[0], "mean_s2"), (axes[1], "var_s2")]:
            # log axes: a zero theory (the orthogonal linear variance) is not drawn
            pts = [r for r in rows if r[key + "_theory"] > 0 and r[key] > 0]
            if not pts:
                continue
            d = [r["depth"] for r in pts]
            ax.plot(d, [r[key + "_theory"] for r in pts], style, color=col, lw=1,
                    label=f"{p['activation']}, {p['init']}")
            lo = [min(r[key + "_sd"], 0.9 * r[key]) for r in pts]  # keep the bar above 0
            ax.errorbar(d, [r[key] for r in pts], yerr=[lo, [r[key + "_sd"] for r in pts]], fmt="o", ms=3,
                        color=col, capsize=2, mfc="none" if p["init"] == "orthogonal" else col)
    for ax, name in [(axes[0], "mean of s^2"), (axes[1], "variance of s^2")]:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("depth L")
        ax.set_ylabel(name)
    axes[0].set_title("mean squared singular value of J\n(points: measured ± sd over seeds; lines: theory)",
                      fontsize=9)
    axes[1].set_title("its variance (orthogonal linear: 0, an isometry, not drawn)\n"
                      "dashed: Gaussian weights, solid: orthogonal", fontsize=9)
    axes[1].legend(fontsize=7, ncol=2)
    layout(fig)
    save_fig(fig, path, command)


def z(meas, sd, theory):
    """(measured - theory) / sd; NaN where either is missing, where the seeds do not
    spread (sd = 0) or where the theory is exactly 0 (an isometry: only rounding is left)."""
    if not (finite(meas) and finite(theory) and finite(sd)) or sd == 0 or theory == 0:
        return math.nan
    return (meas - theory) / sd


def probe_cell(c):
    """xi_c from the chi_c probe with its derived band ("inf": the band reaches chi_c >= 1)."""
    if not finite(c.get("xi_c_probe")):
        return "-"
    hi = "inf" if c.get("xi_c_probe_unbounded") else fmt(c["xi_c_probe_hi"])
    return f"{fmt(c['xi_c_probe'])} [{fmt(c['xi_c_probe_lo'])}, {hi}]"


def phase_table(ph):
    lines = ["| sb2 | sw2 | phase | chi_1 measured | theory | z | xi_c fitted | theory | z | "
             "xi_c probed [band] | c^L | theory |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in sorted(ph["cells"], key=lambda c: (c["sb2"], c["sw2"])):
        if c["sw2"] not in (0.5, 1, 1.5, 2, 3, 4):
            continue
        lines.append(f"| {c['sb2']:g} | {c['sw2']:g} | {c['phase']} | {fmt(c['chi1'])} ± {fmt(c['chi1_sd'], 2)} | "
                     f"{fmt(c['chi1_theory'])} | {fmt(z(c['chi1'], c['chi1_sd'], c['chi1_theory']), 2)} | "
                     f"{fmt(c['xi_c'])} ± {fmt(c['xi_c_sd'], 2)} | {fmt(c['xi_c_theory'])} | "
                     f"{fmt(z(c['xi_c'], c['xi_c_sd'], c['xi_c_theory']), 2)} | {probe_cell(c)} | "
                     f"{fmt(c['c'])} | {fmt(c['c_theory'])} |")
    return "\n".join(lines)


def spectrum_table(sp):
    lines = ["| activation | weights | sw2 | L | mean s^2 | theory | z | var s^2 | theory | z | min s | max s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for p in sp["pairs"]:
        for r in p["rows"]:
            zm = z(r["mean_s2"], r["mean_s2_sd"], r["mean_s2_theory"])
            zv = z(r["var_s2"], r["var_s2_sd"], r["var_s2_theory"])
            lines.append(f"| {p['activation']} | {p['init']} | {fmt(p['sw2'])} | {r['depth']} | {fmt(r['mean_s2'])} | "
                         f"{fmt(r['mean_s2_theory'])} | {fmt(zm, 2)} | {fmt(r['var_s2'])} | {fmt(r['var_s2_theory'])} | "
                         f"{fmt(zv, 2)} | {fmt(r['min_s'])} | {fmt(r['max_s'])} |")
    return "\n".join(lines)


def critical_table(dirname):
    lines = ["| activation | bias std | critical sw2 | q* | gain | PyTorch calculate_gain | --init spec |",
             "|---|---|---|---|---|---|---|"]
    for path in sorted(glob.glob(os.path.join(dirname, "critical-*.json"))):
        c = load(path)
        if c["exists"]:
            lines.append(f"| {c['activation']} | {c['bias_std']:g} | {fmt(c['sw2'], 7)} | {fmt(c['q_star'])} | "
                         f"{fmt(c['gain'], 6)} | {fmt(c['pytorch_calculate_gain'])} | `{c['init']}` |")
        else:
            lines.append(f"| {c['activation']} | {c['bias_std']:g} | none | – | – | "
                         f"{fmt(c['pytorch_calculate_gain'])} | {c['reason']} |")
    return "\n".join(lines)


def lsuv_table(tr):
    groups = {}
    for r in tr["runs"]:
        groups.setdefault(r["init"], []).append(r)
    lines = ["| init | seeds | held-out accuracy (mean ± sd) | final training cost (mean) | diverged |",
             "|---|---|---|---|---|"]
    for name, runs in groups.items():
        acc = [r["held_out_accuracy"] for r in runs if finite(r["held_out_accuracy"])]
        cost = [r["train_loss"] for r in runs if finite(r["train_loss"])]
        m = sum(acc) / len(acc) if acc else math.nan
        sd = math.sqrt(sum((a - m) ** 2 for a in acc) / (len(acc) - 1)) if len(acc) > 1 else math.nan
        lines.append(f"| `{name}` | {len(runs)} | {pct(m)} ± {pct(sd)} | "
                     f"{fmt(sum(cost) / len(cost)) if cost else '–'} | {sum(1 for r in runs if r['diverged'])} |")
    return "\n".join(lines)


def finding_sentence(f):
    """One finding as a sentence: its id, verdict, subject, numbers and criterion."""
    n = f["numbers"]
    if "z_se" in n:
        what = (f"largest |z| = {fmt(n['z'], 3)} seed sd ({fmt(n['z_se'], 3)} standard errors of the mean "
                f"over {fmt(n['seeds'])} seeds), measured {fmt(n['measured'])} against theory {fmt(n['theory'])}")
    else:
        what = ", ".join(f"{k} = {fmt(v)}" for k, v in n.items())
    return f"`{f['id']}` {verdict(f)} ({f['subject']}): {what}. Criterion: {f['criterion']}.\n"


def phase_sections(ph, rel):
    fs = ph.get("findings", [])
    fitted = sum(1 for c in ph["cells"] if finite(c["xi_c"]))
    md = ["## 1. The phase diagram of tanh\n",
          f"![phase diagram]({rel}/phase.png)\n",
          "Each cell: networks of the given width and depth with W ~ N(0, sw2/n) and b ~ N(0, sb2), two inputs "
          f"of correlation c^0 = {ph['c0']}. chi_1 is measured from the growth of a small perturbation per layer; "
          "the black line is the theory's critical line chi_1(q*) = 1 (ordered phase to its left, chaotic to its "
          "right).\n"]
    md += [finding_sentence(f) for f in by_id(fs, "chi1_crosses_one_at_critical_line")]
    md += [finding_sentence(f) for f in by_id(fs, "largest_chi1_deviation")]
    md += ["## 2. Correlation depth scales on both sides of the line\n",
           f"![depth scales]({rel}/depth-scales.png)\n",
           f"xi_c was fitted on {fitted} of {len(ph['cells'])} cells (a cell is fitted when |c^l - c*| decays "
           "over enough layers above the noise of its seeds; near the line and deep in the chaotic phase at this "
           f"width it often is not). Near the line the theory's xi_c diverges and a {ph['depth']}-layer fit "
           "cannot follow it. The fit has no derived band. The probe measures the slope chi_c of the correlation "
           "map at the theory's (q*, c*) with every layer's own weights, xi_c = -1/ln chi_c, with a band that fails "
           "with probability at most 1e-6 per cell (docs/theory.md §33).\n"]
    md += [finding_sentence(f) for f in by_id(fs, "largest_xi_c_deviation")]
    md += [finding_sentence(f) for f in by_id(fs, "largest_xi_c_fit_deviation")]
    return md + [phase_table(ph), ""]


def spectrum_section(sp, rel):
    md = ["## 3. Jacobian spectra at initialization\n",
          f"![spectra]({rel}/spectrum.png)\n",
          "J = D_L W_L ... D_1 W_1 at one input with q^1 = q*, its singular values s by LAPACK; each activation "
          "at its critical sw2 with sb2 = 0 (tanh: sw2 = 1, relu: 2). Free-probability theory (Pennington, "
          "Schoenholz & Ganguli 2017) gives the mean of s^2 as the product of the chi_1 and its variance from "
          "the moments of phi'^2; orthogonal linear networks are isometries (every s = 1). In the table z is – "
          "where the theory is exactly 0 or the seeds do not spread.\n"]
    md += [finding_sentence(f) for f in sp.get("findings", [])]
    return md + [spectrum_table(sp), ""]


def main():
    a = report_arguments(__doc__, "scripts/report/criticality.py")
    ph = load(os.path.join(a.dir, "phase.json"))
    sp = load(os.path.join(a.dir, "spectrum.json"))
    rel = os.path.relpath(a.dir, os.path.dirname(os.path.abspath(a.report)))
    phase_figure(ph, os.path.join(a.dir, "phase.png"), a.command)
    depth_scale_figure(ph, os.path.join(a.dir, "depth-scales.png"), a.command)
    spectrum_figure(sp, os.path.join(a.dir, "spectrum.png"), a.command)
    took = f" in {a.seconds:.0f} s" if a.seconds is not None else ""
    md = ["# Criticality: order and chaos, depth scales, Jacobian spectra, critical initializers\n",
          f"Generated by `{a.command}` (`make report`){took}; do not edit. Every number comes from the JSON "
          f"the tools wrote into `{a.dir}/`; z = (measured - theory) / sd, the sd taken over the seeds of one "
          "configuration (so the standard error of the mean is sd / sqrt(R)). Every verdict is a finding of "
          "that JSON, decided by `lib/study/criticality_findings.cpp`. Theory: docs/theory.md §5 "
          "(fixed points, chi_1, the correlation map and depth scales) and §17 (the Jacobian spectrum).\n",
          "Commands:\n",
          f"- `{ph['provenance']['command']}`",
          f"- `{sp['provenance']['command']}`", ""]
    md += phase_sections(ph, rel) + spectrum_section(sp, rel)
    md += ["## 4. Critical initializers\n",
           "`initlab critical --activation ACT --bias-std S` gives the weight variance on the critical line and "
           "the `--init` spec that draws it. ReLU has chi_1 = 1 only at sw2 = 2, where any bias makes q grow "
           "without bound.\n", critical_table(a.dir), ""]
    lsuv = os.path.join(a.dir, "lsuv-mnist.json")
    if os.path.exists(lsuv):
        tr = load(lsuv)
        md += ["## 5. LSUV against the note's Xavier on the note's MNIST network\n",
               f"`{tr['provenance']['command'] if 'provenance' in tr else tr.get('command', '')}`: "
               f"{tr['description']}. LSUV (Mishkin & Matas 2016; docs/theory.md §22) starts from orthogonal "
               "weights and rescales each layer on the first batch until its output variance is 1 within the "
               "tolerance.\n", lsuv_table(tr), ""]
    md += deep.section(os.path.join(a.dir, "deep"), f"{rel}/deep",
                       "## 6. Depth that only a good initialization survives (the depths of this budget)\n"
                       "`make report-deep` runs the same at depths 10, 100, 300 and 1000 (deep.md in reports/).\n",
                       a.command)
    md += ["## Findings\n", findings_table(ph.get("findings", []) + sp.get("findings", [])), ""]
    atomic_write(a.report, "\n".join(md) + "\n")
    print(f"report/criticality: wrote {a.report} and 3 figures in {a.dir}")


if __name__ == "__main__":
    main()
