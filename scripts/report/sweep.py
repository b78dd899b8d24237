#!/usr/bin/env python3
"""The summary of a finished `initlab sweep` (DIR/summary.md and figures in DIR),
drawn only from DIR/sweep.json and, for its scale section, DIR/timing.json. The counts, statuses and errors are the tool's;
this script only arranges them and plots measured beside theory:

- phase: chi_1 and c^L against sw2, one curve per sb2, per activation and depth;
- spectrum: mean and variance of the Jacobian's s^2 against depth, per activation
  and weight ensemble;
- variance: ln q^l against the layer, per configuration (the first 12);
- net: the same for described networks, per network and init.

    /usr/bin/python3 scripts/report/sweep.py DIR
"""
import argparse
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import atomic_write, layout, plt, save_fig  # noqa: E402

MAX_CURVES = 12


def groups(configs, keys):
    """Configurations that finished (ok or diverged) grouped by the values of `keys`."""
    out = defaultdict(list)
    for c in configs:
        if c["status"] != "failed":
            out[tuple(c["parameters"][k] for k in keys)].append(c)
    return out


def finish(fig, axes, d, name, command):
    """Legends, layout, the PNG (footer: command) written atomically into d; returns its name."""
    for ax in axes:
        ax.legend(fontsize=7)
    layout(fig, top=0.92)
    save_fig(fig, os.path.join(d, name), command)
    return name


def phase_figures(d, configs, stem, command):
    names = []
    for (act, depth), cs in sorted(groups(configs, ["activation", "depth"]).items()):
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for sb2, cells in sorted(groups(cs, ["sb2"]).items()):
            cells.sort(key=lambda c: c["parameters"]["sw2"])
            sw2 = [c["parameters"]["sw2"] for c in cells]
            for ax, col in zip(axes, ["chi1", "c"]):
                line, = ax.plot(sw2, [c["rows"][0][col] for c in cells], "o-", label=f"sb2 = {sb2[0]}")
                ax.plot(sw2, [c["rows"][0][col + "_theory"] for c in cells], "--", color=line.get_color())
        axes[0].axhline(1.0, color="grey", lw=0.5)
        axes[0].set_ylabel("chi_1 (solid measured, dashed theory)")
        axes[1].set_ylabel("c^L (solid measured, dashed theory)")
        for ax in axes:
            ax.set_xlabel("sw2")
        fig.suptitle(f"{act}, depth {depth}")
        names.append(finish(fig, axes, d, f"{stem}-{act}-depth{depth}.png", command))
    return names


def spectrum_figures(d, configs, stem, command):
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for (act, ens), cs in sorted(groups(configs, ["activation", "ensemble"]).items()):
        cs.sort(key=lambda c: c["parameters"]["depth"])
        depth = [c["parameters"]["depth"] for c in cs]
        for ax, col in zip(axes, ["mean_s2", "var_s2"]):
            r = [c["rows"][0] for c in cs]
            line = ax.errorbar(depth, [x[col] for x in r], yerr=[x[col + "_sd"] or 0 for x in r],
                               fmt="o-", label=f"{act}, {ens}")
            ax.plot(depth, [x[col + "_theory"] for x in r], "--", color=line[0].get_color())
    axes[0].set_ylabel("mean of s^2 (solid measured +- sd, dashed theory)")
    axes[1].set_ylabel("variance of s^2")
    axes[1].set_yscale("symlog", linthresh=1e-3)
    for ax in axes:
        ax.set_xlabel("depth L")
        ax.set_xscale("log")
    return [finish(fig, axes, d, f"{stem}.png", command)]


def q_figures(d, configs, stem, command, label, xlabel):
    """ln q^l measured (solid) and theory (dashed) per configuration; label(parameters) names a curve."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    shown = [c for c in configs if c["status"] != "failed"][:MAX_CURVES]
    for c in shown:
        layers = [r["layer"] for r in c["rows"]]
        line, = ax.plot(layers, [r["ln_q"] for r in c["rows"]], label=label(c["parameters"]))
        ax.plot(layers, [r["ln_q_theory"] for r in c["rows"]], "--", color=line.get_color())
    ax.set_xlabel(xlabel)
    ax.set_ylabel("ln q^l (solid measured, dashed theory)")
    return [finish(fig, [ax], d, f"{stem}.png", command)]


def variance_figures(d, configs, stem, command):
    return q_figures(d, configs, stem, command, lambda p: f"{p['activation']} {p['init']} L={p['depth']}",
                     "layer l")


def net_figures(d, configs, stem, command):
    return q_figures(d, configs, stem, command, lambda p: f"{p['net'].get('name', 'net')} {p['init']}",
                     "layer (block) l")


FIGURES = {"phase": phase_figures, "spectrum": spectrum_figures, "variance": variance_figures,
           "net": net_figures}


def scale_section(timing):
    """The run's times and the tool's scale estimate (lib/study/sweep_estimate.hpp),
    as timing.json states them; nothing when there is no timing.json."""
    if timing is None:
        return []
    m = timing["measured"]
    lines = ["## Scale", "",
             f"This run: {m['configurations_run']} configurations on {m['workers']} worker(s) in "
             f"{m['wall_seconds']:.2f} s wall ({m['config_seconds_total']:.2f} s of configuration time, "
             f"the longest {m['config_seconds_max'] * 1e3:.1f} ms; start-up {m['startup_seconds']:.2f} s; "
             f"coordinator {m['coordinator_seconds'] * 1e3:.1f} ms; records {m['record_bytes_mean']:.0f} bytes "
             f"on average). Made by `{timing['provenance']['command']}`.", ""]
    e = timing["estimate"]
    if e is None:
        return lines + ["No estimate: no configuration ran in this invocation (all resumed).", ""]
    verdict = ("so rank 0 is the bottleneck" if e["coordinator_bound"]
               else "so the ranks, not rank 0, set the pace")
    return lines + [
        f"Estimate for {e['configurations']} such configurations on {e['ranks']} ranks: "
        f"{e['total_seconds']:.3g} s ({e['work_seconds']:.3g} s of work over {e['ranks']} ranks, "
        f"plus the start-up). Rank 0 would spend {e['coordinator_busy_seconds']:.3g} s handling records, "
        f"{100 * e['coordinator_share']:.3g}% of the compute time against a limit of "
        f"{100 * e['coordinator_busy_share_limit']:.3g}%, {verdict}; it stays within the limit for "
        f"configurations of at least {e['shortest_balanced_config_seconds'] * 1e3:.3g} ms on average, and "
        f"holds {e['record_memory_bytes'] / 1e6:.3g} MB of records until the end.", ""]


def summary(data, figures, timing=None):
    prov = data["provenance"]
    lines = [f"# Sweep {data['sweep']} ({data['study']})", "",
             f"Made by `{prov['command']}` (initlab {prov['version']}, {prov['commit']}) and "
             f"`scripts/report/sweep.py`, from `sweep.json`.", "",
             f"{data['configurations_total']} configurations: {data['ok']} ok, {data['diverged']} diverged, "
             f"{data['failed']} failed.", ""]
    failed = [c for c in data["configurations"] if c["status"] == "failed"]
    if failed:
        lines += ["| id | error |", "|---|---|"]
        lines += [f"| {c['id']} | {c['error'].replace('|', '/')} |" for c in failed]
        lines.append("")
    lines += scale_section(timing)
    for name in figures:
        lines += [f"![{name}]({name})", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="the --out folder of a finished initlab sweep")
    a = ap.parse_args()
    path = os.path.join(a.dir, "sweep.json")
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"sweep.py: error: {path}: {e}; expected the sweep.json of a finished initlab sweep",
              file=sys.stderr)
        return 2
    timing = None
    timing_path = os.path.join(a.dir, "timing.json")
    if os.path.exists(timing_path):
        with open(timing_path) as f:
            timing = json.load(f)
    stem = "sweep-" + data["study"]
    command = f"{data['provenance']['command']}; scripts/report/sweep.py"
    figures = FIGURES[data["study"]](a.dir, data["configurations"], stem, command)
    atomic_write(os.path.join(a.dir, "summary.md"), summary(data, figures, timing))
    print(f"sweep.py: wrote {os.path.join(a.dir, 'summary.md')} and {len(figures)} figure(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
