// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib as F} from "solady/utils/FixedPointMathLib.sol";

/// @title BlackScholes
/// @notice European option prices and greeks (Black-Scholes, no dividends).
/// @dev All inputs and outputs WAD. `tau` in years, `vol` and `rate` per year. gamma per 1 quote unit of
/// spot; vega per 1.00 of vol; theta per year. The normal CDF uses the Abramowitz-Stegun 7.1.26 erf
/// approximation (absolute error below 1.5e-7); prices round down.
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

    int256 internal constant WAD = 1e18;
    int256 internal constant INV_SQRT_2PI = 398942280401432678; // 1/sqrt(2 pi)

    function quote(uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
        internal
        pure
        returns (Quote memory q)
    {
        int256 disc = F.expWad(-int256(F.mulWad(rate, tau)));
        int256 kDisc = int256(strike) * disc / WAD;
        if (tau == 0 || vol == 0) {
            int256 fwdIntr = int256(spot) - kDisc;
            q.callPrice = fwdIntr > 0 ? uint256(fwdIntr) : 0;
            q.putPrice = fwdIntr < 0 ? uint256(-fwdIntr) : 0;
            q.callDelta = fwdIntr > 0 ? WAD : int256(0);
            q.putDelta = q.callDelta - WAD;
            return q;
        }
        Tmp memory t;
        t.spot = int256(spot);
        t.kDisc = kDisc;
        t.sqrtTau = int256(F.sqrtWad(tau));
        t.vol = int256(vol);
        t.rate = int256(rate);
        t.sd = int256(F.mulWad(vol, uint256(t.sqrtTau)));
        t.d1 = (F.lnWad(int256(F.divWad(spot, strike))) + int256(F.mulWad(rate + F.mulWad(vol, vol) / 2, tau)))
            * WAD / t.sd;
        _fill(q, t);
    }

    struct Tmp {
        int256 spot;
        int256 kDisc;
        int256 d1;
        int256 sd;
        int256 sqrtTau;
        int256 vol;
        int256 rate;
    }

    function _fill(Quote memory q, Tmp memory t) private pure {
        int256 nd1 = _cdf(t.d1);
        int256 nd2 = _cdf(t.d1 - t.sd);
        int256 pdf1 = _pdf(t.d1);
        int256 c = t.spot * nd1 / WAD - t.kDisc * nd2 / WAD;
        if (c < 0) c = 0;
        int256 p = c - t.spot + t.kDisc;
        if (p < 0) p = 0;
        q.callPrice = uint256(c);
        q.putPrice = uint256(p);
        q.callDelta = nd1;
        q.putDelta = nd1 - WAD;
        q.gamma = uint256(pdf1 * WAD / (t.spot * t.sd / WAD));
        q.vega = uint256(t.spot * pdf1 / WAD * t.sqrtTau / WAD);
        int256 decay = -(t.spot * pdf1 / WAD) * t.vol / (2 * t.sqrtTau);
        int256 rk = t.rate * t.kDisc / WAD;
        q.callTheta = decay - rk * nd2 / WAD;
        q.putTheta = decay + rk * (WAD - nd2) / WAD;
    }

    function _pdf(int256 x) private pure returns (int256) {
        return INV_SQRT_2PI * F.expWad(-(x * x / WAD) / 2) / WAD;
    }

    function _cdf(int256 x) private pure returns (int256) {
        if (x > 8 * WAD) return WAD;
        if (x < -8 * WAD) return 0;
        // Phi(x) = (1 + erf(x / sqrt 2)) / 2
        int256 z = x * WAD / 1414213562373095049;
        bool neg = z < 0;
        if (neg) z = -z;
        int256 t = WAD * WAD / (WAD + 327591100000000000 * z / WAD);
        int256 poly = 1061405429000000000;
        poly = poly * t / WAD - 1453152027000000000;
        poly = poly * t / WAD + 1421413741000000000;
        poly = poly * t / WAD - 284496736000000000;
        poly = poly * t / WAD + 254829592000000000;
        poly = poly * t / WAD;
        int256 erf = WAD - poly * F.expWad(-(z * z / WAD)) / WAD;
        if (neg) erf = -erf;
        return (WAD + erf) / 2;
    }
}
