#!/usr/bin/env python3
"""Times forward + backward of Conv2d(32, 64, 3, padding=1) on a batch of 32 images of 28x28 (float64) in PyTorch,
the reference for ConvStepBenchmark. Run it right after the JMH benchmark, on the same machine, so the two are
measured in the same session:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/compare_conv.py [--threads N]

Needs PyTorch (Debian: apt-get install -y python3-torch). Prints the median and spread over repetitions.
"""
import argparse
import os
import statistics
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--reps", type=int, default=7)
args = parser.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)

import torch  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(7)
conv = torch.nn.Conv2d(32, 64, 3, padding=1).double()
x = torch.rand(32, 32, 28, 28, dtype=torch.float64, requires_grad=True)
seed = torch.rand(32, 64, 28, 28, dtype=torch.float64)


def step():
    x.grad = None
    conv.zero_grad(set_to_none=True)
    conv(x).backward(seed)


for _ in range(5):
    step()
times = []
for _ in range(args.reps):
    n = 5
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    times.append((time.perf_counter() - t0) / n * 1e3)
print(f"pytorch {torch.__version__} float64 Conv2d(32, 64, 3) forward + backward, batch 32 of 28x28, {args.threads} thread(s): "
      f"median {statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f}) over {args.reps} x {n} steps")
