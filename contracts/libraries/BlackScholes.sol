// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
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
/// Rounding: intermediate products truncate; N and phi are carried at 1e36 (see NormalDist).
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
    uint256 private constant HI = 1e36;
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
        unchecked {
            if (tau == 0) return _atExpiry(spot, strike);
            // Kd = K exp(-r tau)
            uint256 kd = strike * uint256(FixedPointMathLib.expWad(-int256(rate * tau / WAD))) / WAD;
            if (vol == 0) return _deterministic(spot, kd, rate);
            uint256 sqrtT = FixedPointMathLib.sqrt(tau * 1e54); // sqrt(tau) at 1e36
            uint256 v = vol * sqrtT / WAD; // vol sqrt(tau) at 1e36, > 0
            int256 d1 = _d1(spot, strike, tau, vol, rate, v);
            _prices(q, spot, kd, d1, v);
            _greeks(q, spot, kd, vol, rate, sqrtT, v);
        }
    }

    /// @dev d1 in WAD; `v` = vol sqrt(tau) at 1e36.
    function _d1(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate, uint256 v)
        private
        pure
        returns (int256)
    {
        unchecked {
            int256 lnSK = FixedPointMathLib.lnWad(int256(spot * HI / strike)) - LN_1E18;
            int256 numer = lnSK + int256((rate + vol * vol / (2 * WAD)) * tau / WAD);
            return numer * int256(HI) / int256(v);
        }
    }

    /// @dev Fills prices and deltas; leaves phi(d1) in q.gamma and N(d2) (both 1e36) in q.vega for _greeks.
    function _prices(Quote memory q, uint256 spot, uint256 kd, int256 d1, uint256 v) private pure {
        unchecked {
            (uint256 phi1, uint256 n1) = NormalDist.pdfAndCdfHi(d1);
            (, uint256 n2) = NormalDist.pdfAndCdfHi(d1 - int256(v / WAD));
            int256 c = (int256(spot * n1) - int256(kd * n2)) / int256(HI);
            uint256 call = c < 0 ? 0 : uint256(c);
            if (spot > kd && call < spot - kd) call = spot - kd;
            if (call > spot) call = spot;
            q.callPrice = call;
            q.putPrice = call + kd - spot;
            q.callDelta = int256(n1 / WAD);
            q.putDelta = q.callDelta - int256(WAD);
            q.gamma = phi1;
            q.vega = n2;
        }
    }

    function _greeks(Quote memory q, uint256 spot, uint256 kd, uint256 vol, uint256 rate, uint256 sqrtT, uint256 v)
        private
        pure
    {
        unchecked {
            uint256 phi1 = q.gamma;
            uint256 n2 = q.vega;
            q.gamma = phi1 * HI / (spot * v);
            q.vega = (phi1 * sqrtT / HI) * spot / HI;
            uint256 decay = spot * (phi1 * vol * WAD / sqrtT) / (2 * HI);
            uint256 carry = rate * (kd * n2 / HI) / WAD;
            q.callTheta = -int256(decay + carry);
            q.putTheta = q.callTheta + int256(rate * kd / WAD);
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
