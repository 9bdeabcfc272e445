// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IPerpMarket
/// @notice The small, stable surface through which the options pool (and any trader) uses a perp market.
/// Units: prices are 18-decimal quote per unit of underlying (WAD); sizes are 18-decimal units of the
/// underlying, signed (+ long, - short); margin amounts are in the quote token's own decimals (6).
interface IPerpMarket {
    /// @notice Moves `amount` of the quote token from the caller into the caller's margin account.
    function deposit(uint256 amount) external;

    /// @notice Moves `amount` of margin back to the caller; reverts below initial margin.
    function withdraw(uint256 amount) external;

    /// @notice Changes the caller's position by `sizeDelta`. Reverts when the fill price is worse than
    /// `limitPrice` (above it for buys, below it for sells) or when `block.timestamp > deadline`.
    /// @return fillPrice The average execution price (WAD).
    /// @return fee The taker fee charged, in quote-token units.
    function trade(int256 sizeDelta, uint256 limitPrice, uint256 deadline)
        external
        returns (uint256 fillPrice, uint256 fee);

    /// @notice Fill price and fee that `trade(sizeDelta, ...)` would get now (for cost estimates).
    function quoteTrade(int256 sizeDelta) external view returns (uint256 fillPrice, uint256 fee);

    /// @notice The caller-independent state of `account`: signed size, margin (quote units), equity
    /// (margin + unrealized PnL - accrued funding, quote units, may be negative) and maintenance margin.
    function accountSummary(address account)
        external
        view
        returns (int256 size, uint256 margin, int256 equity, uint256 maintenanceMargin);

    /// @notice The mark price (WAD), moved by every fill.
    function markPrice() external view returns (uint256);

    /// @notice The index price (WAD) from the Chainlink-style feed.
    function indexPrice() external view returns (uint256);

    /// @notice Current funding rate, WAD per day (positive: longs pay shorts).
    function fundingRatePerDay() external view returns (int256);
}

/// @title IPerpMarketLiquidation
/// @notice Liquidation surface used by keepers and liquidators.
interface IPerpMarketLiquidation {
    /// @notice Accounts below maintenance margin among the market's accounts [start, start + count).
    function liquidatableAccounts(uint256 start, uint256 count) external view returns (address[] memory);

    /// @notice Liquidates `account` (partially first); the caller receives the liquidator reward.
    function liquidate(address account) external;
}
