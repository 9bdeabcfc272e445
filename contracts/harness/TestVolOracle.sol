// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IVolatilityOracle} from "../interfaces/IVolatilityOracle.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @notice Test double of the volatility oracle: spot from a Chainlink-style feed with a staleness limit,
/// a flat posted vol and a separately posted smoothed vol.
contract TestVolOracle is IVolatilityOracle {
    error StaleSpot(uint256 updatedAt, uint256 nowTs);
    error StaleSurface(uint256 postedAt, uint256 nowTs);

    IAggregatorV3 public immutable feed;
    uint256 public maxSpotAge = 1 hours;
    uint256 public maxSurfaceAge = 1 days;
    uint256 public vol = 0.8e18;
    uint256 public smoothed = 0.8e18;
    uint256 public postedAt;

    constructor(IAggregatorV3 feed_) {
        feed = feed_;
        postedAt = block.timestamp;
    }

    function setVols(uint256 vol_, uint256 smoothed_) external {
        vol = vol_;
        smoothed = smoothed_;
        postedAt = block.timestamp;
    }

    function setPostedAt(uint256 t) external {
        postedAt = t;
    }

    function spotPrice() public view returns (uint256 spot, uint256 updatedAt) {
        (, int256 answer,, uint256 u,) = feed.latestRoundData();
        if (block.timestamp > u + maxSpotAge) revert StaleSpot(u, block.timestamp);
        return (uint256(answer) * 10 ** (18 - feed.decimals()), u);
    }

    function impliedVol(uint256, uint256) external view returns (uint256) {
        spotPrice();
        if (block.timestamp > postedAt + maxSurfaceAge) revert StaleSurface(postedAt, block.timestamp);
        return vol;
    }

    function smoothedImpliedVol(uint256, uint256) external view returns (uint256) {
        return smoothed;
    }

    function realizedVol() external view returns (uint256) {
        return smoothed;
    }

    function update() external {}
}
