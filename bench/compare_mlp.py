#!/usr/bin/env python3
"""Times one SGD step of the 784-256-256-10 ReLU MLP (cross-entropy, batch 128, float64) in PyTorch, the
reference for MlpStepBenchmark. Run it right after the JMH benchmark, on the same machine, so the two are
measured in the same session:

    /usr/bin/python3 bench/compare_mlp.py [--threads N]

Needs PyTorch (Debian: apt-get install -y python3-torch). Debian's PyTorch calls whatever libblas.so.3 the system
selects: install OpenBLAS (apt-get install -y libopenblas0-pthread) first, or it runs on the generic reference
BLAS, about 15x slower, and the comparison means nothing. Prints the median and spread over repetitions.
"""
import argparse
import os
import statistics
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=os.cpu_count())
parser.add_argument("--reps", type=int, default=7)
args = parser.parse_args()
# OpenBLAS sizes its own thread pool when loaded: set it before torch is imported.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)

import torch  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(7)

model = torch.nn.Sequential(
    torch.nn.Linear(784, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10),
).double()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.rand(128, 784, dtype=torch.float64)
y = torch.randint(0, 10, (128,))
loss_fn = torch.nn.CrossEntropyLoss()


def step():
    opt.zero_grad(set_to_none=False)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


for _ in range(50):
    step()
times = []
for _ in range(args.reps):
    n = 100
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    times.append((time.perf_counter() - t0) / n * 1e3)
with open("/proc/self/maps") as maps:  # which BLAS the process really loaded
    blas = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
print(f"pytorch {torch.__version__} float64 MLP step ({', '.join(blas) or 'no BLAS library found'}), {args.threads} thread(s): "
      f"median {statistics.median(times):.3f} ms (min {min(times):.3f}, max {max(times):.3f}) over {args.reps} x 100 steps",
      file=sys.stdout)
