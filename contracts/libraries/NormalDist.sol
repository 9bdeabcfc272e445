// SPDX-License-Identifier: MIT
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
library NormalDist {
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
    uint256 private constant C0 = 398942280401432670005482806721492867;
    uint256 private constant C1 = 66490380066903859096147276097414515;
    uint256 private constant C2 = 9973557009983382572744495426447712;
    uint256 private constant C3 = 1187328214807940468524031708033440;
    uint256 private constant C4 = 115434683230836154169180889065720;
    uint256 private constant C5 = 9444639808676773788675432621006;
    uint256 private constant C6 = 665931690408104186942422044442;
    uint256 private constant C7 = 41173089319651835544047911246;
    uint256 private constant C8 = 2227076539172118731714931249;
    uint256 private constant C9 = 90261099045655837152244045;
    uint256 private constant B0 = 398942364062953608;
    uint256 private constant A0 = 17991595119379;
    uint256 private constant A1 = 19563934682670826; // negative
    uint256 private constant A2 = 2329575523585671572;
    uint256 private constant A3 = 8363350468312979634;
    uint256 private constant A4 = 1989389615581530273;
    uint256 private constant A5 = 6731842831231829043; // negative
    uint256 private constant A6 = 10172618696373740207;
    uint256 private constant B1 = 999259239243567237212233146457466392;
    uint256 private constant B2 = 2373950504819593156312067356678227354;
    uint256 private constant B3 = 19557013654779378292594590332121770279; // negative
    uint256 private constant B4 = 34113062473211194664027734140545532820;
    uint256 private constant B5 = 2527932588745697560921637285303697910; // negative
    uint256 private constant B6 = 94673350866073479538586385803292344057;

    /// @notice N(x) in WAD.
    /// @dev `cdfHi(x)` truncated to WAD (the same evaluation inlined); absolute error <= 1e-15 + 1 wei.
    function cdf(int256 x) internal pure returns (uint256 p) {
        /// @solidity memory-safe-assembly
        assembly {
            let a := x
            if slt(x, 0) { a := sub(0, x) }
            switch lt(a, W)
            case 1 {
                let u := div(mul(a, a), W)
                // forgefmt: disable-next-item
                p := div(mul(a, sub(C0, div(mul(u, sub(C1, div(mul(u, sub(C2, div(mul(u, sub(C3, div(mul(u, sub(C4, div(mul(u,
                    sub(C5, div(mul(u, sub(C6, div(mul(u, sub(C7, div(mul(u, sub(C8, div(mul(u, C9), W))), W))), W))),
                    W))), W))), W))), W))), W))), W))), W)
                switch slt(x, 0)
                case 1 { p := sub(HALF_HI, p) }
                default { p := add(HALF_HI, p) }
            }
            default {
                switch lt(a, CUTOFF)
                case 0 { p := mul(sgt(x, 0), HI) }
                default {
                    let y := shr(1, mul(a, a)) // a^2/2 at 1e36
                    let k := div(add(y, HALF_LN2), LN2)
                    let r := sub(y, mul(k, LN2)) // signed, |r| <= ln(2)/2 at 1e36
                    let s := mul(r, r) // r^2 at 1e72
                    let t := add(E10, div(s, add(E14, div(s, E18))))
                    // exp(-r) at 1e36
                    let ex := sub(ONE_X, sdiv(mul(r, TWO_X), add(add(TWO_X, r), div(s, add(E6, div(s, t))))))
                    // forgefmt: disable-next-item
                    p := shr(k, div(mul(ex, B0), add(add(a, A0), div(B1, add(sub(a, A1), div(B2, sub(add(a, A2), div(B3, add(add(a, A3), div(B4,
                        sub(add(a, A4), div(B5, add(sub(a, A5), div(B6, add(a, A6)))))))))))))))
                    if sgt(x, 0) { p := sub(HI, p) }
                }
            }
            p := div(p, W)
        }
    }

    /// @notice N(x) at 1e36 (HI).
    /// @dev Absolute error <= 1e-15; relative error <= 1e-12 for x >= -8 (measured against mpmath).
    function cdfHi(int256 x) internal pure returns (uint256 p) {
        /// @solidity memory-safe-assembly
        assembly {
            let a := x
            if slt(x, 0) { a := sub(0, x) }
            switch lt(a, W)
            case 1 {
                let u := div(mul(a, a), W)
                // forgefmt: disable-next-item
                p := div(mul(a, sub(C0, div(mul(u, sub(C1, div(mul(u, sub(C2, div(mul(u, sub(C3, div(mul(u, sub(C4, div(mul(u,
                    sub(C5, div(mul(u, sub(C6, div(mul(u, sub(C7, div(mul(u, sub(C8, div(mul(u, C9), W))), W))), W))),
                    W))), W))), W))), W))), W))), W))), W)
                switch slt(x, 0)
                case 1 { p := sub(HALF_HI, p) }
                default { p := add(HALF_HI, p) }
            }
            default {
                switch lt(a, CUTOFF)
                case 0 { p := mul(sgt(x, 0), HI) }
                default {
                    let y := shr(1, mul(a, a)) // a^2/2 at 1e36
                    let k := div(add(y, HALF_LN2), LN2)
                    let r := sub(y, mul(k, LN2)) // signed, |r| <= ln(2)/2 at 1e36
                    let s := mul(r, r) // r^2 at 1e72
                    let t := add(E10, div(s, add(E14, div(s, E18))))
                    // exp(-r) at 1e36
                    let ex := sub(ONE_X, sdiv(mul(r, TWO_X), add(add(TWO_X, r), div(s, add(E6, div(s, t))))))
                    // forgefmt: disable-next-item
                    p := shr(k, div(mul(ex, B0), add(add(a, A0), div(B1, add(sub(a, A1), div(B2, sub(add(a, A2), div(B3, add(add(a, A3), div(B4,
                        sub(add(a, A4), div(B5, add(sub(a, A5), div(B6, add(a, A6)))))))))))))))
                    if sgt(x, 0) { p := sub(HI, p) }
                }
            }
        }
    }

    /// @notice phi(x) = exp(-x^2/2)/sqrt(2 pi) in WAD.
    /// @dev Relative error <= 1e-15 before the final truncation to WAD; 0 for |x| > 10.
    function pdf(int256 x) internal pure returns (uint256 d) {
        /// @solidity memory-safe-assembly
        assembly {
            let a := x
            if slt(x, 0) { a := sub(0, x) }
            if iszero(gt(a, PDF_CUTOFF)) {
                let y := shr(1, mul(a, a)) // a^2/2 at 1e36
                let k := div(add(y, HALF_LN2), LN2)
                let r := sub(y, mul(k, LN2)) // signed, |r| <= ln(2)/2 at 1e36
                let s := mul(r, r) // r^2 at 1e72
                let t := add(E10, div(s, add(E14, div(s, E18))))
                // exp(-r) at 1e36
                let ex := sub(ONE_X, sdiv(mul(r, TWO_X), add(add(TWO_X, r), div(s, add(E6, div(s, t))))))
                d := div(shr(k, mul(ex, INV_SQRT_2PI)), HI_WAD)
            }
        }
    }

    /// @notice phi(x) and N(x), both at 1e36 (HI); phi is 0 and N is 0 or 1 when |x| >= CUTOFF.
    /// @dev The evaluations of `cdfHi` and `pdf` sharing exp(-x^2/2); for pricing.
    function pdfAndCdfHi(int256 x) internal pure returns (uint256 density, uint256 p) {
        /// @solidity memory-safe-assembly
        assembly {
            let a := x
            if slt(x, 0) { a := sub(0, x) }
            switch lt(a, CUTOFF)
            case 0 { p := mul(sgt(x, 0), HI) }
            default {
                let y := shr(1, mul(a, a)) // a^2/2 at 1e36
                let k := div(add(y, HALF_LN2), LN2)
                let r := sub(y, mul(k, LN2)) // signed, |r| <= ln(2)/2 at 1e36
                let s := mul(r, r) // r^2 at 1e72
                let t := add(E10, div(s, add(E14, div(s, E18))))
                // exp(-r) at 1e36
                let ex := sub(ONE_X, sdiv(mul(r, TWO_X), add(add(TWO_X, r), div(s, add(E6, div(s, t))))))
                density := shr(k, div(mul(ex, INV_SQRT_2PI), HI))
                switch lt(a, W)
                case 1 {
                    let u := div(mul(a, a), W)
                    // forgefmt: disable-next-item
                    p := div(mul(a, sub(C0, div(mul(u, sub(C1, div(mul(u, sub(C2, div(mul(u, sub(C3, div(mul(u, sub(C4, div(mul(u,
                        sub(C5, div(mul(u, sub(C6, div(mul(u, sub(C7, div(mul(u, sub(C8, div(mul(u, C9), W))), W))),
                        W))), W))), W))), W))), W))), W))), W))), W)
                    switch slt(x, 0)
                    case 1 { p := sub(HALF_HI, p) }
                    default { p := add(HALF_HI, p) }
                }
                default {
                    // forgefmt: disable-next-item
                    p := shr(k, div(mul(ex, B0), add(add(a, A0), div(B1, add(sub(a, A1), div(B2, sub(add(a, A2), div(B3, add(add(a, A3),
                            div(B4, sub(add(a, A4), div(B5, add(sub(a, A5), div(B6, add(a, A6)))))))))))))))
                    if sgt(x, 0) { p := sub(HI, p) }
                }
            }
        }
    }
}
