#!/usr/bin/env python3
"""PyTorch float64 references for descent's benchmarks: the same workloads as the JMH classes in
bench/src/main/java/dev/descent/bench, timed the same way (median and spread over repetitions after a warm-up).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/reference.py --threads 1 mlp deep norm

Suites: mlp, deep, norm, conv, recurrent, matmul, optim, tape (default: all). Prints one JSON object per line:
{"suite", "name", "threads", "median", "min", "max", "unit", "reps"}, and a first line {"suite": "env", ...}
naming PyTorch's version and the BLAS library it loaded with OpenBLAS's own description of its kernel (null when
the BLAS is not OpenBLAS); --env prints that line alone.

Needs PyTorch (Debian: apt-get install -y python3-torch) and OpenBLAS (apt-get install -y libopenblas0-pthread):
Debian's PyTorch calls whatever libblas.so.3 the system selects, and without OpenBLAS that is the generic reference
BLAS, about 15x slower. The machine may set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow
a current one, so run this script with both unset, as above (bench/run.sh does).
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

SUITES = ["mlp", "deep", "norm", "conv", "recurrent", "matmul", "optim", "tape"]
parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
parser.add_argument("--env", action="store_true", help="print only the env line (PyTorch's version and BLAS) and exit")
parser.add_argument("suites", nargs="*", default=SUITES)
args = parser.parse_args()
# OpenBLAS sizes its own thread pool when it is loaded: set it before torch is imported.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)

import torch  # noqa: E402

torch.set_num_threads(args.threads)
torch.set_default_dtype(torch.float64)
REPS = 3 if args.quick else 7


def emit(suite, name, times, unit="ms", **extra):
    print(json.dumps({"suite": suite, "name": name, "threads": args.threads, "median": statistics.median(times),
                      "min": min(times), "max": max(times), "unit": unit, "reps": len(times), **extra}), flush=True)


def timed(fn, inner, warmup=None, scale=1e3):
    """Median-able list of per-call times (in ms by default) over REPS batches of `inner` calls."""
    for _ in range(warmup if warmup is not None else max(3, inner // 2)):
        fn()
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner * scale)
    return times


def blas_description():
    """The BLAS libraries loaded, OpenBLAS's build description and the kernel it chose (None when the BLAS that
    PyTorch calls, libblas.so.3, is not OpenBLAS, even if OpenBLAS is loaded too, as Debian's liblapack.so.3 may)."""
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    for lib in [l for l in libs if os.path.basename(l).startswith("libblas.so")] or libs:
        try:
            handle = ctypes.CDLL(lib)
            get_config, get_core = handle.openblas_get_config, handle.openblas_get_corename
        except (OSError, AttributeError):
            continue
        get_config.restype = get_core.restype = ctypes.c_char_p
        return libs, get_config().decode(), get_core().decode()
    return libs, None, None


def train_step(model, loss_fn, x, y, opt):
    def step():
        opt.zero_grad(set_to_none=False)
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def mlp():
    torch.manual_seed(7)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                                torch.nn.ReLU(), torch.nn.Linear(256, 10))
    x, y = torch.rand(128, 784), torch.randint(0, 10, (128,))
    emit("mlp", "mlp", timed(train_step(model, torch.nn.CrossEntropyLoss(), x, y,
                                        torch.optim.SGD(model.parameters(), lr=0.01)), 50))


def deep():
    torch.manual_seed(11)
    layers = []
    for _ in range(20):
        layers += [torch.nn.Linear(64, 64), torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers)
    x, y = torch.rand(64, 64) * 2 - 1, torch.rand(64, 64) * 2 - 1
    emit("deep", "deep", timed(train_step(model, torch.nn.MSELoss(), x, y,
                                          torch.optim.SGD(model.parameters(), lr=0.01)), 100))


def norm():
    torch.manual_seed(5)
    for name, layer in [("batchnorm1d", torch.nn.BatchNorm1d(256)), ("layernorm", torch.nn.LayerNorm(256))]:
        x = (torch.randn(128, 256) * 2 + 0.5).requires_grad_()
        w = torch.randn(128, 256)

        def fb():
            layer.zero_grad(set_to_none=False)
            x.grad = None
            (layer(x) * w).sum().backward()
        emit("norm", name, timed(fb, 500, scale=1e6), unit="us")


class BasicBlock(torch.nn.Module):
    """torchvision's ResNet BasicBlock with an identity shortcut (torchvision itself need not be installed)."""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(channels)
        self.conv2 = torch.nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(channels)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(out)) + x)


def conv():
    torch.manual_seed(17)
    for name, module, shape in [("conv", torch.nn.Conv2d(32, 64, 3, padding=1), (32, 32, 28, 28)),
                                ("basicblock", BasicBlock(64), (32, 64, 14, 14)),
                                ("batchnorm2d", torch.nn.BatchNorm2d(64), (32, 64, 28, 28))]:
        x = torch.randn(*shape).requires_grad_()
        w = torch.randn(module(x).shape)

        def fb():
            module.zero_grad(set_to_none=False)
            x.grad = None
            (module(x) * w).sum().backward()
        emit("conv", name, timed(fb, 10))
    torch.manual_seed(19)
    cnn = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1, bias=False), torch.nn.BatchNorm2d(32), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1, bias=False), torch.nn.BatchNorm2d(64), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(64 * 7 * 7, 10))
    images, labels = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))
    emit("conv", "cnn-step", timed(train_step(cnn, torch.nn.CrossEntropyLoss(), images, labels,
                                              torch.optim.Adam(cnn.parameters())), 10))


def recurrent():
    torch.manual_seed(13)
    for name, make in [("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU), ("rnn", torch.nn.RNN)]:
        module = make(128, 128)
        x = torch.randn(50, 32, 128).requires_grad_()
        w = torch.randn(50, 32, 128)

        def fb():
            module.zero_grad(set_to_none=False)
            x.grad = None
            (module(x)[0] * w).sum().backward()
        emit("recurrent", name, timed(fb, 20))


def matmul():
    torch.manual_seed(42)
    for n in [64, 128, 256, 512, 1024]:
        a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
        c = torch.empty(n, n)
        inner = max(3, int(2e8 / n ** 3))
        emit("matmul", f"matmul-{n}", timed(lambda: torch.mm(a, b, out=c), inner), n=n)


def optim():
    torch.manual_seed(3)
    makers = {
        "SGD": lambda ps: torch.optim.SGD(ps, lr=0.01),
        "SGD-momentum": lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
        "SGD-nesterov": lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True),
        "Adam": lambda ps: torch.optim.Adam(ps),
        "Adam-amsgrad": lambda ps: torch.optim.Adam(ps, amsgrad=True),
        "AdamW": lambda ps: torch.optim.AdamW(ps),
        "Adagrad": lambda ps: torch.optim.Adagrad(ps),
        "RMSprop": lambda ps: torch.optim.RMSprop(ps),
        "RMSprop-centered-momentum": lambda ps: torch.optim.RMSprop(ps, centered=True, momentum=0.9),
        "Adadelta": lambda ps: torch.optim.Adadelta(ps),
        "Adamax": lambda ps: torch.optim.Adamax(ps),
        "NAdam": lambda ps: torch.optim.NAdam(ps),
        "RAdam": lambda ps: torch.optim.RAdam(ps),
        "ASGD": lambda ps: torch.optim.ASGD(ps),
        "Rprop": lambda ps: torch.optim.Rprop(ps),
    }
    # ten matrices, 10 M values in all, as OptimizerStepBenchmark
    params = [torch.nn.Parameter(torch.rand(1000, 1000) * 2 - 1) for _ in range(10)]
    for p in params:
        p.grad = torch.randn(1000, 1000) * 1e-2
    for name, make in makers.items():
        opt = make(params)
        emit("optim", name, timed(opt.step, 3, warmup=2))
        del opt


def tape():
    # 100 scalar-shaped ops (50 rounds of mul and add) recorded and differentiated, as TapeBenchmark
    x = torch.tensor(0.5, requires_grad=True)

    def chain():
        y = x
        for _ in range(50):
            y = y * 1.0001 + 0.001
        y.backward()
        x.grad = None
    emit("tape", "tape-per-op", [t / 100 for t in timed(chain, 200, scale=1e6)], unit="us")


libs, config, kernel = blas_description()
print(json.dumps({"suite": "env", "torch": torch.__version__, "threads": args.threads, "blas": libs,
                  "openblas_config": config, "openblas_kernel": kernel,
                  "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE")}), flush=True)
if args.env:
    sys.exit(0)
for suite in args.suites:
    if suite not in SUITES:
        sys.exit(f"reference.py: unknown suite {suite!r}; expected one of {SUITES}")
    globals()[suite]()
