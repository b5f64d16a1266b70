#!/usr/bin/env python3
"""Reference values for SpecialFunctionsTest, in 450-digit decimal arithmetic (standard library only).

Run:  python3 erf_reference.py
It prints the Java table ERF_POINTS for SpecialFunctionsTest (x, erf, erfc at named points) and writes
normal_reference.csv (x, erf, erfc, normalCdf, normalPdf on a sweep of x) next to this script.

Method, independent of the Chebyshev fits in SpecialFunctions:
  erf(x)  = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1))   (all terms positive, no cancellation)
  erfc(x) = 1 - erf(x)             (450 digits leave > 100 significant digits even at erfc(27) ~ 5e-319)
  Phi(x)  = erfc(-x/sqrt 2) / 2,   phi(x) = exp(-x^2/2) / sqrt(2 pi)
Every x is a double, converted exactly; results are rounded to the nearest double by float(Decimal).
As a sanity check the script compares erf/erfc with Python's math.erf/math.erfc (the C library's, ~1 ulp).
"""
import math
import os
from decimal import Decimal, getcontext

getcontext().prec = 450


def pi():
    """Machin: pi = 16 atan(1/5) - 4 atan(1/239)."""
    def atan_inv(n):
        x = Decimal(1) / n
        x2 = x * x
        total, term, k = Decimal(0), x, 1
        eps = Decimal(10) ** (-getcontext().prec - 5)
        while abs(term) > eps:
            total += term / k
            term *= -x2
            k += 2
        return total
    return 16 * atan_inv(5) - 4 * atan_inv(239)


PI = pi()
TWO_OVER_SQRT_PI = 2 / PI.sqrt()
SQRT2 = Decimal(2).sqrt()


def erf(x):
    x = Decimal(x)
    if x == 0:
        return x
    if x < 0:
        return -erf(-x)
    x2 = x * x
    term, total, n = x, Decimal(0), 0
    eps = Decimal(10) ** (-getcontext().prec + 5)
    while True:
        total += term
        n += 1
        term = term * 2 * x2 / (2 * n + 1)
        if term < total * eps and n > x2:
            break
    return TWO_OVER_SQRT_PI * (-x2).exp() * total


def erfc(x):
    return 1 - erf(x)


def normal_cdf(x):
    return erfc(-Decimal(x) / SQRT2) / 2


def normal_pdf(x):
    x = Decimal(x)
    return (-x * x / 2).exp() / (2 * PI).sqrt()


def check_against_libm(x, e, ec):
    for name, mine, libm in (("erf", e, math.erf(x)), ("erfc", ec, math.erfc(x))):
        if mine == 0.0 or mine < 2.3e-308:
            continue  # subnormal: relative comparison is meaningless
        rel = abs(libm - mine) / abs(mine)
        assert rel < 1e-14, f"{name}({x!r}): decimal {mine!r} vs math {libm!r}"


ERF_POINTS = [
    0.0, 1e-300, 1e-10, -1e-10, 1e-5, 0.01, 0.1, 0.25, -0.3, 0.4999, 0.5, -0.5, 0.5001, 0.75, 0.84375, 1.0,
    -1.0, 1.25, 1.4999, 1.5, 1.5001, 2.0, -2.0, 2.5, 2.9999, 3.0, -3.0, 3.0001, 3.5, 4.0, 4.4, 5.0, -5.0,
    6.0, 8.0, 10.0, -10.0, 15.0, 20.0, 26.0, 0.1234567, 1.7320508, 2.718281828,
]


def sweep():
    xs = [i / 32 for i in range(-6 * 32, 27 * 32 + 1)]      # step 1/32 over [-6, 27]
    xs += [-40 + i / 4 for i in range(0, 34 * 4)]            # step 1/4 over [-40, -6) for Phi
    xs += [10.0 ** (k / 4) for k in range(-40 * 4, 0)]       # 1e-40 .. 1e-0.25, small arguments
    xs += [math.pi * k / 7 for k in range(1, 60)]           # points off the binary grid
    return sorted(set(xs))


def main():
    print("    // x, erf(x), erfc(x): printed by core/src/test/resources/reference/erf_reference.py")
    print("    private static final double[][] ERF_POINTS = {")
    for x in ERF_POINTS:
        e, ec = float(erf(x)), float(erfc(x))
        check_against_libm(x, e, ec)
        print(f"        {{{x!r}, {e!r}, {ec!r}}},")
    print("    };")

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "normal_reference.csv")
    with open(path, "w") as out:
        out.write("# x,erf,erfc,normalCdf,normalPdf  (erf_reference.py, 450-digit decimal, rounded to double)\n")
        for x in sweep():
            e, ec = float(erf(x)), float(erfc(x))
            check_against_libm(x, e, ec)
            row = (x, e, ec, float(normal_cdf(x)), float(normal_pdf(x)))
            out.write(",".join(repr(v) for v in row) + "\n")


if __name__ == "__main__":
    main()
