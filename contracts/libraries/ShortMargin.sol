// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib as F} from "solady/utils/FixedPointMathLib.sol";
import {BlackScholes} from "./BlackScholes.sol";

/// @title ShortMargin
/// @notice Maintenance margin of a short option: the cost of buying it back in the worst scenario of the
/// shock grid spot x {spotShockDown, 0.85, 1, 1.15, spotShockUp} x vol x {0.7, 1, volShockUp}
/// (defaults 0.7 / 1.3 / 1.5).
/// @dev An option's value rises with vol (vega >= 0) and is monotone in spot (calls rise, puts fall), so
/// the worst point of the grid is always a corner: (spot x spotShockUp, vol x volShockUp) for a call,
/// (spot x spotShockDown, vol x volShockUp) for a put. One Black-Scholes evaluation therefore gives the
/// grid's maximum exactly. maintenance = max(worst value, minMarginRate x spot) x size. WAD in, WAD quote
/// out, rounded up.
library ShortMargin {
    struct Shocks {
        uint256 spotShockDown;
        uint256 spotShockUp;
        uint256 volShockUp;
        uint256 minMarginRate;
        uint256 rate;
    }

    function maintenance(uint256 spot, uint256 strike, uint256 tau, uint256 vol, bool isCall, uint256 size, Shocks memory s)
        internal
        pure
        returns (uint256)
    {
        uint256 shockedSpot = F.mulWad(spot, isCall ? s.spotShockUp : s.spotShockDown);
        BlackScholes.Quote memory q = BlackScholes.quote(shockedSpot, strike, tau, F.mulWad(vol, s.volShockUp), s.rate);
        uint256 worst = isCall ? q.callPrice : q.putPrice;
        uint256 floor = F.mulWad(spot, s.minMarginRate);
        return F.mulWadUp(worst > floor ? worst : floor, size);
    }
}
