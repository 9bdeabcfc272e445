// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @title MockAggregator
/// @notice A Chainlink-style price feed for local chains. The owner posts answers; each post opens a new round.
/// @dev Like Chainlink's OCR aggregators, the latest answer and its timestamp share one storage slot (answer in
/// 192 bits, timestamp in 64; larger values revert with OpenZeppelin's SafeCast errors), so `latestRoundData`
/// costs two storage reads, as on a production feed.
contract MockAggregator is IAggregatorV3 {
    /// @notice Thrown when a caller other than the owner posts an answer.
    error NotOwner(address caller);
    /// @notice Thrown when a posted answer is not strictly positive.
    error NonPositiveAnswer(int256 answer);

    /// @notice Emitted when a new round is posted.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    address public immutable owner;
    uint8 public immutable override decimals;
    string public override description;

    uint80 internal _roundId;
    int192 internal _answer;
    uint64 internal _updatedAt;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
        if (initialAnswer <= 0) revert NonPositiveAnswer(initialAnswer);
        owner = msg.sender;
        decimals = decimals_;
        description = description_;
        _post(initialAnswer, block.timestamp);
    }

    /// @notice Posts `answer` as a new round stamped with the current block time.
    function setAnswer(int256 answer) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (answer <= 0) revert NonPositiveAnswer(answer);
        _post(answer, block.timestamp);
    }

    /// @notice Posts `answer` as a new round stamped `updatedAt` (tests use it to age the feed).
    function setAnswerAt(int256 answer, uint256 updatedAt) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (answer <= 0) revert NonPositiveAnswer(answer);
        _post(answer, updatedAt);
    }

    function latestRoundData()
        external
        view
        override
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }

    function _post(int256 answer, uint256 updatedAt) internal {
        unchecked {
            _roundId += 1;
        }
        _answer = SafeCast.toInt192(answer);
        _updatedAt = SafeCast.toUint64(updatedAt);
        emit AnswerUpdated(answer, _roundId, updatedAt);
    }
}
