// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title PerpMargin
/// @notice PnL, funding owed, margin requirements, partial-liquidation size and bankruptcy price.
/// @dev Units: sizes WAD units of underlying (signed), prices WAD, ratios WAD, money in quote units.
/// `scale` = 10**(36 - quoteDecimals) converts size * price (WAD * WAD) into quote units.
/// Every rounding favours the market: PnL rounds toward -infinity, owed funding toward +infinity,
/// requirements up. Inputs come from the market's packed storage (prices and sizes below 2**128, scale
/// 10**30), so the int256 casts cannot truncate and the products cannot overflow.
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

    /// @dev Smallest size q (absolute, WAD, rounded up) whose close brings equity back to initial margin.
    /// Closing q of |s| at mark P (index I, skewScale S, reward + penalty ratio c) fills at
    /// P -+ I q / (2S) and moves the mark to P' = P -+ I q / S (- for a long, + for a short), so
    ///   equity' = e - I q (2|s| - q) / (2S) - c q fill,   IM' = (|s| - q) P' imr,
    /// and g(q) = equity' - IM' = A + B q + C q^2 (real numbers) with
    ///   A = e - imr |s| P,
    ///   B = P (imr - c) - I |s| / S +- imr |s| I / S,
    ///   C = I (1 + c -+ 2 imr) / (2S) ... long: (1 + c - 2 imr); short: (1 - c + 2 imr).
    /// With C > 0 the positive root (-B + sqrt(B^2 - 4AC)) / (2C) is taken; with C <= 0 the linear bound
    /// C q^2 >= C |s| q gives q = -A / (B + C |s|). In WAD: A in WAD quote (e scaled by `scale`/1e18),
    /// B in WAD quote per unit, C = I (1e18 + ...) / (2S) per unit squared, q = root * 1e18.
    /// Returns |s| (full liquidation) when no q < |s| qualifies.
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
        int256 a = equity * int256(scale / 1e18) - int256(FixedPointMathLib.mulDivUp(s * markPrice, imr, 1e36));
        if (a >= 0) return 0;
        int256 isS = int256(FixedPointMathLib.mulDivUp(index, s, skewScale)); // I |s| / S, WAD quote per unit
        int256 b = int256(markPrice) * (int256(imr) - int256(rewardPlusPenalty)) / 1e18 - isS;
        int256 imrTerm = isS * int256(imr) / 1e18;
        int256 cNum; // 1e18 * (1 + c -+ 2 imr)
        if (size > 0) {
            b += imrTerm;
            cNum = 1e18 + int256(rewardPlusPenalty) - 2 * int256(imr);
        } else {
            b -= imrTerm + 1;
            cNum = 1e18 - int256(rewardPlusPenalty) + 2 * int256(imr);
        }
        int256 c = int256(index) * cNum / (2 * int256(skewScale));
        uint256 q;
        if (c > 0) {
            uint256 disc = uint256(b * b - 4 * a * c);
            int256 root = int256(FixedPointMathLib.sqrt(disc)) - b;
            if (root <= 0) return s;
            q = FixedPointMathLib.mulDivUp(uint256(root), 1e18, uint256(2 * c));
        } else {
            int256 den = b + c * int256(s) / 1e18;
            if (den <= 0) return s;
            q = FixedPointMathLib.mulDivUp(uint256(-a), 1e18, uint256(den));
        }
        // margin for the integer roundings of fills, PnL and requirements
        q += q / 1e6 + 1;
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
