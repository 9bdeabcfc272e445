// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title NormalDist
/// @notice Standard normal distribution: cumulative distribution N(x) and density phi(x).
/// @dev Inputs `x` are signed WAD (1e18 = 1.0). Outputs are unsigned, in WAD (`cdf`, `pdf`) or in the
/// high-resolution scale HI = 1e36 (`cdfHi`, `pdfAndCdfHi`, `pdfAndTailHi`).
///
/// Scheme. For a = |x| the upper tail is written N(-a) = exp(-a^2/2) * P(a)/Q(a), where P/Q (degrees 7
/// and 8, all coefficients positive, 1/sqrt(2*pi) folded into P) is a weighted minimax fit of Mills' ratio
/// on [0, 9] computed by tools/fit_normal_tail.py (relative error <= 2e-14 and absolute error <= 2e-17
/// in the tail). exp(-a^2/2) is range-reduced as 2^-k * exp(-r), |r| <= ln(2)/2, and exp(-r) is the
/// (5,5) Pade approximant (relative error <= 9e-16). Everything is evaluated in assembly in decimal
/// fixed point: a^2 exactly at 1e36, P and Q by Horner's rule with a at WAD and coefficients at 1e36.
/// N(x) = N(-a) for x < 0 and 1 - N(-a) for x >= 0. For a >= CUTOFF = 9 the tail (< 1.2e-19) is taken as 0.
///
/// Accuracy rule (tested against mpmath): absolute error <= 1e-15 everywhere; relative error <= 1e-12
/// for x >= -8. Relative accuracy in the lower tail needs more than 18 decimals (N(-8) = 6.2e-16 is only
/// 622 wei), so the relative rule applies to the 1e36-scaled `cdfHi`; `cdf` is `cdfHi` truncated to WAD.
/// Rounding: all intermediate divisions truncate; WAD outputs truncate the 1e36 value.
library NormalDist {
    /// @dev 1.0 in the high-resolution output scale.
    uint256 internal constant HI = 1e36;
    /// @dev |x| (WAD) at and beyond which the tail is 0 and the density is 0 for `pdfAndTailHi`.
    uint256 internal constant CUTOFF = 9e18;
    /// @dev |x| (WAD) beyond which `pdf` returns 0 (phi(10) = 7.7e-23, below one wei).
    uint256 internal constant PDF_CUTOFF = 10e18;

    // ln(2) and 1/sqrt(2*pi) at 1e36.
    uint256 private constant LN2 = 693147180559945309417232121458176568;
    uint256 private constant HALF_LN2 = 346573590279972654708616060729088284;
    uint256 private constant INV_SQRT_2PI = 398942280401432677939946059934381868;

    // Mills' ratio / sqrt(2*pi) = P(a)/Q(a), a in WAD, coefficients at 1e36 (tools/fit_normal_tail.py 7 9).
    uint256 private constant P0 = 499999999999999981513723201103495732;
    uint256 private constant P1 = 594887122551450445889578483787071388;
    uint256 private constant P2 = 353079209359896871245294699417607789;
    uint256 private constant P3 = 129199700587415343181748765442959167;
    uint256 private constant P4 = 31032638885900114153444059823296721;
    uint256 private constant P5 = 4865620303167799905877985864923143;
    uint256 private constant P6 = 461679577264087444600235649855949;
    uint256 private constant P7 = 20606670723416507280512271883235;
    uint256 private constant Q0 = 1000000000000000000000000000000000000;
    uint256 private constant Q1 = 1987658805905757580479630563866949271;
    uint256 private constant Q2 = 1792080692096183662255641523562286422;
    uint256 private constant Q3 = 960405034421271258603392624522291926;
    uint256 private constant Q4 = 335958038633786931485993626635025950;
    uint256 private constant Q5 = 78943913962343613708648435067958407;
    uint256 private constant Q6 = 12247985197047394422841138787931303;
    uint256 private constant Q7 = 1157258155159513689252363218985732;
    uint256 private constant Q8 = 51653276820386597063483214465190;

    /// @notice N(x) in WAD. Any int256 is accepted.
    /// @dev Truncation of `cdfHi(x)`; absolute error <= 1e-15 + 1 wei.
    function cdf(int256 x) internal pure returns (uint256 p) {
        p = cdfHi(x) / 1e18;
    }

    /// @notice N(x) at 1e36 (HI). Any int256 is accepted.
    /// @dev Absolute error <= 1e-15; relative error <= 1e-12 for x >= -8 (both measured against mpmath).
    function cdfHi(int256 x) internal pure returns (uint256 p) {
        uint256 a = _abs(x);
        if (a >= CUTOFF) return x > 0 ? HI : 0;
        (, uint256 tail) = pdfAndTailHi(a);
        p = x < 0 ? tail : HI - tail;
    }

    /// @notice phi(x) = exp(-x^2/2)/sqrt(2*pi) in WAD. Any int256 is accepted.
    /// @dev Relative error <= 1e-15 before the final truncation to WAD; 0 for |x| > 10.
    function pdf(int256 x) internal pure returns (uint256 d) {
        uint256 a = _abs(x);
        if (a > PDF_CUTOFF) return 0;
        uint256 k;
        uint256 num;
        uint256 den;
        (k, num, den) = _expHalfSq(a);
        /// @solidity memory-safe-assembly
        assembly {
            d := div(shr(k, div(mul(num, INV_SQRT_2PI), den)), 1000000000000000000)
        }
    }

    /// @notice phi(x) and N(x), both at 1e36 (HI), for any int256 `x` (phi is 0 when |x| >= CUTOFF).
    function pdfAndCdfHi(int256 x) internal pure returns (uint256 density, uint256 p) {
        uint256 a = _abs(x);
        if (a >= CUTOFF) return (0, x > 0 ? HI : 0);
        uint256 tail;
        (density, tail) = pdfAndTailHi(a);
        p = x < 0 ? tail : HI - tail;
    }

    /// @notice phi(a) and the upper tail N(-a) at 1e36 for `a` >= 0 in WAD; (0, 0) when a >= CUTOFF.
    function pdfAndTailHi(uint256 a) internal pure returns (uint256 density, uint256 tail) {
        if (a >= CUTOFF) return (0, 0);
        (uint256 k, uint256 num, uint256 den) = _expHalfSq(a);
        /// @solidity memory-safe-assembly
        assembly {
            let w := 1000000000000000000
            let p := add(P6, div(mul(P7, a), w))
            p := add(P5, div(mul(p, a), w))
            p := add(P4, div(mul(p, a), w))
            p := add(P3, div(mul(p, a), w))
            p := add(P2, div(mul(p, a), w))
            p := add(P1, div(mul(p, a), w))
            p := add(P0, div(mul(p, a), w))
            let q := add(Q7, div(mul(Q8, a), w))
            q := add(Q6, div(mul(q, a), w))
            q := add(Q5, div(mul(q, a), w))
            q := add(Q4, div(mul(q, a), w))
            q := add(Q3, div(mul(q, a), w))
            q := add(Q2, div(mul(q, a), w))
            q := add(Q1, div(mul(q, a), w))
            q := add(Q0, div(mul(q, a), w))
            // exp(-r) at 1e36, then times P/Q, then 2^-k.
            let e := div(mul(num, HI), den)
            density := shr(k, div(mul(num, INV_SQRT_2PI), den))
            tail := shr(k, div(mul(e, p), q))
        }
    }

    /// @dev exp(-a^2/2) = 2^-k * num/den with a in WAD, a <= ~3.4e20 (callers cap a far lower).
    /// num/den = exp(-r) is the (5,5) Pade approximant at r = a^2/2 - k*ln2, |r| <= ln(2)/2; num and den
    /// are at scale 30240e36 (positive, <= 3.6e40).
    function _expHalfSq(uint256 a) private pure returns (uint256 k, uint256 num, uint256 den) {
        /// @solidity memory-safe-assembly
        assembly {
            let y := shr(1, mul(a, a)) // a^2/2 at 1e36
            k := div(add(y, HALF_LN2), LN2)
            let r := sub(y, mul(k, LN2)) // signed, |r| <= ln(2)/2 at 1e36
            let s := div(mul(r, r), HI)
            let s2 := div(mul(s, s), HI)
            let e := add(add(30240000000000000000000000000000000000000, mul(3360, s)), mul(30, s2))
            let o := add(add(15120000000000000000000000000000000000000, mul(420, s)), s2)
            let ro := sdiv(mul(r, o), HI)
            num := sub(e, ro)
            den := add(e, ro)
        }
    }

    function _abs(int256 x) private pure returns (uint256 a) {
        /// @solidity memory-safe-assembly
        assembly {
            a := x
            if slt(x, 0) { a := sub(0, x) }
        }
    }
}
