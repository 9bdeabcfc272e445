// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {HalfLifeDecayLib} from "./HalfLifeDecayLib.sol";

/// @title RealizedVarianceLib
/// @notice One step of the time-weighted EWMA of annualised squared log returns, with a clamped sample.
/// @dev Units: prices WAD (> 0), variance WAD (annualised: 0.64e18 = (80% a year)^2), times in seconds,
/// log returns WAD. YEAR = 365 days.
///   r = ln(pNew / pOld)                       (Solady lnWad of the WAD ratio, ratio rounded down, floored at 1 wei)
///   s = min(r^2 * YEAR / dt, maxSample)       (rounded down)
///   var' = s + d * (var - s),  d = 2^(-dt / halfLife)   (HalfLifeDecayLib.approach: between var and s)
/// Since var' lies between var and s, and s <= maxSample, var <= maxSample implies var' <= maxSample and
/// |var' - var| <= (1 - d) * maxSample (+1 wei of rounding).
library RealizedVarianceLib {
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant WAD = 1e18;

    /// @dev The annualised variance sample of the move pOld -> pNew over `dt` > 0 seconds, clamped to
    /// `maxSample`. Returns the sample, the unclamped log return (WAD) and whether the clamp bound.
    /// Prices below 2^128 (so the WAD ratio cannot overflow).
    function sample(uint256 pOld, uint256 pNew, uint256 dt, uint256 maxSample)
        internal
        pure
        returns (uint256 s, int256 logReturn, bool clamped)
    {
        uint256 ratio = (pNew * WAD) / pOld;
        if (ratio == 0) ratio = 1;
        logReturn = FixedPointMathLib.lnWad(int256(ratio));
        uint256 a = FixedPointMathLib.abs(logReturn);
        // a <= ~136e18 (|ln| of a ratio within [1e-18, 2^128 * 1e18]), so a * a * YEAR < 2^256.
        s = (a * a * YEAR) / (dt * WAD);
        if (s > maxSample) {
            s = maxSample;
            clamped = true;
        }
    }

    /// @dev The EWMA step: `variance` moved toward sample `s` by the weight 1 - 2^(-dt / halfLife).
    function fold(uint256 variance, uint256 s, uint256 dt, uint256 halfLife) internal pure returns (uint256) {
        return HalfLifeDecayLib.approach(variance, s, HalfLifeDecayLib.decay(dt, halfLife));
    }
}
