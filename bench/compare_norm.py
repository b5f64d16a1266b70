#!/usr/bin/env python3
"""Times forward plus backward of BatchNorm1d(256) (training mode) and LayerNorm(256) on a [128, 256] float64 batch
in PyTorch, the reference for NormBenchmark. Run it right after the JMH benchmark, on the same machine:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/compare_norm.py [--threads N]

Prints the median and spread in microseconds over repetitions of 200 passes.
"""
import argparse
import statistics
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--reps", type=int, default=15)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

x = torch.randn(128, 256, dtype=torch.float64, requires_grad=True)
seed = torch.randn(128, 256, dtype=torch.float64)
for name, layer in [("batchNorm1d", torch.nn.BatchNorm1d(256)), ("layerNorm", torch.nn.LayerNorm(256))]:
    layer = layer.double()

    def step():
        x.grad = None
        layer.zero_grad(set_to_none=False)
        layer(x).backward(seed)

    for _ in range(500):
        step()
    times = []
    for _ in range(args.reps):
        n = 200
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        times.append((time.perf_counter() - t0) / n * 1e6)
    print(f"pytorch {torch.__version__} float64 {name} forward+backward [128, 256], {args.threads} thread(s): "
          f"median {statistics.median(times):.1f} us (min {min(times):.1f}, max {max(times):.1f}) over {args.reps} x 200")
