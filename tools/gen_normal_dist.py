"""Writes contracts/libraries/NormalDist.sol from the constants fitted by tools/fit_normal_tail.py.

The assembly is generated so that the nested Horner polynomial and continued fraction, and the copies of
the evaluation inlined in each entry point (for gas, no internal calls), stay consistent with the fit.
Usage: python tools/gen_normal_dist.py"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_normal_tail import constants  # noqa: E402

TARGET = Path(__file__).resolve().parent.parent / "contracts" / "libraries" / "NormalDist.sol"
fitted = constants()
sign = {name: s for name, _, s in fitted}
consts = "\n".join(
    f"    uint256 private constant {name} = {value};" + (" // negative" if s == "-" and name[0] != "C" else "")
    for name, value, s in fitted
)
def nest_sub(n):
    e=f"C{n}"
    for i in range(n-1,-1,-1):
        e=f"sub(C{i}, div(mul(u, {e}), W))"
    return e
n=6
e = f"add(a, A{n})" if sign[f'A{n}']=='+' else f"sub(a, A{n})"
for j in range(n-1,-1,-1):
    frac=f"div(B{j+1}, {e})"
    base = f"add(a, A{j})" if sign[f'A{j}']=='+' else f"sub(a, A{j})"
    e = f"add({base}, {frac})" if sign[f'B{j+1}']=='+' else f"sub({base}, {frac})"
tailcf=e
def wrap(expr, indent):
    return ('\n'+' '*(indent+4)).join(textwrap.wrap(expr, 116-indent, break_on_hyphens=False))
centre=nest_sub(9)
EXP='''let y := shr(1, mul(a, a)) // a^2/2 at 1e36
{I}let k := div(add(y, HALF_LN2), LN2)
{I}let r := sub(y, mul(k, LN2)) // signed, |r| <= ln(2)/2 at 1e36
{I}let s := mul(r, r) // r^2 at 1e72
{I}let t := add(E10, div(s, add(E14, div(s, E18))))
{I}// exp(-r) at 1e36
{I}let ex := sub(ONE_X, sdiv(mul(r, TWO_X), add(add(TWO_X, r), div(s, add(E6, div(s, t))))))'''
def exp(indent): return EXP.replace('{I}',' '*indent)
src=f'''// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title NormalDist
/// @notice Standard normal distribution: cumulative distribution N(x) and density phi(x).
/// @dev Inputs `x` are signed WAD (1e18 = 1.0); any int256 is accepted. Outputs are unsigned, in WAD
/// (`cdf`, `pdf`) or in the high-resolution scale HI = 1e36 (`cdfHi`, `pdfAndCdfHi`).
///
/// Scheme (constants from tools/fit_normal_tail.py), with a = |x|:
///  - a < 1: N(x) = 1/2 + x C(x^2), C a degree-9 polynomial (absolute error about 1e-17), evaluated as
///    C0 - u(C1 - u(C2 - ...)) with u = x^2 and positive constants (the coefficients alternate in sign).
///  - 1 <= a < CUTOFF = 9: N(-a) = exp(-a^2/2) M(a)/sqrt(2 pi), Mills' ratio M approximated by a
///    weighted minimax rational of degrees 6/7 (relative error <= 1.5e-14, absolute error in N <=
///    1.5e-17), evaluated as the continued fraction B0/(a + A0 + B1/(a + A1 + ... + B6/(a + A6))) whose
///    levels all stay >= 1.5 on [1, 9] (signed terms are added modulo 2^256; every divisor is positive).
///    N(x) = N(-a) for x < 0 and 1 - N(-a) for x > 0.
///  - a >= 9: N is 0 or 1 (the neglected tail is below 1.2e-19); phi is 0 in the HI functions.
/// exp(-a^2/2) = 2^-k exp(-r): a^2/2 is formed exactly at 1e36, k = round(a^2/2 / ln 2), |r| <= ln(2)/2,
/// and exp(-r) = 1 - 2r/(2 + r + r^2/(6 + r^2/(10 + r^2/(14 + r^2/18)))), the continued fraction of the
/// (5,5) Pade approximant (relative error <= 1e-15; every level is >= 6, so no cancellation).
/// Fixed point: a and u in WAD, the fraction levels in WAD, the centre polynomial and exp(-r) at 1e36;
/// every division truncates.
///
/// Accuracy rule (tested against mpmath): absolute error <= 1e-15 everywhere; relative error <= 1e-12
/// for x >= -8. The lower tail needs more than 18 decimals for a relative rule (N(-8) = 6.2e-16 is 622
/// wei), so the relative rule applies to `cdfHi` (1e36); `cdf` is `cdfHi` truncated to WAD.
/// N is non-decreasing except for a step down of about 7e-18 where the centre and tail approximations
/// meet (|x| = 1), and N(x) + N(-x) = 1 within 2e-15.
library NormalDist {{
    /// @dev 1.0 in the high-resolution output scale.
    uint256 internal constant HI = 1e36;
    /// @dev |x| (WAD) at and beyond which N is 0 or 1 and phi is 0 (HI functions).
    uint256 internal constant CUTOFF = 9e18;
    /// @dev |x| (WAD) beyond which `pdf` returns 0 (phi(10) = 7.7e-23, below one wei).
    uint256 internal constant PDF_CUTOFF = 10e18;

    uint256 private constant W = 1e18;
    uint256 private constant HALF_HI = 5e35;
    uint256 private constant TWO_HI = 2e36;
    uint256 private constant HI_WAD = 1e54;
    // ln(2) and 1/sqrt(2 pi) at 1e36.
    uint256 private constant LN2 = 693147180559945309417232121458176568;
    uint256 private constant HALF_LN2 = 346573590279972654708616060729088284;
    uint256 private constant INV_SQRT_2PI = 398942280401432677939946059934381868;
    // Continued-fraction levels of exp(-r) at 1e36, and 1 and 2 at 1e36 for its evaluation. Each carries one
    // extra unit (a relative 1e-36, far below the approximation error) so that the optimizer keeps it as a
    // single PUSH32 rather than rebuilding a round number with a shift at every use.
    uint256 private constant E6 = 6e36 + 1;
    uint256 private constant E10 = 10e36 + 1;
    uint256 private constant E14 = 14e36 + 1;
    uint256 private constant E18 = 18e36 + 1;
    uint256 private constant ONE_X = 1e36 + 1;
    uint256 private constant TWO_X = 2e36 + 1;

    // Centre: |C_i| at 1e36 (C0 > 0, signs alternate). Tail: B0 (times 1/sqrt(2 pi)) and |A_i| in WAD,
    // |B_i| (i >= 1) at 1e36; the comment gives the sign.
{consts}

{{CDF_WAD}}    /// @notice N(x) at 1e36 (HI).
    /// @dev Absolute error <= 1e-15; relative error <= 1e-12 for x >= -8 (measured against mpmath).
    function cdfHi(int256 x) internal pure returns (uint256 p) {{
        /// @solidity memory-safe-assembly
        assembly {{
            let a := x
            if slt(x, 0) {{ a := sub(0, x) }}
            switch lt(a, W)
            case 1 {{
                let u := div(mul(a, a), W)
                // forgefmt: disable-next-item
                p := div(mul(a, {wrap(centre, 16)}), W)
                switch slt(x, 0)
                case 1 {{ p := sub(HALF_HI, p) }}
                default {{ p := add(HALF_HI, p) }}
            }}
            default {{
                switch lt(a, CUTOFF)
                case 0 {{ p := mul(sgt(x, 0), HI) }}
                default {{
                    {exp(20)}
                    // forgefmt: disable-next-item
                    p := shr(k, div(mul(ex, B0), {wrap(tailcf, 20)}))
                    if sgt(x, 0) {{ p := sub(HI, p) }}
                }}
            }}
        }}
    }}

    /// @notice phi(x) = exp(-x^2/2)/sqrt(2 pi) in WAD.
    /// @dev Relative error <= 1e-15 before the final truncation to WAD; 0 for |x| > 10.
    function pdf(int256 x) internal pure returns (uint256 d) {{
        /// @solidity memory-safe-assembly
        assembly {{
            let a := x
            if slt(x, 0) {{ a := sub(0, x) }}
            if iszero(gt(a, PDF_CUTOFF)) {{
                {exp(16)}
                d := div(shr(k, mul(ex, INV_SQRT_2PI)), HI_WAD)
            }}
        }}
    }}

    /// @notice phi(x) and N(x), both at 1e36 (HI); phi is 0 and N is 0 or 1 when |x| >= CUTOFF.
    /// @dev The evaluations of `cdfHi` and `pdf` sharing exp(-x^2/2); for pricing.
    function pdfAndCdfHi(int256 x) internal pure returns (uint256 density, uint256 p) {{
        /// @solidity memory-safe-assembly
        assembly {{
            let a := x
            if slt(x, 0) {{ a := sub(0, x) }}
            switch lt(a, CUTOFF)
            case 0 {{ p := mul(sgt(x, 0), HI) }}
            default {{
                {exp(16)}
                density := shr(k, div(mul(ex, INV_SQRT_2PI), HI))
                switch lt(a, W)
                case 1 {{
                    let u := div(mul(a, a), W)
                    // forgefmt: disable-next-item
                    p := div(mul(a, {wrap(centre, 20)}), W)
                    switch slt(x, 0)
                    case 1 {{ p := sub(HALF_HI, p) }}
                    default {{ p := add(HALF_HI, p) }}
                }}
                default {{
                    // forgefmt: disable-next-item
                    p := shr(k, div(mul(ex, B0), {wrap(tailcf, 24)}))
                    if sgt(x, 0) {{ p := sub(HI, p) }}
                }}
            }}
        }}
    }}
}}
'''
hi_start = src.index("    /// @notice N(x) at 1e36 (HI).")
hi_end = src.index("    /// @notice phi(x) = exp")
hi_fn = src[hi_start:hi_end]
wad_fn = (
    hi_fn.replace("/// @notice N(x) at 1e36 (HI).", "/// @notice N(x) in WAD.")
    .replace(
        "/// @dev Absolute error <= 1e-15; relative error <= 1e-12 for x >= -8 (measured against mpmath).",
        "/// @dev `cdfHi(x)` truncated to WAD (the same evaluation inlined); absolute error <= 1e-15 + 1 wei.",
    )
    .replace("function cdfHi(", "function cdf(")
    .replace("                }\n            }\n        }\n    }\n", "                }\n            }\n            p := div(p, W)\n        }\n    }\n")
)
assert "p := div(p, W)" in wad_fn
src = src.replace("{CDF_WAD}", wad_fn)
TARGET.write_text(src)
