// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {HalfLifeDecayLib} from "../libraries/HalfLifeDecayLib.sol";
import {RealizedVarianceLib} from "../libraries/RealizedVarianceLib.sol";
import {VolSurfaceLib} from "../libraries/VolSurfaceLib.sol";

/// @title VolatilityMathHarness
/// @notice Test-only batch entry points to the oracle's math libraries (one eth_call checks many points).
contract VolatilityMathHarness {
    function decay(uint256[] calldata elapsed, uint256 halfLife) external pure returns (uint256[] memory out) {
        out = new uint256[](elapsed.length);
        for (uint256 i; i < elapsed.length; ++i) {
            out[i] = HalfLifeDecayLib.decay(elapsed[i], halfLife);
        }
    }

    function decayHi(uint256[] calldata elapsed, uint256 halfLife) external pure returns (uint256[] memory out) {
        out = new uint256[](elapsed.length);
        for (uint256 i; i < elapsed.length; ++i) {
            out[i] = HalfLifeDecayLib.decayHi(elapsed[i], halfLife);
        }
    }

    /// @notice `approachHi` of each (current[i], target[i]) pair by the factor d (1e36), signed and unsigned.
    function approachHi(int256[] calldata current, int256[] calldata target, uint256 d)
        external
        pure
        returns (int256[] memory signedOut, uint256[] memory unsignedOut)
    {
        signedOut = new int256[](current.length);
        unsignedOut = new uint256[](current.length);
        for (uint256 i; i < current.length; ++i) {
            signedOut[i] = HalfLifeDecayLib.approachHi(current[i], target[i], d);
            if (current[i] >= 0 && target[i] >= 0) {
                unsignedOut[i] = HalfLifeDecayLib.approachHi(uint256(current[i]), uint256(target[i]), d);
            }
        }
    }

    function sample(uint256 pOld, uint256[] calldata pNew, uint256 dt, uint256 maxSample)
        external
        pure
        returns (uint256[] memory s, int256[] memory logReturn, bool[] memory clamped)
    {
        s = new uint256[](pNew.length);
        logReturn = new int256[](pNew.length);
        clamped = new bool[](pNew.length);
        for (uint256 i; i < pNew.length; ++i) {
            (s[i], logReturn[i], clamped[i]) = RealizedVarianceLib.sample(pOld, pNew[i], dt, maxSample);
        }
    }

    function pricingVol(
        uint256 atmVol,
        int256 skew,
        uint256[] calldata strikes,
        uint256 spot,
        uint256 realizedVol,
        uint256 floorRatio,
        uint256 minVol,
        uint256 maxVol
    ) external pure returns (uint256[] memory out) {
        out = new uint256[](strikes.length);
        for (uint256 i; i < strikes.length; ++i) {
            out[i] = VolSurfaceLib.pricingVol(atmVol, skew, strikes[i], spot, realizedVol, floorRatio, minVol, maxVol);
        }
    }

    /// @notice The realized vol after each observation of a path (prices WAD at increasing `times`), folded
    /// exactly as `VolatilityOracle.update()` does from `vol0` (vol stored as floor(sqrt(variance))).
    function foldPath(uint256 vol0, uint256[] calldata prices, uint256[] calldata times, uint256 halfLife, uint256 maxSample)
        external
        pure
        returns (uint256[] memory vols)
    {
        vols = new uint256[](prices.length - 1);
        uint256 vol = vol0;
        for (uint256 i = 1; i < prices.length; ++i) {
            uint256 dt = times[i] - times[i - 1];
            (uint256 s,,) = RealizedVarianceLib.sample(prices[i - 1], prices[i], dt, maxSample);
            uint256 variance = RealizedVarianceLib.fold((vol * vol) / 1e18, s, dt, halfLife);
            vol = FixedPointMathLib.sqrt(variance * 1e18);
            vols[i - 1] = vol;
        }
    }
}
