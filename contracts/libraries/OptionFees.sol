// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib as F} from "solady/utils/FixedPointMathLib.sol";

/// @title OptionFees
/// @notice The pool's greek-aware spread.
/// @dev All inputs WAD except `hedgeInterval` (seconds); the result is WAD quote, rounded up.
///   notional = spot x |size|
///   gammaCost = k x spot^2 x vol x tau x dG / (sqrt(2 pi) x sqrt(dt))
///     (Leland 1985: hedging a gamma G every dt years at proportional cost k costs
///      1/2 |G| S^2 sigma k sqrt(2 / (pi dt)) per year; times the remaining life tau),
///     dG = |G_pool_after| - |G_pool_before| (signed: negative when the trade reduces the pool's gamma)
///   vegaCost = vegaFeeRate x dV, dV = |V_pool_after| - |V_pool_before| (signed)
///   fee = max(minFeeRate x notional, baseFeeRate x notional + gammaCost + vegaCost)
/// so a trade that adds to the pool's |gamma| or |vega| pays more than the base fee and one that reduces
/// them pays less, never below the floor.
library OptionFees {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant INV_SQRT_2PI = 398942280401432678;

    struct Inputs {
        uint256 spot;
        uint256 vol;
        uint256 tau;
        uint256 size;
        int256 gammaBefore;
        int256 gammaAfter;
        int256 vegaBefore;
        int256 vegaAfter;
    }

    struct Rates {
        uint256 baseFeeRate;
        uint256 minFeeRate;
        uint256 hedgeCostRate;
        uint256 hedgeInterval; // seconds
        uint256 vegaFeeRate;
    }

    function fee(Inputs memory x, Rates memory r) internal pure returns (uint256) {
        uint256 notional = F.mulWad(x.spot, x.size);
        int256 charge = int256(F.mulWadUp(r.baseFeeRate, notional)) + gammaCost(x, r) + F.sMulWad(
            int256(r.vegaFeeRate), int256(F.abs(x.vegaAfter)) - int256(F.abs(x.vegaBefore))
        );
        uint256 floor = F.mulWadUp(r.minFeeRate, notional);
        return charge > int256(floor) ? uint256(charge) : floor;
    }

    /// @dev k x S^2 x vol x tau x dG / (sqrt(2 pi) x sqrt(dt)), WAD quote, signed.
    function gammaCost(Inputs memory x, Rates memory r) internal pure returns (int256) {
        int256 dG = int256(F.abs(x.gammaAfter)) - int256(F.abs(x.gammaBefore));
        uint256 sqrtDt = F.sqrtWad(r.hedgeInterval * WAD / YEAR);
        uint256 scale = F.mulWad(F.mulWad(r.hedgeCostRate, F.mulWad(x.spot, x.spot)), x.vol);
        scale = F.mulDiv(F.mulWad(scale, x.tau), INV_SQRT_2PI, sqrtDt);
        return F.sMulWad(int256(scale), dG);
    }
}
