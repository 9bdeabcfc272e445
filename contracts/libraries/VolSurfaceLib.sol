// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title VolSurfaceLib
/// @notice The pricing volatility at a strike: a linear-in-log-moneyness skew around the ATM vol, floored by a
/// fraction of realized volatility, within [minVol, maxVol].
/// @dev Units: all vols, the skew (vol per unit of ln(K/S)), the floor ratio, strike and spot are WAD.
///   m = ln(K / S)                                   (Solady lnWad of the WAD ratio rounded down, floored at 1 wei)
///   vol = clamp(max(atm + skew * m, ratio * realizedVol), minVol, maxVol)
/// skew * m and ratio * realizedVol round toward zero. Requires 0 < strike < 2^128, 0 < spot < 2^128,
/// realizedVol < 2^64, floorRatio <= 2e18.
library VolSurfaceLib {
    uint256 internal constant WAD = 1e18;

    /// @dev ln(strike / spot) in WAD.
    function logMoneyness(uint256 strike, uint256 spot) internal pure returns (int256) {
        uint256 ratio = (strike * WAD) / spot;
        if (ratio == 0) ratio = 1;
        return FixedPointMathLib.lnWad(int256(ratio));
    }

    /// @dev The blended, clamped pricing volatility (see the library's `@dev`).
    function pricingVol(
        uint256 atmVol,
        int256 skew,
        uint256 strike,
        uint256 spot,
        uint256 realizedVol,
        uint256 floorRatio,
        uint256 minVol,
        uint256 maxVol
    ) internal pure returns (uint256) {
        int256 v = int256(atmVol) + FixedPointMathLib.sMulWad(skew, logMoneyness(strike, spot));
        int256 floorVol = int256(FixedPointMathLib.mulWad(floorRatio, realizedVol));
        if (floorVol > v) v = floorVol;
        return uint256(FixedPointMathLib.clamp(v, int256(minVol), int256(maxVol)));
    }
}
