// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title PerpPricing
/// @notice Skew-based mark, fill price, fee and funding of the perp market (Synthetix perps v2 model).
/// @dev Units: prices WAD (quote per unit of underlying), sizes and skew WAD units of underlying (signed),
/// ratios WAD, funding rate WAD per day, funding index WAD quote per unit of underlying.
/// Callers guarantee |skew| < skewScale and |skew + size| < skewScale, so every price is positive.
library PerpPricing {
    int256 internal constant WAD = 1e18;
    int256 internal constant SECONDS_PER_DAY = 86_400;

    /// @dev mark = index * (skewScale + skew) / skewScale, rounded down.
    function mark(uint256 index, int256 skew, uint256 skewScale) internal pure returns (uint256) {
        return FixedPointMathLib.mulDiv(index, uint256(int256(skewScale) + skew), skewScale);
    }

    /// @dev Fill of a trade of `size` at `skew`: the average of the pre- and post-trade mark,
    /// index * (2 skewScale + 2 skew + size) / (2 skewScale), rounded up for buys and down for sells
    /// (the market's favour).
    function fill(uint256 index, int256 skew, int256 size, uint256 skewScale) internal pure returns (uint256) {
        uint256 num = uint256(2 * int256(skewScale) + 2 * skew + size);
        return size > 0
            ? FixedPointMathLib.mulDivUp(index, num, 2 * skewScale)
            : FixedPointMathLib.mulDiv(index, num, 2 * skewScale);
    }

    /// @dev Fee in quote units, rounded up: the part of |size| that moves the skew toward zero (at most
    /// |skew|) pays `makerFee`, the rest `takerFee`. `scale` = 10**(36 - quoteDecimals).
    function fee(int256 skew, int256 size, uint256 price, uint256 takerFee, uint256 makerFee, uint256 scale)
        internal
        pure
        returns (uint256)
    {
        uint256 absSize = FixedPointMathLib.abs(size);
        uint256 reducing;
        if ((skew > 0 && size < 0) || (skew < 0 && size > 0)) {
            reducing = FixedPointMathLib.min(absSize, FixedPointMathLib.abs(skew));
        }
        uint256 weighted = reducing * makerFee + (absSize - reducing) * takerFee;
        return FixedPointMathLib.mulDivUp(weighted, price, scale * 1e18);
    }

    /// @dev Funding rate, WAD per day: clamp(skew * 1e18 / skewScale, +-maxRate), truncated toward zero.
    function fundingRate(int256 skew, uint256 skewScale, uint256 maxRate) internal pure returns (int256 rate) {
        rate = (skew * WAD) / int256(skewScale);
        int256 cap = int256(maxRate);
        if (rate > cap) rate = cap;
        else if (rate < -cap) rate = -cap;
    }

    /// @dev Growth of the cumulative funding index over `elapsed` seconds at `rate` (WAD per day) and
    /// `index`: rate * index * elapsed / (1e18 * 86400), truncated toward zero.
    function fundingIndexDelta(int256 rate, uint256 index, uint256 elapsed) internal pure returns (int256) {
        return (rate * int256(index) * int256(elapsed)) / (WAD * SECONDS_PER_DAY);
    }
}
