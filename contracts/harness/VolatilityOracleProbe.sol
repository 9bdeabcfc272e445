// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IVolatilityOracle} from "../interfaces/IVolatilityOracle.sol";

/// @title VolatilityOracleProbe
/// @notice Test-only caller of the oracle: measures the execution gas of its reads and calls `update()` twice in
/// one transaction (one block).
contract VolatilityOracleProbe {
    /// @notice The second `update()` of `updateTwice` reverted with `data` (empty `data`: it did not revert).
    event SecondUpdate(bool reverted, bytes data);

    /// @notice Gas of `oracle.impliedVol(expiry, strike)` from the caller's side (call overhead included), with
    /// the oracle's account warm and all its storage (and the feed) cold, as the first read in a transaction.
    function measureImpliedVol(IVolatilityOracle oracle, uint256 expiry, uint256 strike)
        external
        view
        returns (uint256 vol, uint256 gasUsed)
    {
        _warm(address(oracle));
        uint256 before = gasleft();
        vol = oracle.impliedVol(expiry, strike);
        gasUsed = before - gasleft();
    }

    /// @notice As `measureImpliedVol`, for `smoothedImpliedVol`.
    function measureSmoothedImpliedVol(IVolatilityOracle oracle, uint256 expiry, uint256 strike)
        external
        view
        returns (uint256 vol, uint256 gasUsed)
    {
        _warm(address(oracle));
        uint256 before = gasleft();
        vol = oracle.smoothedImpliedVol(expiry, strike);
        gasUsed = before - gasleft();
    }

    /// @notice As `measureImpliedVol`, for `spotPrice` (the feed's account and storage cold).
    function measureSpotPrice(IVolatilityOracle oracle) external view returns (uint256 spot, uint256 gasUsed) {
        _warm(address(oracle));
        uint256 before = gasleft();
        (spot,) = oracle.spotPrice();
        gasUsed = before - gasleft();
    }

    /// @notice Calls `oracle.update()` twice in this transaction; the first must succeed, the outcome of the
    /// second is emitted.
    function updateTwice(IVolatilityOracle oracle) external {
        oracle.update();
        try oracle.update() {
            emit SecondUpdate(false, "");
        } catch (bytes memory data) {
            emit SecondUpdate(true, data);
        }
    }

    /// @dev Touches `account` (EIP-2929 warm) in a way the optimizer cannot drop.
    function _warm(address account) private view {
        assembly ("memory-safe") {
            if iszero(extcodesize(account)) { revert(0, 0) }
        }
    }
}
