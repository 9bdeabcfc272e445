// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @title RawAggregatorHarness
/// @notice Test-only feed that posts any answer, zero and negative included, stamped now.
contract RawAggregatorHarness is IAggregatorV3 {
    uint8 public immutable override decimals;
    int256 internal _answer;
    uint256 internal _updatedAt;

    event Posted(int256 answer);

    constructor(uint8 decimals_) {
        decimals = decimals_;
        _answer = 1;
        _updatedAt = block.timestamp;
    }

    function description() external pure override returns (string memory) {
        return "raw";
    }

    function set(int256 answer) external {
        _answer = answer;
        _updatedAt = block.timestamp;
        emit Posted(answer);
    }

    function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
        return (1, _answer, _updatedAt, _updatedAt, 1);
    }
}
