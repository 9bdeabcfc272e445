// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {HiMath} from "./HiMath.sol";

/// @title HalfLifeDecayLib
/// @notice Exponential decay by elapsed time with a half-life, and moving a value toward a target by it.
/// @dev Units: `elapsed` and `halfLife` in seconds; the decay factor and values are WAD.
/// decay(elapsed, halfLife) = 2^(-elapsed / halfLife) = exp(-ln2 * elapsed / halfLife), computed with Solady's
/// expWad; the exponent is rounded toward zero, so the factor is never below the exact one by more than expWad's
/// error (about 1e-18 relative) and is exactly 1e18 at elapsed = 0. It is 0 once elapsed > ~59.8 half-lives.
/// `approach` returns target + decay * (current - target) with the product rounded toward zero, so the result
/// always lies between `current` and `target` (inclusive) and moves by at most (1 - decay) * |target - current|
/// plus 1 wei.
/// `decayHi` / `approachHi` are the same with the factor at the scale HI = 1e36, computed with HiMath.expNeg
/// (about a third of expWad's gas; used by the oracle's reads): the exponent ln2 * elapsed / halfLife at 1e36 is
/// rounded down, so the factor is exactly 1e36 at elapsed = 0, never above 1e36, within 1e-15 relative of the
/// exact one, and 0 once it is below 1e-36 (elapsed > ~120 half-lives). `approachHi` rounds the product toward
/// zero, so its result also lies between `current` and `target` (inclusive) and is within 1e-15 * |target -
/// current| + 1 wei of the exact value.
library HalfLifeDecayLib {
    uint256 internal constant WAD = 1e18;
    /// @dev ln(2) in WAD, rounded down.
    uint256 internal constant LN2_WAD = 693147180559945309;
    uint256 internal constant HI = 1e36;
    /// @dev ln(2) at 1e36, rounded down.
    uint256 internal constant LN2_HI = 693147180559945309417232121458176568;

    /// @dev 2^(-elapsed / halfLife) in WAD. `halfLife` must be nonzero; `elapsed` below 2^128.
    function decay(uint256 elapsed, uint256 halfLife) internal pure returns (uint256) {
        if (elapsed == 0) return WAD;
        uint256 x = (LN2_WAD * elapsed) / halfLife;
        if (x > 42e18) return 0;
        return uint256(FixedPointMathLib.expWad(-int256(x)));
    }

    /// @dev target + d * (current - target), d = decay factor in WAD (<= 1e18); rounds toward `target`.
    function approach(uint256 current, uint256 target, uint256 d) internal pure returns (uint256) {
        if (current >= target) return target + FixedPointMathLib.mulWad(d, current - target);
        return target - FixedPointMathLib.mulWad(d, target - current);
    }

    /// @dev Signed `approach`: target + d * (current - target); rounds toward `target`.
    function approach(int256 current, int256 target, uint256 d) internal pure returns (int256) {
        if (current >= target) return target + int256(FixedPointMathLib.mulWad(d, uint256(current - target)));
        return target - int256(FixedPointMathLib.mulWad(d, uint256(target - current)));
    }

    /// @dev 2^(-elapsed / halfLife) at 1e36 (<= 1e36). `halfLife` must be nonzero; `elapsed` below 2^64.
    function decayHi(uint256 elapsed, uint256 halfLife) internal pure returns (uint256) {
        unchecked {
            return HiMath.expNeg((LN2_HI * elapsed) / halfLife);
        }
    }

    /// @dev target + d * (current - target), d = decay factor at 1e36 (<= 1e36); rounds toward `target`.
    /// |current - target| below 2^128.
    function approachHi(uint256 current, uint256 target, uint256 d) internal pure returns (uint256) {
        unchecked {
            if (current >= target) return target + ((current - target) * d) / HI;
            return target - ((target - current) * d) / HI;
        }
    }

    /// @dev Signed `approachHi`: target + d * (current - target); rounds toward `target`.
    /// |current - target| below 2^127.
    function approachHi(int256 current, int256 target, uint256 d) internal pure returns (int256) {
        unchecked {
            if (current >= target) return target + int256((uint256(current - target) * d) / HI);
            return target - int256((uint256(target - current) * d) / HI);
        }
    }
}
