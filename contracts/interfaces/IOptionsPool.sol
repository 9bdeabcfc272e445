// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IOptionsPool (keeper-facing part)
/// @notice What the hedging keeper reads and calls. Units: sizes and deltas WAD units of underlying;
/// prices WAD; money in quote-token units (6 decimals) unless stated.
interface IOptionsPoolKeeper {
    /// @notice Everything the keeper needs for one decision, read in one eth_call.
    struct KeeperSnapshot {
        uint256 timestamp; // block time of the read
        uint256 spot; // oracle spot (WAD)
        uint256 markPrice; // perp mark (WAD)
        uint256 indexPrice; // perp index (WAD)
        int256 fundingRatePerDay; // perp funding (WAD per day, + longs pay)
        int256 optionsDelta; // net delta of the pool's option book (WAD underlying)
        int256 optionsGamma; // net gamma of the book (WAD: d delta / d spot, per 1 quote of spot)
        int256 optionsVega; // net vega (WAD quote per 1.00 vol)
        int256 optionsTheta; // net theta (WAD quote per year)
        int256 hedgeSize; // perp position held by the pool (WAD underlying)
        int256 netDelta; // optionsDelta + hedgeSize
        uint256 hedgeMargin; // pool's margin on the perp market (quote units)
        int256 hedgeEquity; // its equity (quote units)
        uint256 hedgeMaintenanceMargin; // its maintenance requirement (quote units)
        uint256 freeCash; // pool cash not reserved (quote units)
        uint256 greeksUpdatedAt; // when cached aggregates were last refreshed
        uint256 nearestExpiry; // earliest unsettled expiry, 0 if none
        uint256 expiredUnsettledBoards; // boards past expiry awaiting settlement
    }

    function keeperSnapshot() external view returns (KeeperSnapshot memory);
}

/// @title IOptionsPoolKeeperActions
/// @notice What the keeper calls. Hedging and margin moves need the keeper role; the rest is permissionless.
interface IOptionsPoolKeeperActions {
    /// @notice Trades the pool's perp hedge by `sizeDelta` (WAD underlying) at a fill no worse than
    /// `limitPrice`, before `deadline`. Must bring |net delta| closer to zero (no overshoot beyond tolerance).
    function hedge(int256 sizeDelta, uint256 limitPrice, uint256 deadline) external returns (uint256 fillPrice);

    /// @notice Moves `amount` quote units from pool cash to the hedge account (+) or back (-).
    function adjustHedgeMargin(int256 amount) external;

    /// @notice Recomputes the cached aggregate greeks over every open strike.
    function refreshGreeks() external;

    /// @notice Settles every position of the board expiring at `expiry` (after expiry).
    function settleExpiry(uint256 expiry) external;

    /// @notice Short-option positions below maintenance, scanning position ids [start, start + count).
    function liquidatableShorts(uint256 start, uint256 count) external view returns (uint256[] memory positionIds);

    /// @notice Liquidates short-option position `positionId`; the caller receives the liquidator reward.
    function liquidateShort(uint256 positionId) external;
}
