"""Fits the approximations used by contracts/libraries/NormalDist.sol and prints their Solidity constants.

Two regions, for a = |x|:
  * centre, a < 1: N(x) = 1/2 + x * C(x^2), C a degree-9 polynomial in u = x^2 (Chebyshev fit on
    u in [0, 1] with mpmath.chebyfit; absolute error in N about 1e-17). Its coefficients alternate in sign
    and shrink, so it is evaluated as c0 - u(c1 - u(c2 - ...)) with positive constants.
  * tail, 1 <= a < 9: N(-a) = exp(-a^2/2) * P(a)/Q(a), deg P = 6, deg Q = 7, a weighted minimax fit of
    Mills' ratio / sqrt(2*pi) (iteratively reweighted linear least squares, Sanathanan-Koerner with
    Lawson weights, at 50 digits). The weight asks for relative error EPS_REL in N(-a) and absolute
    error EPS_ABS, whichever is tighter. Q is made monic; all coefficients come out positive.

Usage: python tools/fit_normal_tail.py
Prints the worst errors on a dense grid and the constants (WAD for the tail, 1e36 for the centre);
tools/gen_normal_dist.py writes them into contracts/libraries/NormalDist.sol."""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 50
EPS_REL = mp.mpf("1e-13")
EPS_ABS = mp.mpf("1e-16")
TAIL_LO, TAIL_HI, TAIL_DEG = mp.mpf(1), mp.mpf(9), 6
CENTRE_DEG = 9


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


def fit_tail(m: int, lo: mp.mpf, hi: mp.mpf, nodes: int = 200, iterations: int = 30):
    n = m + 1
    xs = [(lo + hi) / 2 - (hi - lo) / 2 * mp.cos(mp.pi * (i + mp.mpf(0.5)) / nodes) for i in range(nodes)] + [lo, hi]
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


def centre_function(u: mp.mpf) -> mp.mpf:
    if u == 0:
        return 1 / mp.sqrt(2 * mp.pi)
    x = mp.sqrt(u)
    return (mp.ncdf(x) - mp.mpf(1) / 2) / x


def constants() -> list[tuple[str, int, str]]:
    """(name, |value|, sign) of every constant, after printing the fit report."""
    out: list[tuple[str, int, str]] = []
    coeffs, _ = mp.chebyfit(centre_function, [0, 1], CENTRE_DEG + 1, error=True)
    c = list(reversed(coeffs))  # low -> high
    worst_c = max(abs(x * (horner(c, x * x) - centre_function(x * x))) for x in mp.linspace(0, 1, 2001))
    print(f"centre: degree {CENTRE_DEG} in x^2 on |x| < 1, max abs error in N {mp.nstr(worst_c, 3)}")
    assert all((ci > 0) == (i % 2 == 0) for i, ci in enumerate(c)), "centre coefficients must alternate"

    p, q = fit_tail(TAIL_DEG, TAIL_LO, TAIL_HI)
    cf_a, cf_b = continued_fraction(p, q)
    inv_sqrt_2pi = 1 / mp.sqrt(2 * mp.pi)
    worst_rel = worst_abs = mp.mpf(0)
    lowest_level = mp.inf
    for x in mp.linspace(TAIL_LO, TAIL_HI, 4001):
        t = x + cf_a[-1]
        lowest_level = min(lowest_level, t)
        for j in range(len(cf_a) - 2, -1, -1):
            t = x + cf_a[j] + cf_b[j + 1] / t
            lowest_level = min(lowest_level, t)
        rel = abs(cf_b[0] / t / mills(x) - 1)
        worst_rel = max(worst_rel, rel)
        worst_abs = max(worst_abs, rel * mp.ncdf(-x))
    print(f"tail: degree {TAIL_DEG}/{TAIL_DEG + 1} on [{TAIL_LO}, {TAIL_HI}], max rel error {mp.nstr(worst_rel, 3)},"
          f" max abs error {mp.nstr(worst_abs, 3)}, lowest continued-fraction level {mp.nstr(lowest_level, 4)}")
    assert lowest_level >= 1, "a continued-fraction level comes close to zero"

    for i, ci in enumerate(c):
        out.append((f"C{i}", int(mp.nint(abs(ci) * 10**36)), "+" if ci >= 0 else "-"))
    out.append(("B0", int(mp.nint(cf_b[0] * inv_sqrt_2pi * 10**18)), "+"))
    for i, ai in enumerate(cf_a):
        out.append((f"A{i}", int(mp.nint(abs(ai) * 10**18)), "+" if ai >= 0 else "-"))
    for i in range(1, len(cf_b)):
        out.append((f"B{i}", int(mp.nint(abs(cf_b[i]) * 10**36)), "+" if cf_b[i] >= 0 else "-"))
    return out


def main() -> None:
    for name, value, sign in constants():
        print(f"    uint256 private constant {name} = {value}; // {sign}")


def continued_fraction(p: list[mp.mpf], q: list[mp.mpf]) -> tuple[list[mp.mpf], list[mp.mpf]]:
    """P/Q (deg Q = deg P + 1) as b0/(x + a0 + b1/(x + a1 + ... + b_n/(x + a_n)))."""

    def divide(n: list[mp.mpf], d: list[mp.mpf]) -> tuple[list[mp.mpf], list[mp.mpf]]:
        n = n[:]
        out = [mp.mpf(0)] * (len(n) - len(d) + 1)
        for i in range(len(n) - len(d), -1, -1):
            c = n[i + len(d) - 1] / d[-1]
            out[i] = c
            for j in range(len(d)):
                n[i + j] -= c * d[j]
        return out, n[: len(d) - 1]

    num, den = p[:], q[:]
    cf_a: list[mp.mpf] = []
    cf_b: list[mp.mpf] = []
    while True:
        quotient, rest = divide(den, num)  # den = (c x + d) num + rest
        d, c = quotient
        cf_b.append(1 / c)
        cf_a.append(d / c)
        if len(num) == 1:
            return cf_a, cf_b
        den, num = num, [r / c for r in rest]


if __name__ == "__main__":
    main()
