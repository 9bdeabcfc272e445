// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {BlackScholes} from "../../../contracts/libraries/BlackScholes.sol";
import {PricingHarness} from "../../../contracts/harness/PricingHarness.sol";
import {TestBase} from "../utils/Vm.sol";

/// Structural properties of BlackScholes.quote over the whole accepted input ranges: no revert, prices
/// within their no-arbitrage bounds, put-call parity, delta ranges, monotonicity in spot and vol.
contract BlackScholesFuzzTest is TestBase {
    PricingHarness internal h;

    uint256 internal constant WAD = 1e18;

    function setUp() public {
        h = new PricingHarness();
    }

    /// @dev Inputs anywhere in the accepted ranges, prices log-spread over [1e-6, 1e12].
    function _inputs(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e)
        internal
        pure
        returns (uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate)
    {
        spot = _price(a);
        strike = _price(b);
        tau = bound(c, 0, 10 * WAD);
        vol = bound(d, 0, 10 * WAD);
        rate = bound(e, 0, WAD);
    }

    function _price(uint256 seed) internal pure returns (uint256) {
        uint256 exponent = bound(seed, 12, 29); // 10^12 .. 10^29, then a mantissa in [1, 10)
        uint256 mantissa = bound(seed >> 128, WAD, 10 * WAD - 1);
        return mantissa * 10 ** exponent / WAD;
    }

    /// @dev K exp(-r tau) by Solady (independent of the library's own exponential), as two half-steps so
    /// that each WAD factor is >= exp(-5) and keeps a relative resolution of 2e-16.
    function _kd(uint256 strike, uint256 tau, uint256 rate) internal pure returns (uint256) {
        uint256 half = uint256(FixedPointMathLib.expWad(-int256(rate * tau / (2 * WAD))));
        return strike * half / WAD * half / WAD;
    }

    function testFuzz_boundsParityAndDeltas(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e) public view {
        (uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate) = _inputs(a, b, c, d, e);
        BlackScholes.Quote memory q = h.quote(spot, strike, tau, vol, rate);
        uint256 kd = tau == 0 ? strike : _kd(strike, tau, rate);
        uint256 big = spot > kd ? spot : kd;
        uint256 tol = big / 1e14 + 10; // 1e-14 relative: both exponentials are accurate to ~1e-15
        assertLe(q.callPrice, spot, "call <= spot");
        assertLe(q.putPrice, kd + tol, "put <= Kd");
        if (spot > kd) assertLe(spot - kd, q.callPrice + tol, "call >= S - Kd");
        else assertLe(kd - spot, q.putPrice + tol, "put >= Kd - S");
        // parity: call - put = S - Kd
        int256 lhs = int256(q.callPrice) - int256(q.putPrice);
        int256 rhs = int256(spot) - int256(kd);
        uint256 gap = uint256(lhs > rhs ? lhs - rhs : rhs - lhs);
        assertLe(gap, tol, "put-call parity");
        assertTrue(q.callDelta >= 0 && q.callDelta <= int256(WAD), "call delta in [0, 1]");
        assertEq(q.putDelta, q.callDelta - int256(WAD), "put delta = call delta - 1");
        assertTrue(q.callTheta <= 0 || tau == 0, "call theta <= 0");
    }

    function testFuzz_monotoneInSpot(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e, uint256 f) public view {
        (uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate) = _inputs(a, b, c, d, e);
        uint256 up = spot + spot * bound(f, 1, 1e6) / 1e6; // up to +100%
        if (up > 1e30) return;
        BlackScholes.Quote memory lo = h.quote(spot, strike, tau, vol, rate);
        BlackScholes.Quote memory hi = h.quote(up, strike, tau, vol, rate);
        uint256 tol = (up > strike ? up : strike) / 1e14 + 10;
        assertLe(lo.callPrice, hi.callPrice + tol, "call increases with spot");
        assertLe(hi.putPrice, lo.putPrice + tol, "put decreases with spot");
        assertTrue(lo.callDelta <= hi.callDelta + 1e5, "call delta increases with spot");
    }

    function testFuzz_monotoneInVol(uint256 a, uint256 b, uint256 c, uint256 d, uint256 e, uint256 f) public view {
        (uint256 spot, uint256 strike, uint256 tau, uint256 vol, uint256 rate) = _inputs(a, b, c, d, e);
        uint256 higher = vol + bound(f, 1, 10 * WAD - vol + 1) - 1;
        if (higher > 10 * WAD) higher = 10 * WAD;
        BlackScholes.Quote memory lo = h.quote(spot, strike, tau, vol, rate);
        BlackScholes.Quote memory hi = h.quote(spot, strike, tau, higher, rate);
        uint256 tol = (spot > strike ? spot : strike) / 1e14 + 10;
        assertLe(lo.callPrice, hi.callPrice + tol, "call increases with vol");
        assertLe(lo.putPrice, hi.putPrice + tol, "put increases with vol");
    }

    function testFuzz_outOfRangeReverts(uint256 a, uint256 which) public {
        uint256 bad = bound(a, 1, type(uint128).max);
        which = which % 5;
        if (which == 0) {
            uint256 spot = bad % 2 == 0 ? bad % 1e12 : 1e30 + bad;
            vm.expectRevert(abi.encodeWithSelector(BlackScholes.SpotOutOfRange.selector, spot));
            h.quote(spot, WAD, WAD, WAD, 0);
        } else if (which == 1) {
            uint256 strike = bad % 2 == 0 ? bad % 1e12 : 1e30 + bad;
            vm.expectRevert(abi.encodeWithSelector(BlackScholes.StrikeOutOfRange.selector, strike));
            h.quote(WAD, strike, WAD, WAD, 0);
        } else if (which == 2) {
            vm.expectRevert(abi.encodeWithSelector(BlackScholes.TimeOutOfRange.selector, 10 * WAD + bad));
            h.quote(WAD, WAD, 10 * WAD + bad, WAD, 0);
        } else if (which == 3) {
            vm.expectRevert(abi.encodeWithSelector(BlackScholes.VolOutOfRange.selector, 10 * WAD + bad));
            h.quote(WAD, WAD, WAD, 10 * WAD + bad, 0);
        } else {
            vm.expectRevert(abi.encodeWithSelector(BlackScholes.RateOutOfRange.selector, WAD + bad));
            h.quote(WAD, WAD, WAD, WAD, WAD + bad);
        }
    }

    function testFuzz_cdfBoundedAndSymmetric(int256 x) public view {
        x = int256(bound(uint256(x), 0, 60 * WAD)) - 30 * int256(WAD);
        uint256 p = h.cdfHi(x);
        uint256 m = h.cdfHi(-x);
        assertLe(p, 1e36, "N <= 1");
        uint256 sum = p + m;
        uint256 gap = sum > 1e36 ? sum - 1e36 : 1e36 - sum;
        assertLe(gap, 2e21, "N(x) + N(-x) = 1 within 2e-15");
    }
}
