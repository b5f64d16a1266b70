#!/usr/bin/env python3
"""Generates the coefficient tables in dev.descent.core.SpecialFunctions.

Needs mpmath (python3 -m pip install mpmath). Run:  python3 erf_coefficients.py
and paste the printed Java arrays into SpecialFunctions.java.

Pieces (x >= 0; the other signs follow from symmetry):
  MACLAURIN    erf(x) = x * sum_n a_n x^(2n),  a_n = 2/sqrt(pi) * (-1)^n / (n! (2n+1)),  for x < 0.5
  ERFCX_1      erfcx(x) = exp(x^2) erfc(x) as a Chebyshev series in u = 2x - 2 over x in [0.5, 1.5]
  ERFCX_2      erfcx(x) as a Chebyshev series in u = (4x - 9)/3 over x in [1.5, 3]
  ERFCX_TAIL   sqrt(pi) x erfcx(x) as a Chebyshev series in u = 2w - 1, w = 9/x^2, over x >= 3 (w in (0, 1])
Chebyshev coefficients come from interpolation at 100 Chebyshev points of the first kind with 50-digit arithmetic,
truncated once the tail sum of |c_k| falls below 1e-17 of the smallest value on the piece. The script then checks
the truncated series with coefficients rounded to double against mpmath at 2001 points per piece.
"""
import mpmath as mp

mp.mp.dps = 50
N = 100
TOL = mp.mpf("1e-17")


def erfcx(x):
    return mp.exp(x * x) * mp.erfc(x)


def tail(w):
    if w == 0:
        return mp.mpf(1)
    x = 3 / mp.sqrt(w)
    return mp.sqrt(mp.pi) * x * erfcx(x)


def chebyshev(f, a, b):
    """Coefficients c_0..c_{N-1} with f(x) = sum c_k T_k(u), u mapping [a, b] onto [-1, 1]."""
    nodes = [mp.cos(mp.pi * (j + mp.mpf(1) / 2) / N) for j in range(N)]
    values = [f((b - a) / 2 * u + (a + b) / 2) for u in nodes]
    c = []
    for k in range(N):
        s = mp.fsum(values[j] * mp.cos(mp.pi * k * (j + mp.mpf(1) / 2) / N) for j in range(N))
        c.append(2 * s / N)
    c[0] /= 2
    return c


def truncate(c, smallest):
    for n in range(len(c)):
        if mp.fsum(abs(x) for x in c[n:]) < TOL * smallest:
            return [float(x) for x in c[:n]]
    raise ValueError("series did not converge")


def clenshaw(c, u):
    b1 = b2 = mp.mpf(0)
    for ck in reversed(c[1:]):
        b1, b2 = 2 * u * b1 - b2 + ck, b1
    return u * b1 - b2 + c[0]


def check(name, c, f, a, b):
    worst = mp.mpf(0)
    for i in range(2001):
        x = a + (b - a) * mp.mpf(i) / 2000
        u = (2 * x - (a + b)) / (b - a)
        worst = max(worst, abs(clenshaw([mp.mpf(v) for v in c], u) / f(x) - 1))
    print(f"    // {name}: {len(c)} terms, max relative error of the double series {mp.nstr(worst, 3)}")


def java(name, values):
    body = ",\n".join(f"        {v!r}" for v in values)
    print(f"    private static final double[] {name} = {{\n{body}\n    }};")


maclaurin = []
n = 0
while True:
    a = 2 / mp.sqrt(mp.pi) * (-1) ** n / (mp.factorial(n) * (2 * n + 1))
    if abs(a) * mp.mpf("0.25") ** n < TOL * mp.mpf("0.5"):  # term at x = 0.5 relative to erf(0.5) / x ~ 1.04
        break
    maclaurin.append(float(a))
    n += 1
print(f"    // MACLAURIN: {len(maclaurin)} terms; next term at x = 0.5 is below 1e-17 relative")
java("MACLAURIN", maclaurin)

half, three_halves, three = mp.mpf("0.5"), mp.mpf("1.5"), mp.mpf(3)
c1 = truncate(chebyshev(erfcx, half, three_halves), erfcx(three_halves))
check("ERFCX_1", c1, erfcx, half, three_halves)
java("ERFCX_1", c1)

c2 = truncate(chebyshev(erfcx, three_halves, three), erfcx(three))
check("ERFCX_2", c2, erfcx, three_halves, three)
java("ERFCX_2", c2)

ct = truncate(chebyshev(tail, mp.mpf(0), mp.mpf(1)), tail(mp.mpf(1)))
check("ERFCX_TAIL", ct, tail, mp.mpf(0), mp.mpf(1))
java("ERFCX_TAIL", ct)
