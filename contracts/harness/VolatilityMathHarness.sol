// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

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
}
