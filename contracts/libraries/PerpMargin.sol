// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title PerpMargin
/// @notice PnL, funding owed, margin requirements, partial-liquidation size and bankruptcy price.
/// @dev Units: sizes WAD units of underlying (signed), prices WAD, ratios WAD, money in quote units.
/// `scale` = 10**(36 - quoteDecimals) converts size * price (WAD * WAD) into quote units.
/// Every rounding favours the market: PnL rounds toward -infinity, owed funding toward +infinity,
/// requirements up.
library PerpMargin {
    /// @dev floor(size * (price - lastPrice) / scale).
    function pnl(int256 size, uint256 price, uint256 lastPrice, uint256 scale) internal pure returns (int256) {
        return floorDiv(size * (int256(price) - int256(lastPrice)), int256(scale));
    }

    /// @dev ceil(size * (fundingIndex - lastFundingIndex) / scale): + the account pays, - it receives.
    function fundingOwed(int256 size, int256 fundingIndex, int256 lastFundingIndex, uint256 scale)
        internal
        pure
        returns (int256)
    {
        return ceilDiv(size * (fundingIndex - lastFundingIndex), int256(scale));
    }

    /// @dev ceil(|size| * price * ratio / (1e18 * scale)): a margin requirement in quote units.
    function requirement(int256 size, uint256 price, uint256 ratio, uint256 scale) internal pure returns (uint256) {
        return FixedPointMathLib.mulDivUp(FixedPointMathLib.abs(size) * price, ratio, scale * 1e18);
    }

    /// @dev Size (absolute, WAD) to close so that equity returns to initial margin after the close,
    /// using a conservative linear bound on the price impact of the close on the fill and on the rest of
    /// the position: closing q costs at most q * (mark * (reward + penalty) + index * |s| / skewScale)
    /// and raises the requirement of the remainder by at most q * index * |s| * imr / skewScale.
    /// q = ceil((|s| * mark * imr / 1e18 - equity * scale) / den) with
    /// den = mark * (imr - reward - penalty) / 1e18 - index * |s| * (1e18 + imr) / (skewScale * 1e18).
    /// Returns |s| (full liquidation) when den <= 0 or q >= |s|.
    function partialCloseSize(
        int256 size,
        int256 equity,
        uint256 markPrice,
        uint256 index,
        uint256 skewScale,
        uint256 imr,
        uint256 rewardPlusPenalty,
        uint256 scale
    ) internal pure returns (uint256) {
        uint256 s = FixedPointMathLib.abs(size);
        int256 den = int256(FixedPointMathLib.mulWad(markPrice, imr - rewardPlusPenalty))
            - int256(FixedPointMathLib.mulDivUp(index * s, 1e18 + imr, skewScale * 1e18));
        if (den <= 0) return s;
        // numerator in WAD quote: |s| * mark * imr / 1e18 / 1e18 * 1e18 ... kept as WAD * WAD / 1e18.
        int256 num = int256(FixedPointMathLib.mulDivUp(s * markPrice, imr, 1e36)) * 1e18 - equity * int256(scale);
        if (num <= 0) return 0;
        uint256 q = FixedPointMathLib.divUp(uint256(num), uint256(den));
        return q >= s ? s : q;
    }

    /// @dev Price at which an account of `size`, `margin` + `extra` available, `funding` owed and
    /// settled at `lastPrice`, has zero equity: lastPrice - (margin + extra - funding) * scale / size.
    /// Rounded up for longs and down for shorts, so the account's loss at it never exceeds what is
    /// available. Returns 0 when no positive price qualifies.
    function bankruptcyPrice(int256 size, uint256 lastPrice, int256 available, uint256 scale)
        internal
        pure
        returns (uint256)
    {
        int256 num = available * int256(scale);
        int256 p;
        if (size > 0) p = int256(lastPrice) - floorDiv(num, size);
        else p = int256(lastPrice) + floorDiv(num, -size);
        return p > 0 ? uint256(p) : 0;
    }

    /// @dev Signed division rounded toward -infinity (`b` > 0).
    function floorDiv(int256 a, int256 b) internal pure returns (int256 q) {
        q = a / b;
        if (a % b != 0 && a < 0) q -= 1;
    }

    /// @dev Signed division rounded toward +infinity (`b` > 0).
    function ceilDiv(int256 a, int256 b) internal pure returns (int256 q) {
        q = a / b;
        if (a % b != 0 && a > 0) q += 1;
    }
}
