"""Fits the rational approximation used by contracts/libraries/NormalDist.sol and prints its constants.

The upper tail of the standard normal is written N(-x) = phi(x) * M(x) for x >= 0, where M is Mills'
ratio, smooth and bounded (M(0) = sqrt(pi/2), M(x) ~ 1/x). M is approximated on [0, XMAX] by
P(x)/Q(x) with deg P = m, deg Q = m + 1, fitted in the weighted minimax sense with mpmath at 50 digits:
the weight asks for relative error EPS_REL in N(-x) and absolute error EPS_ABS in N(-x), whichever is
tighter (iteratively reweighted linear least squares, Sanathanan-Koerner with Lawson weights).

Usage: python tools/fit_normal_tail.py [m] [xmax]    (defaults: 7 9)
Prints the coefficients, the worst weighted error on a dense grid, and the Solidity constants (scale 1e36,
P pre-multiplied by 1/sqrt(2*pi) so that P/Q * exp(-x^2/2) is the tail directly)."""

from __future__ import annotations

import sys

import mpmath as mp

mp.mp.dps = 50
EPS_REL = mp.mpf("1e-13")
EPS_ABS = mp.mpf("1e-16")
SCALE = 10**36


def mills(x: mp.mpf) -> mp.mpf:
    return mp.sqrt(2 * mp.pi) * mp.exp(x * x / 2) * mp.ncdf(-x)


def horner(c: list[mp.mpf], x: mp.mpf) -> mp.mpf:
    s = mp.mpf(0)
    for a in reversed(c):
        s = s * x + a
    return s


def weight(x: mp.mpf) -> mp.mpf:
    """Error budget for a relative error of M at x: the tighter of the relative and absolute targets."""
    return max(1 / EPS_REL, mp.ncdf(-x) / EPS_ABS)


def fit(m: int, xmax: mp.mpf, nodes: int = 240, iterations: int = 40) -> tuple[list[mp.mpf], list[mp.mpf]]:
    n = m + 1
    xs = [xmax / 2 - xmax / 2 * mp.cos(mp.pi * (i + mp.mpf(0.5)) / nodes) for i in range(nodes)] + [mp.mpf(0), xmax]
    fs = [mills(x) for x in xs]
    ws = [weight(x) for x in xs]
    lawson = [mp.mpf(1)] * len(xs)
    q = [mp.mpf(1)] + [mp.mpf(0)] * n
    p: list[mp.mpf] = []
    for _ in range(iterations):
        rows, rhs = [], []
        for x, f, w, lw in zip(xs, fs, ws, lawson):
            s = w * lw / (f * horner(q, x))
            rows.append([s * x**i for i in range(m + 1)] + [-s * f * x**j for j in range(1, n + 1)])
            rhs.append(s * f)
        sol = mp.qr_solve(mp.matrix(rows), mp.matrix(rhs))[0]
        p = [sol[i] for i in range(m + 1)]
        q = [mp.mpf(1)] + [sol[m + 1 + j] for j in range(n)]
        errs = [w * (horner(p, x) / horner(q, x) - f) / f for x, f, w in zip(xs, fs, ws)]
        lawson = [lw * abs(e) ** 0.5 + mp.mpf(10) ** -40 for lw, e in zip(lawson, errs)]
        total = sum(lawson)
        lawson = [lw / total * len(lawson) for lw in lawson]
    return p, q


def main() -> None:
    m = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    xmax = mp.mpf(sys.argv[2]) if len(sys.argv) > 2 else mp.mpf(9)
    p, q = fit(m, xmax)
    worst_rel = worst_abs = worst_w = mp.mpf(0)
    for i in range(4001):
        x = xmax * i / 4000
        rel = abs(horner(p, x) / horner(q, x) / mills(x) - 1)
        worst_rel = max(worst_rel, rel)
        worst_abs = max(worst_abs, rel * mp.ncdf(-x))
        worst_w = max(worst_w, rel * weight(x))
    print(f"deg {m}/{m + 1} on [0, {xmax}]: max rel {mp.nstr(worst_rel, 3)}, max abs {mp.nstr(worst_abs, 3)}, "
          f"weighted {mp.nstr(worst_w, 3)}")
    inv_sqrt_2pi = 1 / mp.sqrt(2 * mp.pi)
    for i, c in enumerate(p):
        print(f"    uint256 internal constant P{i} = {int(mp.nint(c * inv_sqrt_2pi * SCALE))};")
    for i, c in enumerate(q):
        print(f"    uint256 internal constant Q{i} = {int(mp.nint(c * SCALE))};")


if __name__ == "__main__":
    main()
