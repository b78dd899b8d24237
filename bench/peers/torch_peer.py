#!/usr/bin/env python3
"""Side-by-side peers for `make bench-peers`: the same workloads in PyTorch (CPU)
and numpy, alternating with ours in one run.

For every workload and repetition: our Google Benchmark binary runs that one
benchmark (a fresh process, --benchmark_filter), then the peer runs it in this
process; after --reps repetitions the medians are compared. Alternating keeps a
load change on the shared machine from favouring one side.

Threads: torch.set_num_threads(1) always; OPENBLAS_NUM_THREADS = --threads (set
before numpy / torch load OpenBLAS). On 2 cores that is PyTorch's fastest
setting (its OpenMP pool and OpenBLAS's otherwise spin against each other);
ours runs with openblas_set_num_threads(--threads) and Stream::with_threads.

Run with Debian's python (/usr/bin/python3, which has python3-torch):
  torch_peer.py --bin build/bin --threads 1 --reps 5 --out reports/bench/peers_t1.json
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

MNIST = [784, 300, 300, 300, 300, 10]
MNIST_NAME = "-".join(map(str, MNIST))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True, help="folder with bench_init, bench_train, bench_variance and initlab")
    p.add_argument("--threads", type=int, choices=[1, 2], default=1, help="OpenBLAS / fill threads")
    p.add_argument("--reps", type=int, default=5, help="alternating repetitions per workload (median taken)")
    p.add_argument("--min-time", type=float, default=0.3, help="seconds per measurement, each side")
    p.add_argument("--out", required=True, help="JSON file to write")
    p.add_argument("--command", default=None, help="command line recorded in the output (default: this one)")
    p.add_argument("--filter", default="", help="only workloads whose id contains this text")
    p.add_argument("--update", action="store_true",
                   help="keep the other workloads' results already in --out (e.g. --filter train_loop "
                        "--update measures that row again and leaves the rest of the file as it was)")
    return p.parse_args()


ARGS = parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
import numpy as np  # noqa: E402  (after OPENBLAS_NUM_THREADS)
import torch  # noqa: E402

torch.set_num_threads(1)


def ours(binary, name, min_time):
    """Runs one of our benchmarks; returns its JSON record."""
    filt = "^" + name.replace(".", "\\.") + "/"
    cmd = [os.path.join(ARGS.bin, binary), "--benchmark_filter=" + filt,
           "--benchmark_min_time=%g" % min_time, "--benchmark_format=json"]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    runs = json.loads(res.stdout)["benchmarks"]
    if len(runs) != 1:
        raise SystemExit("torch_peer: filter %s matched %d benchmarks, expected 1" % (filt, len(runs)))
    return runs[0]


def timed(fn, min_time):
    """Seconds per call of fn: one warm-up call, then calls until min_time has passed."""
    fn()
    n, t0 = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        el = time.perf_counter() - t0
        if el >= min_time:
            return el / n


def timed_once(fn):
    """Seconds of one call of fn (for workloads that take seconds per call)."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# ---- workloads -----------------------------------------------------------------
# Each: id, kind ("rate": higher is better, items/s; "time": lower is better, s),
# our binary + benchmark name + how to read it, the peer label, a peer factory.

def fill_workloads(threads):
    out = []
    sizes = [1024, 4096] if threads == 1 else [4096]
    for n in sizes:
        shape = "%dx%d" % (n, n)
        items = n * n

        def torch_fill(op, n=n):
            t = torch.empty(n, n, dtype=torch.float32)
            return lambda: op(t)

        peers = [
            ("normal", "normal:1", "torch normal_", lambda t: t.normal_(0.0, 1.0)),
            ("uniform", "uniform:0.05", "torch uniform_", lambda t: t.uniform_(-0.05, 0.05)),
            ("xavier_normal", "xavier_normal", "torch xavier_normal_", torch.nn.init.xavier_normal_),
            ("kaiming_normal", "he_normal", "torch kaiming_normal_",
             lambda t: torch.nn.init.kaiming_normal_(t, nonlinearity="relu")),
            ("trunc_normal", "truncated_normal:0.02", "torch trunc_normal_",
             lambda t: torch.nn.init.trunc_normal_(t, std=0.02, a=-0.04, b=0.04)),
        ]
        for wid, spec, label, op in peers:
            out.append({
                "id": "init/%s/%s/t%d" % (wid, shape, threads), "kind": "rate", "unit": "elements/s",
                "binary": "bench_init",
                "name": "init/spec=%s/type=float/shape=%s/threads=%d" % (spec, shape, threads),
                "read": "items_per_second", "items": items, "peer": label,
                "make": (lambda op=op, tf=torch_fill: tf(op)),
            })

        def numpy_normal(n=n):
            rng = np.random.default_rng(0)
            buf = np.empty((n, n), dtype=np.float32)
            return lambda: rng.standard_normal(out=buf, dtype=np.float32)

        out.append({
            "id": "init/normal/%s/t%d/numpy" % (shape, threads), "kind": "rate", "unit": "elements/s",
            "binary": "bench_init",
            "name": "init/spec=normal:1/type=float/shape=%s/threads=%d" % (shape, threads),
            "read": "items_per_second", "items": items, "peer": "numpy default_rng().standard_normal",
            "make": numpy_normal,
        })
    return out


def orthogonal_workloads(threads):
    out = []
    shapes = [("256x256", [(256, 256)]), ("1024x1024", [(1024, 1024)]), ("2048x2048", [(2048, 2048)]),
              ("mnist", list(zip(MNIST[1:], MNIST[:-1])))]
    if threads == 2:
        shapes = [s for s in shapes if s[0] in ("1024x1024", "mnist")]
    for shape, mats in shapes:
        def make(mats=mats):
            ts = [torch.empty(o, i, dtype=torch.float32) for o, i in mats]

            def run():
                for t in ts:
                    torch.nn.init.orthogonal_(t)
            return run

        out.append({
            "id": "orthogonal/%s/t%d" % (shape, threads), "kind": "time", "unit": "s",
            "binary": "bench_init",
            "name": "orthogonal/spec=orthogonal/type=float/shape=%s/threads=%d" % (shape, threads),
            "read": "real_time", "items": sum(o * i for o, i in mats), "peer": "torch orthogonal_",
            "make": make,
        })
    return out


def mnist_model():
    """The note's network in PyTorch (784-300-300-300-300-10, tanh, Xavier normal, b = 0),
    its loss and plain SGD at lr 0.1."""
    torch.manual_seed(0)
    layers = []
    for l in range(1, len(MNIST)):
        layers.append(torch.nn.Linear(MNIST[l - 1], MNIST[l]))
        if l < len(MNIST) - 1:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_normal_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return model, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1)


def train_workloads(threads):
    out = []
    for B in (32, 100, 256):
        def make(B=B):
            model, crit, opt = mnist_model()
            x = torch.rand(B, MNIST[0])
            y = torch.randint(0, MNIST[-1], (B,))

            def step():
                opt.zero_grad(set_to_none=True)
                loss = crit(model(x), y)
                loss.backward()
                opt.step()
            return step

        out.append({
            "id": "train/B=%d/t%d" % (B, threads), "kind": "rate", "unit": "samples/s",
            "binary": "bench_train",
            "name": "train/kernel=sgd_step/type=float/net=%s/B=%d/threads=%d" % (MNIST_NAME, B, threads),
            "read": "samples", "items": B, "peer": "torch Sequential(Linear+Tanh) + CrossEntropyLoss + SGD",
            "make": make,
            # The raw GEMMs of the step alone: what any implementation calling the same OpenBLAS
            # GEMMs could at most reach; measured in the same alternation.
            "bound": "train/kernel=gemm_ceiling/type=float/net=%s/B=%d/threads=%d" % (MNIST_NAME, B, threads),
        })
    return out


# Training as users run it (issue 11): ours is the command itself, `initlab train --preset
# note-mnist --init note_xavier --epochs 10` (a fresh process: start-up, loading the digits,
# every step's checks, the per-epoch records, the table it prints), timed from outside;
# OPENBLAS_NUM_THREADS=1 as for every one-thread workload. The peer is the same loop in
# PyTorch doing the same work per epoch: 8,000 training and 2,000 held-out rows of 784
# values (random here: the values do not change the work), a fresh permutation per epoch,
# 80 SGD steps of B = 100 on 784-300-300-300-300-10 (tanh, Xavier normal), the running loss
# and accuracy of the steps, then the held-out loss and accuracy. Its data and model are
# made before the clock starts, so only ours pays for start-up and loading. Ours also
# writes its JSON record (`--json FILE`, as `--out` does): its clocks split the command's
# time into the training loop (nn::train: the steps and per-epoch held-out scores, what
# the peer does), the run's other work (the trained net's score on the training rows,
# the activation histograms, the step-0 gradients) and start-up, loading and output.
TRAIN_LOOP_CMD = ["train", "--preset", "note-mnist", "--init", "note_xavier", "--epochs", "10"]


def train_loop_workloads(threads):
    if threads != 1:
        return []

    def make():
        model, crit, opt = mnist_model()
        x, y = torch.rand(8000, MNIST[0]), torch.randint(0, MNIST[-1], (8000,))
        xh, yh = torch.rand(2000, MNIST[0]), torch.randint(0, MNIST[-1], (2000,))

        def loop():
            records = []
            for _ in range(10):
                perm = torch.randperm(8000)
                loss_sum, correct = 0.0, 0
                for s in range(0, 8000, 100):
                    idx = perm[s:s + 100]
                    xb, yb = x[idx], y[idx]
                    opt.zero_grad(set_to_none=True)
                    out = model(xb)
                    loss = crit(out, yb)
                    loss.backward()
                    opt.step()
                    loss_sum += loss.item() * len(idx)
                    correct += (out.argmax(1) == yb).sum().item()
                with torch.no_grad():
                    out = model(xh)
                    records.append((loss_sum / 8000, correct / 8000, crit(out, yh).item(),
                                    (out.argmax(1) == yh).float().mean().item()))
            return records
        return loop

    return [{
        "id": "train_loop/note-mnist/t1", "kind": "time", "unit": "s",
        "binary": "initlab", "name": " ".join(TRAIN_LOOP_CMD + ["--json", "FILE"]), "command": TRAIN_LOOP_CMD,
        "read": "wall", "items": 1, "peer": "torch loop, same epochs, batches and per-epoch evaluation",
        "make": make, "single": True, "record": True,
    }]


def ours_command(args, record=None):
    """Seconds of one run of `initlab ARGS` (from the repository root, as users run it).
    With record (a list), `--json FILE` is added and the run's own clocks are appended to
    it: the study's seconds and, summed over its runs, nn::train's (steps and per-epoch
    held-out scores); the rest of the command's time is start-up, loading and output."""
    extra, path = [], None
    if record is not None:
        path = "%s/initlab-train-%d.json" % (os.environ.get("TMPDIR", "/tmp"), os.getpid())
        extra = ["--json", path]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([os.path.join(ARGS.bin, "initlab")] + args + extra, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if path:
        with open(path) as f:
            doc = json.load(f)
        os.remove(path)
        record.append({"study": doc["seconds"], "loop": sum(r["seconds"] for r in doc["runs"]),
                       "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)})
    return wall


# The variance-versus-depth study of issue 11: width 512, depth 50, batch 256, float,
# (linear, tanh, relu) x (lecun_normal, he_normal, orthogonal) x 2 seeds, b = 0. Per
# network: x ~ N(0, 1), forward h^l = a^{l-1} W^T (torch.matmul), a^l = phi(h^l);
# backward from dL/dh^L ~ N(0, 1): dW^l = dh^T a^{l-1}, da^{l-1} = dh W (not for l = 1,
# as ours), dh^{l-1} = da phi'(h^{l-1}); per layer the second moments E[h^2], E[a^2],
# E[dh^2] and ||dW||_F^2. Ours: study::run_variance on the same configuration
# (bench_variance `study`), which computes more per layer (mean, variance,
# saturation, max |x|) and the theory beside it.
VARIANCE_ACTIVATIONS = {
    "linear": (lambda h: h, lambda da, h, a: da),
    "tanh": (torch.tanh, lambda da, h, a: da * (1 - a * a)),
    "relu": (torch.relu, lambda da, h, a: da * (h > 0)),
}
VARIANCE_INITS = {
    "lecun_normal": lambda W: W.normal_(0.0, (1.0 / W.shape[1]) ** 0.5),
    "he_normal": lambda W: W.normal_(0.0, (2.0 / W.shape[1]) ** 0.5),
    "orthogonal": torch.nn.init.orthogonal_,
}


def variance_draw(ini, seed, B=256, n=512, L=50):
    """The input and the L weight matrices of one (init, seed): the same for every activation."""
    torch.manual_seed(seed)
    x = torch.randn(B, n)
    return x, [VARIANCE_INITS[ini](torch.empty(n, n)) for _ in range(L)]


def variance_network(act, ini, seed, drawn=None, B=256, n=512):
    """One network of the study: its per-layer second moments (4 lists of L floats).
    `drawn` = variance_draw(ini, seed) reuses a draw instead of drawing it again."""
    x, Ws = drawn if drawn else variance_draw(ini, seed, B, n)
    L = len(Ws)
    phi, dphi = VARIANCE_ACTIVATIONS[act]
    hs, acts, q, a2 = [], [x], [], []
    for W in Ws:
        h = torch.matmul(acts[-1], W.t())
        a = phi(h)
        hs.append(h)
        acts.append(a)
        q.append(h.square().mean().item())
        a2.append(a.square().mean().item())
    dh = torch.randn(B, n)
    grad2, dw2 = [0.0] * L, [0.0] * L
    for l in range(L - 1, -1, -1):
        dW = torch.matmul(dh.t(), acts[l])
        grad2[l] = dh.square().mean().item()
        dw2[l] = dW.square().sum().item()
        if l > 0:
            dh = dphi(torch.matmul(dh, Ws[l]), hs[l - 1], acts[l])
    return q, a2, grad2, dw2


def variance_workloads(threads):
    def make():
        def study():
            with torch.no_grad():
                return [variance_network(act, ini, seed)
                        for act in VARIANCE_ACTIVATIONS for ini in VARIANCE_INITS for seed in (0, 1)]
        return study

    # The same study drawing each (init, seed) once for its three activations, as
    # ours does (lib/study/kept_draw.hpp): the ratio that is left without that saving.
    def make_shared():
        def study():
            with torch.no_grad():
                out = []
                for ini in VARIANCE_INITS:
                    for seed in (0, 1):
                        drawn = variance_draw(ini, seed)
                        out += [variance_network(act, ini, seed, drawn) for act in VARIANCE_ACTIVATIONS]
                return out
        return study

    def workload(wid, peer, fn):
        return {
            "id": wid % threads, "kind": "time", "unit": "s",
            "binary": "bench_variance",
            "name": "variance/kernel=study/type=float/width=512/depth=50/B=256/threads=%d" % threads,
            "read": "real_time", "items": 18,
            "peer": peer,
            "make": fn,
            # one study run takes seconds: each repetition times one run, no warm-up run
            "single": True,
            # nothing but the study's GEMMs (per network, 18 networks), in the same alternation
            "bound": "variance/kernel=gemm_only/type=float/width=512/depth=50/B=256/threads=%d" % threads,
            "bound_scale": 18,
        }

    return [workload("variance/study/t%d", "torch.matmul study, same per-layer second moments", make),
            workload("variance/study_shared_draws/t%d", "the same script, one draw per (init, seed)", make_shared)]


def value_of(rec, how):
    if how == "real_time":
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[rec["time_unit"]]
        return rec["real_time"] * scale
    return rec[how]


def main():
    workloads = (fill_workloads(ARGS.threads) + orthogonal_workloads(ARGS.threads) + train_workloads(ARGS.threads)
                 + train_loop_workloads(ARGS.threads) + variance_workloads(ARGS.threads))
    workloads = [w for w in workloads if ARGS.filter in w["id"]]
    results = []
    for w in workloads:
        fn = w["make"]()
        load_before = open("/proc/loadavg").read().split()[:3]
        ours_v, peer_v, bound_v = [], [], []
        parts = [] if w.get("record") else None
        for _ in range(ARGS.reps):
            if "command" in w:
                ours_v.append(ours_command(w["command"], parts))
            else:
                ours_v.append(value_of(ours(w["binary"], w["name"], ARGS.min_time), w["read"]))
            cpu0 = time.process_time()
            sec = timed_once(fn) if w.get("single") else timed(fn, ARGS.min_time)
            if parts is not None:
                parts[-1]["peer_cpu"] = time.process_time() - cpu0
            peer_v.append(w["items"] / sec if w["kind"] == "rate" else sec)
            if "bound" in w:
                bound_v.append(value_of(ours(w["binary"], w["bound"], ARGS.min_time), w["read"]))
        o, p = statistics.median(ours_v), statistics.median(peer_v)
        # speedup > 1 means ours is faster, for rates and times alike
        pair = [(a / b if w["kind"] == "rate" else b / a) for a, b in zip(ours_v, peer_v)]
        speedup = o / p if w["kind"] == "rate" else p / o
        print("peer %-32s ours %-12.4g %-28s %-12.4g speedup %.2fx (pairs %.2f-%.2f)"
              % (w["id"], o, w["peer"][:28], p, speedup, min(pair), max(pair)), flush=True)
        results.append({k: w[k] for k in ("id", "kind", "unit", "binary", "name", "peer", "items")}
                       | {"ours": ours_v, "peer_values": peer_v, "ours_median": o, "peer_median": p,
                          "speedup": speedup, "pair_speedups": pair,
                          "load": [" ".join(load_before), " ".join(open("/proc/loadavg").read().split()[:3])]})
        if parts:
            # ours' own clocks, per repetition: the study and nn::train's loop inside it
            results[-1] |= {"ours_study": [x["study"] for x in parts], "ours_loop": [x["loop"] for x in parts],
                            "ours_study_median": statistics.median(x["study"] for x in parts),
                            "ours_loop_median": statistics.median(x["loop"] for x in parts),
                            "loop_speedup": statistics.median(p / x["loop"] for p, x in zip(peer_v, parts)),
                            # CPU seconds (user + system) of each side's run: ours the whole command
                            "ours_cpu": [x["cpu"] for x in parts], "peer_cpu": [x["peer_cpu"] for x in parts],
                            "cpu_speedup": statistics.median(x["peer_cpu"] / x["cpu"] for x in parts)}
            print("     ours' loop (nn::train) %.4g s, loop speedup %.2fx; CPU speedup %.2fx"
                  % (results[-1]["ours_loop_median"], results[-1]["loop_speedup"], results[-1]["cpu_speedup"]),
                  flush=True)
        if bound_v:
            b = statistics.median(bound_v)
            # rates: bound / peer; times: peer / (bound time per call x calls per workload)
            bs = b / p if w["kind"] == "rate" else p / (b * w.get("bound_scale", 1))
            results[-1] |= {"bound_name": w["bound"], "bound_values": bound_v, "bound_median": b,
                            "bound_speedup": bs}
        del fn
    command = ARGS.command or " ".join([sys.executable] + sys.argv)
    updates = []
    if ARGS.update and os.path.exists(ARGS.out):
        with open(ARGS.out) as f:
            old = json.load(f)
        fresh = {r["id"]: r for r in results}
        updates = old.get("updates", []) + [{"command": command, "ids": list(fresh),
                                             "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}]
        results = [fresh.pop(r["id"], r) for r in old["results"]] + list(fresh.values())
        command = old["command"]
    doc = {
        "command": command,
        "updates": updates,  # later runs (--update) that measured the listed rows again
        "peer_command": " ".join([sys.executable] + sys.argv),
        "threads": ARGS.threads,
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
        "torch_version": torch.__version__,
        "torch_num_threads": torch.get_num_threads(),
        "numpy_version": np.__version__,
        "reps": ARGS.reps,
        "min_time": ARGS.min_time,
        "results": results,
    }
    tmp = ARGS.out + ".tmp.%d" % os.getpid()
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, ARGS.out)


if __name__ == "__main__":
    main()
