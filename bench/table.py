#!/usr/bin/env python3
"""Joins a bench/run.sh run's JMH results (jmh-ROUND-*.json) with the PyTorch reference timings taken around them
(ref-LABEL-THREADS.jsonl) and prints one table: workload, descent, reference, ratio, target, spreads. Also writes it
to table.md in the run's folder.

    /usr/bin/python3 bench/table.py bench/target/run-YYYYmmdd-HHMMSS

Medians and spreads come from the raw iteration data. A ratio is descent's time over the reference's (lower is
better), but for matmul, where it is descent's GFLOP/s over OpenBLAS's (higher is better), and for the optimizers,
where the reference is the fused triad over the same bytes. For one-thread matmul and for the optimizers the verdict
is the ratio of the two alternated call by call (InterleavedMatMul, InterleavedOptimizers), the JMH rows' in the
note. Against PyTorch, descent's suites run in rounds (JMH round k between the reference runs r(k-1) and rk): each
round's ratio is descent's median over the mean of the two reference medians on either side of it, and the table
gives the median of those ratios, with their range when there are several rounds.
"""
import glob
import json
import os
import statistics
import sys

run = sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: table.py RUN_DIR")


def iterations(entry):
    return [v for fork in entry["primaryMetric"]["rawData"] for v in fork]


def to_ms(values, unit):
    scale = {"ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6, "s/op": 1e3}[unit]
    return [v * scale for v in values]


jmh = []  # (cpus, round, entry); round 0: a suite that runs once (after the rounds, and so in the table)
for path in sorted(glob.glob(os.path.join(run, "jmh-*.json")), key=lambda p: (os.path.basename(p).startswith("jmh-0-"), p)):
    parts = os.path.basename(path)[:-len(".json")].split("-")  # jmh, round, timestamp, cpus
    with open(path) as f:
        jmh += [(int(parts[-1]), int(parts[1]), e) for e in json.load(f)]

refs = {}  # (name, threads) -> [(median, min, max)] over every reference run
ref_rounds = {}  # (name, threads) -> {k: median of reference run rk}
env = {}
for path in sorted(glob.glob(os.path.join(run, "ref-*.jsonl"))):
    label = os.path.basename(path).split("-")[1]
    k = int(label[1:]) if label[:1] == "r" and label[1:].isdigit() else None
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["suite"] == "env":
                env[r["threads"]] = r
                continue
            scale = 1e-3 if r["unit"] == "us" else 1.0
            refs.setdefault((r["name"], r["threads"]), []).append(
                (r["median"] * scale, r["min"] * scale, r["max"] * scale))
            if k is not None:
                ref_rounds.setdefault((r["name"], r["threads"]), {})[k] = r["median"] * scale


def ref(name, threads):
    runs = refs.get((name, threads))
    if not runs:
        return None
    return statistics.median(m for m, _, _ in runs), min(lo for _, lo, _ in runs), max(hi for _, _, hi in runs)


def fmt_ms(x):
    return f"{x * 1e3:.1f} µs" if x < 1 else f"{x:.2f} ms"


rows = []


chart = []  # (workload, speed-up over the reference, the speed-up the target asks for) for speed.svg


def add(workload, desc, reference, ratio, target, ok, note="", speedup=None):
    rows.append((workload, desc, reference, ratio, target, "yes" if ok else ("no" if ok is not None else "n/a"), note))
    if speedup:
        chart.append((workload, speedup[0], speedup[1], ok))


def short(entry):
    return entry["benchmark"].split(".")[-2] + "." + entry["benchmark"].split(".")[-1]


def json_lines(name, key):
    """The JSON lines of the run's file `name` (none if it is absent), by key(line)."""
    path = os.path.join(run, name)
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return {key(r): r for r in (json.loads(line) for line in f if line.strip())}


# the alternated measurements: InterleavedMatMul's by (n, threads), InterleavedOptimizers' by optimizer
interleaved = json_lines("interleaved.jsonl", lambda r: (r["n"], r["threads"]))
interleaved_optim = json_lines("interleaved-optim.jsonl", lambda r: r["optimizer"])


def alloc_metric(e):
    """The bytes allocated per operation, reported by a run with -prof gc (None otherwise)."""
    secondary = e.get("secondaryMetrics", {})
    return secondary.get("gc.alloc.rate.norm") or secondary.get("·gc.alloc.rate.norm")


by_key = {}  # (benchmark, cpus, params, profiled) -> {round: entry}, in the order first seen
for cpus, k, e in jmh:
    by_key.setdefault((short(e), cpus, tuple(sorted(e.get("params", {}).items())), alloc_metric(e) is not None), {})[k] = e


def stats(entries):
    """Median, min and max over the measurement iterations of one entry or of a {round: entry} map."""
    es = [entries] if "primaryMetric" in entries else entries.values()
    v = [x for e in es for x in to_ms(iterations(e), e["primaryMetric"]["scoreUnit"])]
    return statistics.median(v), min(v), max(v)


def around(name, threads, k):
    """The reference's median around descent's round k: the mean of the runs r(k-1) and rk, those that exist."""
    runs = ref_rounds.get((name, threads), {})
    near = [runs[j] for j in (k - 1, k) if j in runs]
    return statistics.mean(near) if near else None


def paired(entries, candidates):
    """Descent's time over the reference's, round by round, each round against the reference runs on either side of
    it (the fastest of several candidate (name, threads) references): the ratios' median, min, max and count."""
    ratios = []
    for k, e in sorted(entries.items()):
        near = [x for x in (around(n, t, k) for n, t in candidates) if x]
        if near:
            ratios.append(stats(e)[0] / min(near))
    return (statistics.median(ratios), min(ratios), max(ratios), len(ratios)) if ratios else None


def ratio_text(p):
    return f"{p[0]:.2f}×" + (f" ({p[1]:.2f}–{p[2]:.2f}, {p[3]} rounds)" if p[3] > 1 else "")


def spread(s):
    return f"{fmt_ms(s[0])} ({fmt_ms(s[1])}–{fmt_ms(s[2])})"


def on_openblas(threads):
    """Whether PyTorch ran on OpenBLAS with this many threads: the reference the targets are set against. Debian's
    PyTorch calls whatever libblas.so.3 the system selects, and the generic one is many times slower."""
    return bool(env.get(threads, {}).get("openblas_config"))


def against_torch(workload, entries, candidates, target, note_of=None):
    """A row whose reference is PyTorch: the per-round ratios' median against the target (descent's time over it),
    judged only when PyTorch ran on OpenBLAS."""
    d = stats(entries)
    refs_all = [x for x in (ref(n, t) for n, t in candidates) if x]
    r = min(refs_all, key=lambda x: x[0]) if refs_all else None
    p = paired(entries, candidates)
    judged = p and all(on_openblas(t) for _, t in candidates)
    note = note_of(d) if note_of else ""
    if p and not judged:
        note = "; ".join(x for x in (note, "not judged: PyTorch did not run on OpenBLAS") if x)
    add(workload, spread(d), spread(r) if r else "no PyTorch", ratio_text(p) if p else "", f"≤ {target}× PyTorch",
        p[0] <= target if judged else None, note, speedup=(1 / p[0], 1 / target) if p else None)


for (name, cpus, params_t, profiled), entries in by_key.items():
    params = dict(params_t)
    if name == "MlpStepBenchmark.step":
        if profiled:  # the run with -prof gc (suite alloc) reports allocation only: the profiler perturbs the timing
            alloc = alloc_metric(next(iter(entries.values())))
            path = os.path.join(run, "mlp-essential-bytes")
            need = int(open(path).read()) if os.path.exists(path) else None
            got = alloc["score"]
            add("MLP step: bytes allocated per step", f"{got / 2**20:.2f} MiB",
                f"{need / 2**20:.2f} MiB held" if need else "", f"{got / need:.2f}×" if need else "",
                "≤ 2× activations + gradients", got <= 2 * need if need else None)
            continue
        # On 2 cores the reference is PyTorch's best 2-core setting: 1 or 2 threads, whichever is faster here.
        against_torch(f"MLP 784-256-256-10 b128 SGD step, {cpus} core(s)", entries,
                      [("mlp", t) for t in ((1,) if cpus == 1 else (1, 2))], 0.85 if cpus == 1 else 0.7)
    elif name == "DeepNetBenchmark.step":
        against_torch(f"deep 20×(Linear(64,64)+tanh) b64 SGD step, {cpus} core(s)", entries, [("deep", cpus)], 0.6,
                      lambda d: f"{d[0] * 1e3 / 20:.0f} µs per layer-step")
    elif name == "NormBenchmark.forwardBackward":
        layer = params["layer"]
        against_torch(f"{layer} [128, 256] forward + backward, {cpus} core(s)", entries, [(layer, cpus)], 1.0)
    elif name == "ConvBenchmark.forwardBackward":
        what = {"conv": "Conv2d 32→64 3×3 on [32, 32, 28, 28]", "basicblock": "BasicBlock 64→64 on [32, 64, 14, 14]",
                "batchnorm2d": "BatchNorm2d(64) on [32, 64, 28, 28]"}[params["layer"]]
        against_torch(f"{what}, forward + backward, {cpus} core(s)", entries, [(params["layer"], cpus)], 1.0)
    elif name == "CnnStepBenchmark.step":
        against_torch(f"Fashion-MNIST CNN Adam step, batch 64, {cpus} core(s)", entries, [("cnn-step", cpus)], 1.0)
    elif name == "RecurrentBenchmark.forwardBackward":
        cell = params["cell"]
        against_torch(f"{cell.upper()} 50 steps, batch 32, 128→128, forward + backward, {cpus} core(s)", entries,
                      [(cell, cpus)], 1.0)
    elif name == "MatMulBenchmark.gemm" and params.get("kernel") == "vector":
        n, t = int(params["n"]), int(params["threads"])
        other = by_key.get((name, cpus, tuple(sorted({**params, "kernel": "openblas"}.items())), False))
        d = stats(entries)
        gflops = lambda ms: 2 * n ** 3 / (ms * 1e6)
        if other:
            o = stats(other)
            target = 0.95 if t == 1 else 0.9
            i = interleaved.get((n, t))
            # The alternated measurement, where there is one, decides: JMH times the two kernels minutes apart.
            jmh_ratio = o[0] / d[0]
            ratio = i["ratio"] if i else jmh_ratio
            ok = ratio >= target if 256 <= n <= 1024 else None
            note = (f"the ratio alternated call by call ({i['ratio_min']:.2f}–{i['ratio_max']:.2f}, "
                    f"{i['descent_gflops']:.1f} against {i['openblas_gflops']:.1f} GFLOP/s); JMH rows {jmh_ratio:.2f}×") if i else ""
            add(f"matmul n={n}, {t} thread(s)", f"{gflops(d[0]):.1f} GFLOP/s ({gflops(d[2]):.1f}–{gflops(d[1]):.1f})",
                f"OpenBLAS {gflops(o[0]):.1f} GFLOP/s ({gflops(o[2]):.1f}–{gflops(o[1]):.1f})", f"{ratio:.2f}×",
                f"≥ {target}× OpenBLAS" if ok is not None else "(outside 256–1024)", ok, note, speedup=(ratio, target))
        else:
            add(f"matmul n={n}, {t} thread(s)", f"{gflops(d[0]):.1f} GFLOP/s", "OpenBLAS not installed", "", "", None)
    elif name == "OptimizerStepBenchmark.step":
        opt = params["optimizer"]
        triad = by_key.get(("OptimizerStepBenchmark.triad", cpus, params_t, False))
        d = stats(entries)
        r = ref(opt, cpus)
        torch_note = f"PyTorch {fmt_ms(r[0])} ({d[0] / r[0]:.2f}×)" if r else "not in PyTorch"
        if triad:
            t = stats(triad)
            jmh_ratio = d[0] / t[0]
            i = interleaved_optim.get(opt)
            # The alternated measurement, where there is one, decides: JMH times steps and triads minutes apart.
            ratio = i["ratio"] if i else jmh_ratio
            note = "; ".join(x for x in ((f"alternated step by step ({i['ratio_min']:.2f}–{i['ratio_max']:.2f}, {i['step_ms']:.2f} "
                                          f"against {i['triad_ms']:.2f} ms); JMH rows {jmh_ratio:.2f}×") if i else "", torch_note) if x)
            add(f"{opt} step, 10 M parameters", spread(d), f"triad {spread(t)}", f"{ratio:.2f}×", "≤ 1.3× triad",
                ratio <= 1.3, note, speedup=(1 / ratio, 1 / 1.3))
    elif name == "TapeBenchmark.recordAndBackward":
        d = stats(entries)
        per_op_us = d[0] * 1e3 / 100
        r = ref("tape-per-op", cpus)
        p = paired(entries, [("tape-per-op", cpus)])
        # the reference is per op already; descent's entries time 100 ops
        p = (p[0] / 100, p[1] / 100, p[2] / 100, p[3]) if p else None
        add("tape overhead, scalar ops, record + backward", f"{per_op_us:.3f} µs/op ({d[1] * 10:.3f}–{d[2] * 10:.3f})",
            f"PyTorch {r[0] * 1e3:.2f} µs/op" if r else "no PyTorch", ratio_text(p) if p else "",
            "≤ 0.2 µs/op", per_op_us <= 0.2, speedup=(r[0] * 1e3 / per_op_us, r[0] * 1e3 / 0.2) if r else None)

lines = ["| workload | descent (median, min–max) | reference, same run | ratio | target | met | note |",
         "|---|---|---|---|---|---|---|"]
lines += ["| " + " | ".join(r) + " |" for r in rows]
head = []
for t, e in sorted(env.items()):
    head.append(f"PyTorch {e['torch']} float64, {t} thread(s), BLAS: {', '.join(e['blas']) or 'none found'}"
                f" — {e['openblas_config'] + ', kernel ' + str(e.get('openblas_kernel')) if e['openblas_config'] else 'not OpenBLAS'}"
                f"{', OPENBLAS_CORETYPE=' + e['openblas_coretype_env'] if e.get('openblas_coretype_env') else ''}")
info = os.path.join(run, "machine.txt")
if os.path.exists(info):
    head = [l.rstrip() for l in open(info)] + head
out = "\n".join(head + [""] + lines)
print(out)
with open(os.path.join(run, "table.md"), "w") as f:
    f.write(out + "\n")
missed = [r[0] for r in rows if r[5] == "no"]
met = sum(r[5] == "yes" for r in rows)
print(f"\n{met} of {met + len(missed)} rows with a target meet it ({len(rows) - met - len(missed)} rows without a verdict)"
      + (": missed " + "; ".join(missed) if missed else ""))


def svg(items):
    """A horizontal bar per workload: its speed-up over the reference (log scale), a tick where the target is."""
    import math
    bar_h, left, width, top = 18, 470, 560, 40
    lo, hi = 0.1, max([10.0] + [max(a, b or a) * 1.2 for _, a, b, _ in items])
    x = lambda v: left + width * (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    height = top + bar_h * len(items) + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 30}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="11">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="18" font-size="14">descent against its same-run references: speed-up (reference time / descent time, log scale); | = target</text>']
    for v in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100):
        if v <= hi:
            out.append(f'<line x1="{x(v):.1f}" y1="{top - 4}" x2="{x(v):.1f}" y2="{height - 40}" stroke="{"#444" if v == 1 else "#ddd"}"/>')
            out.append(f'<text x="{x(v):.1f}" y="{height - 26}" text-anchor="middle">{v:g}×</text>')
    for i, (name, got, want, ok) in enumerate(items):
        y = top + i * bar_h
        colour = "#2a9d4b" if ok else "#d1495b" if ok is not None else "#999999"
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{name.replace("&", "&amp;")}</text>')
        out.append(f'<rect x="{x(lo):.1f}" y="{y + 3}" width="{x(got) - x(lo):.1f}" height="{bar_h - 6}" fill="{colour}"/>')
        if ok is not None:
            out.append(f'<line x1="{x(want):.1f}" y1="{y + 1}" x2="{x(want):.1f}" y2="{y + bar_h - 1}" stroke="black" stroke-width="2"/>')
        out.append(f'<text x="{x(got) + 4:.1f}" y="{y + 13}">{got:.2f}×</text>')
    out.append(f'<text x="{left}" y="{height - 8}">green: target met; red: missed; grey: no target. Run: {os.path.basename(run.rstrip("/"))}</text>')
    return "\n".join(out + ["</svg>"])


if chart:
    with open(os.path.join(run, "speed.svg"), "w") as f:
        f.write(svg(chart) + "\n")
    print(f"chart: {os.path.join(run, 'speed.svg')}", file=sys.stderr)
