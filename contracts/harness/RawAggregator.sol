// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @title RawAggregator
/// @notice Test-only feed that returns whatever it is told, including answers a real feed must never give
/// (zero, negative, huge, future-dated), to exercise consumers' validation.
contract RawAggregator is IAggregatorV3 {
    uint8 public immutable override decimals;
    uint80 internal _roundId;
    int256 internal _answer;
    uint256 internal _updatedAt;

    constructor(uint8 decimals_) {
        decimals = decimals_;
    }

    function description() external pure override returns (string memory) {
        return "raw test feed";
    }

    /// @notice Sets the next answer and its timestamp verbatim.
    function set(int256 answer, uint256 updatedAt) external {
        _roundId += 1;
        _answer = answer;
        _updatedAt = updatedAt;
    }

    function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }
}
