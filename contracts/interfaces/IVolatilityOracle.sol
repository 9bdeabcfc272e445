// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IVolatilityOracle
/// @notice Spot and volatility inputs for pricing, valuation and margin.
/// Units: prices WAD (18-decimal quote per unit of underlying); volatilities WAD (0.8e18 = 80% a year);
/// expiries unix seconds; strikes WAD.
interface IVolatilityOracle {
    /// @notice Spot price from the feed (WAD) and its timestamp; reverts if older than the staleness limit.
    function spotPrice() external view returns (uint256 spot, uint256 updatedAt);

    /// @notice Implied volatility for pricing a trade at (`expiry`, `strike`): the posted surface blended
    /// with the realized estimate. Reverts if spot or volatility data are stale.
    function impliedVol(uint256 expiry, uint256 strike) external view returns (uint256 vol);

    /// @notice Time-smoothed implied volatility at (`expiry`, `strike`) for valuation and liquidation.
    function smoothedImpliedVol(uint256 expiry, uint256 strike) external view returns (uint256 vol);

    /// @notice Annualised realized volatility from the EWMA of squared log returns.
    function realizedVol() external view returns (uint256 vol);

    /// @notice Folds the feed's latest price into the realized-variance EWMA. Permissionless; at most
    /// once per block.
    function update() external;
}
