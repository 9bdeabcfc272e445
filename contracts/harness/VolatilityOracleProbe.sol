// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IVolatilityOracle} from "../interfaces/IVolatilityOracle.sol";

/// @title VolatilityOracleProbe
/// @notice Test-only caller of the oracle: measures the execution gas of its reads and calls `update()` twice in
/// one transaction (one block).
/// @dev A read's gas is measured around the STATICCALL alone (calldata prepared before, return data decoded
/// after): the warm call (100) plus the oracle's whole execution, with the oracle's account warm and its storage
/// (and the feed's account and storage) cold, as for the first oracle read of a transaction.
contract VolatilityOracleProbe {
    /// @notice The second `update()` of `updateTwice` reverted with `data` (empty `data`: it did not revert).
    event SecondUpdate(bool reverted, bytes data);

    /// @notice Execution gas of `oracle.impliedVol(expiry, strike)` and its result.
    function measureImpliedVol(IVolatilityOracle oracle, uint256 expiry, uint256 strike)
        external
        view
        returns (uint256 vol, uint256 gasUsed)
    {
        bytes memory ret;
        (ret, gasUsed) = _measure(address(oracle), abi.encodeCall(IVolatilityOracle.impliedVol, (expiry, strike)));
        vol = abi.decode(ret, (uint256));
    }

    /// @notice As `measureImpliedVol`, for `smoothedImpliedVol`.
    function measureSmoothedImpliedVol(IVolatilityOracle oracle, uint256 expiry, uint256 strike)
        external
        view
        returns (uint256 vol, uint256 gasUsed)
    {
        bytes memory ret;
        (ret, gasUsed) =
            _measure(address(oracle), abi.encodeCall(IVolatilityOracle.smoothedImpliedVol, (expiry, strike)));
        vol = abi.decode(ret, (uint256));
    }

    /// @notice As `measureImpliedVol`, for `spotPrice`.
    function measureSpotPrice(IVolatilityOracle oracle) external view returns (uint256 spot, uint256 gasUsed) {
        bytes memory ret;
        (ret, gasUsed) = _measure(address(oracle), abi.encodeCall(IVolatilityOracle.spotPrice, ()));
        (spot,) = abi.decode(ret, (uint256, uint256));
    }

    /// @notice As `measureImpliedVol`, for `realizedVol`.
    function measureRealizedVol(IVolatilityOracle oracle) external view returns (uint256 vol, uint256 gasUsed) {
        bytes memory ret;
        (ret, gasUsed) = _measure(address(oracle), abi.encodeCall(IVolatilityOracle.realizedVol, ()));
        vol = abi.decode(ret, (uint256));
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

    /// @dev Gas of one STATICCALL to `target` with `data`; bubbles a revert.
    function _measure(address target, bytes memory data) private view returns (bytes memory ret, uint256 gasUsed) {
        bool ok;
        assembly ("memory-safe") {
            // warm the account first (a touch the optimizer cannot drop), so the figure excludes the cold surcharge
            if iszero(extcodesize(target)) { revert(0, 0) }
            let before := gas()
            ok := staticcall(gas(), target, add(data, 32), mload(data), 0, 0)
            gasUsed := sub(before, gas())
        }
        ret = new bytes(0);
        assembly ("memory-safe") {
            let size := returndatasize()
            ret := mload(0x40)
            mstore(ret, size)
            returndatacopy(add(ret, 32), 0, size)
            mstore(0x40, add(add(ret, 32), and(add(size, 31), not(31))))
        }
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
