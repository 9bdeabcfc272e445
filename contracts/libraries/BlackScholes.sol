// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {HiMath} from "./HiMath.sol";
import {NormalDist} from "./NormalDist.sol";

/// @title BlackScholes
/// @notice European call and put prices and greeks (Black-Scholes, no dividends) in one fused call.
/// @dev Units (all WAD, 1e18 = 1.0): spot and strike in quote per unit of underlying; tau in years;
/// vol per year; rate per year, continuously compounded. Outputs: prices in spot units; deltas
/// dimensionless; gamma = d(delta)/d(spot) per 1 quote unit of spot; vega = d(price)/d(vol) per 1.00
/// of vol; theta = d(price)/d(t) per year (calendar time passing, so usually negative for a long).
///
/// Accepted inputs (else a custom error naming the input): spot and strike in [MIN_PRICE, MAX_PRICE]
/// = [1e-6, 1e12]; tau in [0, MAX_TAU] = 10 years; vol in [0, MAX_VOL] = 10.0; rate in [0, MAX_RATE] = 1.0.
/// Any spot/strike ratio inside those bounds is accepted (ln(S/K) is taken of S/K at 1e36 resolution).
///
/// Edges. tau = 0: prices are intrinsic, callDelta is 1 if S > K, 0 if S < K and 1/2 at the money
/// (putDelta = callDelta - 1), gamma, vega and theta are 0. vol = 0 (tau > 0): the deterministic forward,
/// with Kd = K exp(-r tau): call = max(S - Kd, 0), put = max(Kd - S, 0), callDelta = 1, 0 or 1/2 as S
/// is above, below or equal to Kd, callTheta = -r Kd callDelta, putTheta = callTheta + r Kd, gamma =
/// vega = 0. Otherwise |d1|, |d2| >= 9 count as +-infinity (N = 0 or 1, phi = 0). Always: put = call
/// + Kd - S exactly (parity), max(S - Kd, 0) <= call <= S, max(Kd - S, 0) <= put <= Kd,
/// putDelta = callDelta - 1e18, putTheta = callTheta + r Kd.
///
/// Rounding: intermediate products truncate; N and phi are carried at 1e36 (see NormalDist); Kd uses
/// HiMath.expNeg (relative error <= 1e-15) and ln(S/K) Solady's lnWad of S/K at 1e36.
/// Accuracy (tested against an mpmath reference over S/K in [0.5, 2], tau in [1 h, 2 y], vol in
/// [0.05, 3], rate in [0, 0.2]): price error <= 1e-12 * spot; delta error <= 1e-13; gamma, vega and theta
/// error <= 1e-10 * |exact| + 1e-12 * natural scale, where the natural scale is 1/spot for gamma and
/// spot for vega and theta.
library BlackScholes {
    struct Quote {
        uint256 callPrice;
        uint256 putPrice;
        int256 callDelta;
        int256 putDelta;
        uint256 gamma;
        uint256 vega;
        int256 callTheta;
        int256 putTheta;
    }

    error SpotOutOfRange(uint256 spot);
    error StrikeOutOfRange(uint256 strike);
    error TimeOutOfRange(uint256 tau);
    error VolOutOfRange(uint256 vol);
    error RateOutOfRange(uint256 rate);

    uint256 internal constant MIN_PRICE = 1e12;
    uint256 internal constant MAX_PRICE = 1e30;
    uint256 internal constant MAX_TAU = 10e18;
    uint256 internal constant MAX_VOL = 10e18;
    uint256 internal constant MAX_RATE = 1e18;
    /// @dev Seconds in a year of 365 days, the year `yearsFromSeconds` uses.
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    uint256 private constant WAD = 1e18;
    uint256 private constant TWO_WAD = 2e18;
    uint256 private constant HI = 1e36;
    uint256 private constant TWO_HI = 2e36;
    /// @dev ln(1e18) in WAD: lnWad(x * 1e36 / y) - LN_1E18 = ln(x / y).
    int256 private constant LN_1E18 = 41446531673892822312;

    /// @notice Time in years (WAD) for `secs` seconds, a year being 365 days; truncates.
    function yearsFromSeconds(uint256 secs) internal pure returns (uint256) {
        return secs * WAD / SECONDS_PER_YEAR;
    }

    /// @notice Time to expiry in years (WAD) from `nowTs` to `expiry` (seconds); 0 at or after expiry.
    function timeToExpiry(uint256 expiry, uint256 nowTs) internal pure returns (uint256) {
        return expiry > nowTs ? yearsFromSeconds(expiry - nowTs) : 0;
    }

    /// @notice Reverts with the custom error naming the first input outside the accepted ranges.
    function checkInputs(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate) internal pure {
        if (spot < MIN_PRICE || spot > MAX_PRICE) revert SpotOutOfRange(spot);
        if (strike < MIN_PRICE || strike > MAX_PRICE) revert StrikeOutOfRange(strike);
        if (tau > MAX_TAU) revert TimeOutOfRange(tau);
        if (vol > MAX_VOL) revert VolOutOfRange(vol);
        if (rate > MAX_RATE) revert RateOutOfRange(rate);
    }

    /// @notice Prices and greeks of the European call and put (see the library notes for units and edges).
    function quote(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
        internal
        pure
        returns (Quote memory q)
    {
        checkInputs(spot, strike, tau, vol, rate);
        if (tau == 0) return _atExpiry(spot, strike);
        uint256 kd; // K exp(-r tau), WAD
        unchecked {
            kd = strike * HiMath.expNeg(rate * tau) / HI;
        }
        if (vol == 0) return _deterministic(spot, kd, rate);
        // Scratch in q until _fill overwrites it: putPrice <- Kd, gamma <- vol sqrt(tau), vega <- sqrt(tau).
        q.putPrice = kd;
        int256 d1 = _d1(q, spot, strike, tau, vol, rate);
        (uint256 phi1, uint256 n1) = NormalDist.pdfAndCdfHi(d1);
        uint256 n2;
        /// @solidity memory-safe-assembly
        assembly {
            n2 := sub(d1, div(mload(add(q, 0x80)), WAD)) // d2 = d1 - vol sqrt(tau)
        }
        n2 = NormalDist.cdfHi(int256(n2));
        _fill(q, spot, vol, rate, phi1, n1, n2);
    }

    /// @dev d1 in WAD; stores vol sqrt(tau) in q.gamma and sqrt(tau) in q.vega, both at 1e36.
    function _d1(Quote memory q, uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
        private
        pure
        returns (int256 d1)
    {
        uint256 sqrtT;
        int256 lnSK;
        unchecked {
            sqrtT = FixedPointMathLib.sqrt(tau * 1e54); // sqrt(tau) at 1e36, >= 1e27 (tau <= 1e19)
            // ln(S/K) in WAD from S/K at 1e36, in [1e18, 1e54]
            lnSK = FixedPointMathLib.lnWad(int256(spot * HI / strike)) - LN_1E18;
        }
        /// @solidity memory-safe-assembly
        assembly {
            let v := div(mul(vol, sqrtT), WAD)
            mstore(add(q, 0x80), v)
            mstore(add(q, 0xa0), sqrtT)
            // (ln(S/K) + (r + vol^2/2) tau) / (vol sqrt(tau)); the numerator is below 552 WAD in magnitude
            let numer := add(lnSK, div(mul(add(rate, div(mul(vol, vol), TWO_WAD)), tau), WAD))
            d1 := sdiv(mul(numer, HI), v)
        }
    }

    /// @dev Prices, deltas and greeks from phi(d1) = phi1, N(d1) = n1, N(d2) = n2 (all 1e36) and the
    /// scratch values _d1 and quote left in q.
    function _fill(Quote memory q, uint256 spot, uint256 vol, uint256 rate, uint256 phi1, uint256 n1, uint256 n2)
        private
        pure
    {
        /// @solidity memory-safe-assembly
        assembly {
            let kd := mload(add(q, 0x20))
            let v := mload(add(q, 0x80))
            let sqrtT := mload(add(q, 0xa0))
            // call = S N(d1) - Kd N(d2), clamped to [max(S - Kd, 0), S]; put by parity.
            let c := sdiv(sub(mul(spot, n1), mul(kd, n2)), HI)
            let lower := 0
            if gt(spot, kd) { lower := sub(spot, kd) }
            if slt(c, lower) { c := lower }
            if gt(c, spot) { c := spot }
            mstore(q, c)
            mstore(add(q, 0x20), sub(add(c, kd), spot))
            let delta := div(n1, WAD)
            mstore(add(q, 0x40), delta)
            mstore(add(q, 0x60), sub(delta, WAD))
            // gamma = phi(d1) / (S vol sqrt(tau)); vega = S phi(d1) sqrt(tau)
            mstore(add(q, 0x80), div(mul(phi1, HI), mul(spot, v)))
            mstore(add(q, 0xa0), div(mul(div(mul(phi1, sqrtT), HI), spot), HI))
            // theta_call = -S phi(d1) vol / (2 sqrt(tau)) - r Kd N(d2); theta_put = theta_call + r Kd
            let decay := div(mul(spot, div(mul(mul(phi1, vol), WAD), sqrtT)), TWO_HI)
            let theta := sub(0, add(decay, div(mul(rate, div(mul(kd, n2), HI)), WAD)))
            mstore(add(q, 0xc0), theta)
            mstore(add(q, 0xe0), add(theta, div(mul(rate, kd), WAD)))
        }
    }

    function _atExpiry(uint256 spot, uint256 strike) private pure returns (Quote memory q) {
        unchecked {
            if (spot > strike) {
                q.callPrice = spot - strike;
                q.callDelta = int256(WAD);
            } else if (spot < strike) {
                q.putPrice = strike - spot;
                q.putDelta = -int256(WAD);
            } else {
                q.callDelta = int256(WAD / 2);
                q.putDelta = -int256(WAD / 2);
            }
        }
    }

    function _deterministic(uint256 spot, uint256 kd, uint256 rate) private pure returns (Quote memory q) {
        unchecked {
            int256 carry = int256(rate * kd / WAD);
            if (spot > kd) {
                q.callPrice = spot - kd;
                q.callDelta = int256(WAD);
                q.callTheta = -carry;
            } else if (spot < kd) {
                q.putPrice = kd - spot;
                q.putDelta = -int256(WAD);
                q.putTheta = carry;
            } else {
                q.callDelta = int256(WAD / 2);
                q.putDelta = -int256(WAD / 2);
                q.callTheta = -carry / 2;
                q.putTheta = q.callTheta + carry;
            }
        }
    }
}
