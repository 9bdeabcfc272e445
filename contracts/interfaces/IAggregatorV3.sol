// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IAggregatorV3
/// @notice The subset of Chainlink's AggregatorV3Interface that the protocol reads.
interface IAggregatorV3 {
    /// @notice Number of decimals in `answer`.
    function decimals() external view returns (uint8);

    /// @notice Human-readable description of the feed, e.g. "ETH / USD".
    function description() external view returns (string memory);

    /// @notice The latest round: `answer` is the price scaled by 10**decimals(), `updatedAt` its unix time.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
