// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title HalfLifeDecayLib
/// @notice Exponential decay by elapsed time with a half-life, and moving a value toward a target by it.
/// @dev Units: `elapsed` and `halfLife` in seconds; the decay factor and values are WAD.
/// decay(elapsed, halfLife) = 2^(-elapsed / halfLife) = exp(-ln2 * elapsed / halfLife), computed with Solady's
/// expWad; the exponent is rounded toward zero, so the factor is never below the exact one by more than expWad's
/// error (about 1e-18 relative) and is exactly 1e18 at elapsed = 0. It is 0 once elapsed > ~59.8 half-lives.
/// `approach` returns target + decay * (current - target) with the product rounded toward zero, so the result
/// always lies between `current` and `target` (inclusive) and moves by at most (1 - decay) * |target - current|
/// plus 1 wei.
library HalfLifeDecayLib {
    uint256 internal constant WAD = 1e18;
    /// @dev ln(2) in WAD, rounded down.
    uint256 internal constant LN2_WAD = 693147180559945309;

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
}
