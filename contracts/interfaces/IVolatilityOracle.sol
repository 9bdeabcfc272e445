// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IVolatilityOracle
/// @notice Spot and volatility inputs for pricing, valuation and margin.
/// Units: prices WAD (18-decimal quote per unit of underlying); volatilities WAD (0.8e18 = 80% a year);
/// expiries unix seconds; strikes WAD.
/// @dev Realized variance: every `update()` folds the feed's newest round (price P_i stamped t_i by the feed)
/// into an exponentially time-weighted moving average of annualised squared log returns:
///     r_i = ln(P_i / P_{i-1}),   dt_i = t_i - t_{i-1} (seconds, feed timestamps),
///     s_i = min(r_i^2 * YEAR / dt_i, maxRealizedVol^2)          (YEAR = 365 days),
///     d_i = 2^(-dt_i / realizedHalfLife),
///     var_i = d_i * var_{i-1} + (1 - d_i) * s_i,   realizedVol = sqrt(var).
/// The estimate is stored as realizedVol = floor(sqrt(var * 1e18)) (WAD) and each step starts from
/// var_{i-1} = realizedVol^2 / 1e18 (rounded down): under 1e-17 of variance per step, and no square root in reads.
/// Manipulation bound: the sample s_i is clamped to maxRealizedVol^2, which is the same as clamping the log
/// return to maxRealizedVol * sqrt(dt_i / YEAR); the variance stays within [0, maxRealizedVol^2], so one update
/// moves it by at most (1 - 2^(-dt_i / realizedHalfLife)) * maxRealizedVol^2 (plus the rounding above), and the
/// realized vol by at most the square root of that, where dt_i is set by the feed's own timestamps, not by the
/// caller.
/// Pricing volatility at (expiry, strike K), spot S of the last update:
///     surface(K) = atmVol(expiry) + skew(expiry) * ln(K / S),
///     vol = clamp(max(surface(K), realizedFloorRatio * realizedVol), minVol, maxVol).
/// The realized estimate only ever raises the posted surface: a delta-hedged short option loses about
/// 1/2 * gamma * S^2 * (realized^2 - implied^2) per unit time, so quoting below a fraction of what the
/// underlying is actually doing transfers value from the liquidity providers, while a weighted blend would also
/// drag an informed surface down whenever the recent past was quiet.
/// Smoothed volatility: the same formula on (atmVol, skew) smoothed per expiry by a continuous-time EWMA with
/// half-life smoothingHalfLife: between posts the smoothed pair moves toward the last posted pair by the
/// fraction 1 - 2^(-elapsed / smoothingHalfLife), so how far it can move depends on elapsed time only, never on
/// the number of posts. The smoothed pair is stored to 1e-12 (rounded toward zero at each post); the factor
/// 2^(-elapsed / smoothingHalfLife) is computed at 1e36 within 1e-15 relative (HalfLifeDecayLib.decayHi), never
/// above 1, so the smoothed pair always lies between its value at the last post and the posted pair.
interface IVolatilityOracle {
    /// @notice Spot price from the feed (WAD) and its timestamp; reverts if older than the staleness limit.
    /// @dev Reads the feed itself. Reverts `NonPositivePrice`, `PriceTooLarge`, `FeedTimestampInFuture`, or
    /// `StaleSpot` when `block.timestamp - updatedAt > maxSpotAge`.
    function spotPrice() external view returns (uint256 spot, uint256 updatedAt);

    /// @notice Implied volatility for pricing a trade at (`expiry`, `strike`): the posted surface blended
    /// with the realized estimate. Reverts if spot or volatility data are stale.
    /// @dev Uses the spot and feed timestamp recorded by the last `update()` (never newer than the feed's own),
    /// so the read makes no external call. Reverts `InvalidStrike`, `UnknownExpiry` (never posted),
    /// `StaleSurface` (last post older than maxSurfaceAge) or `StaleSpot` (last folded feed round older than
    /// maxSpotAge, which also bounds the age of the realized estimate). Result within [minVol, maxVol].
    /// An expiry already past is read like any other while its last post is fresh (posts for it are refused).
    function impliedVol(uint256 expiry, uint256 strike) external view returns (uint256 vol);

    /// @notice Time-smoothed implied volatility at (`expiry`, `strike`) for valuation and liquidation.
    /// @dev Same checks and blend as `impliedVol`, on the smoothed (atmVol, skew) of that expiry.
    function smoothedImpliedVol(uint256 expiry, uint256 strike) external view returns (uint256 vol);

    /// @notice Annualised realized volatility from the EWMA of squared log returns.
    /// @dev sqrt(variance * 1e18), rounded down; informational, never reverts (no staleness check).
    function realizedVol() external view returns (uint256 vol);

    /// @notice Folds the feed's latest price into the realized-variance EWMA. Permissionless; at most
    /// once per block.
    /// @dev Folds only a new round (feed `updatedAt` later than the last folded one); when the feed has no new
    /// round the call is a no-op (no state change, no event), so a keeper may call it every cycle. A second
    /// call in a block in which a round was already folded reverts `AlreadyUpdatedThisBlock`. Reverts
    /// `NonPositivePrice`, `PriceTooLarge` or `FeedTimestampInFuture` on a bad feed answer.
    function update() external;
}

/// @title IVolatilityOracleAdmin
/// @notice The surface keeper's posts, the admin's parameters, and the state views behind them.
interface IVolatilityOracleAdmin {
    /// @notice Risk parameters, validated as a whole by `setParams` (bounds in `ParameterOutOfRange`).
    struct OracleParams {
        uint256 realizedHalfLife; // seconds, half-life of the realized-variance EWMA, [60, 365 days]
        uint256 maxRealizedVol; // WAD, clamp of each annualised sample (and of the estimate), (0, 4e18]
        uint256 minVol; // WAD, floor of every volatility read and of posted ATM vols, [1e15, maxVol)
        uint256 maxVol; // WAD, cap of every volatility read and of posted ATM vols, (minVol, 4e18]
        uint256 realizedFloorRatio; // WAD, pricing vol >= ratio * realizedVol, [0, 2e18]
        uint256 maxSurfaceAge; // seconds, a surface older than this is stale, (minPostInterval, 30 days]
        uint256 maxAbsSkew; // WAD vol per unit of ln(K/S), |posted skew| bound, [0, 4e18]
        uint256 maxAtmChangePerPost; // WAD, |atmVol - previous atmVol| bound per post, (0, 4e18]
        uint256 maxSkewChangePerPost; // WAD, |skew - previous skew| bound per post, (0, 8e18]
        uint256 minPostInterval; // seconds between two posts for one expiry, [1, 1 day]
        uint256 smoothingHalfLife; // seconds, half-life of the smoothed surface, [60, 30 days]
    }

    /// @notice One expiry's surface post, for `postSurfaces`.
    struct SurfacePost {
        uint256 expiry; // unix seconds
        uint256 atmVol; // WAD
        int256 skew; // WAD vol per unit of ln(K/S)
    }

    /// @notice One expiry's surface as stored, with the smoothed pair advanced to the current block.
    struct SurfaceView {
        uint256 atmVol; // last posted ATM vol (WAD)
        int256 skew; // last posted skew (WAD)
        uint256 postedAt; // time of the last post (0: never posted)
        uint256 smoothedAtmVol; // smoothed ATM vol now (WAD)
        int256 smoothedSkew; // smoothed skew now (WAD)
    }

    /// @notice Identifies a parameter (or constructor argument) in `ParameterOutOfRange`.
    enum Param {
        RealizedHalfLife,
        MaxRealizedVol,
        MinVol,
        MaxVol,
        RealizedFloorRatio,
        MaxSurfaceAge,
        MaxAbsSkew,
        MaxAtmChangePerPost,
        MaxSkewChangePerPost,
        MinPostInterval,
        SmoothingHalfLife,
        MaxSpotAge,
        InitialRealizedVol,
        FeedDecimals
    }

    /// @notice A parameter or constructor argument `param` = `value` outside [`min`, `max`].
    error ParameterOutOfRange(Param param, uint256 value, uint256 min, uint256 max);
    /// @notice The feed or admin address given to the constructor is zero.
    error ZeroAddress();
    /// @notice The feed answered `answer` <= 0.
    error NonPositivePrice(int256 answer);
    /// @notice The feed answered `answer`, too large to hold as a WAD price in 128 bits.
    error PriceTooLarge(int256 answer);
    /// @notice The feed's `updatedAt` lies after the current block time `nowTs`.
    error FeedTimestampInFuture(uint256 updatedAt, uint256 nowTs);
    /// @notice The spot observed at `updatedAt` is older than `maxAge` at `nowTs`.
    error StaleSpot(uint256 updatedAt, uint256 nowTs, uint256 maxAge);
    /// @notice `update()` already folded a round in block `blockNumber`.
    error AlreadyUpdatedThisBlock(uint256 blockNumber);
    /// @notice No surface was ever posted for `expiry`.
    error UnknownExpiry(uint256 expiry);
    /// @notice The surface of `expiry` posted at `postedAt` is older than `maxAge` at `nowTs`.
    error StaleSurface(uint256 expiry, uint256 postedAt, uint256 nowTs, uint256 maxAge);
    /// @notice A strike of zero or above 2^128 - 1.
    error InvalidStrike(uint256 strike);
    /// @notice A post for `expiry` that is not after the current block time `nowTs`.
    error ExpiryNotInFuture(uint256 expiry, uint256 nowTs);
    /// @notice A posted ATM vol outside [`minVol`, `maxVol`].
    error AtmVolOutOfBounds(uint256 atmVol, uint256 minVol, uint256 maxVol);
    /// @notice A posted skew with |skew| above `maxAbsSkew`.
    error SkewOutOfBounds(int256 skew, uint256 maxAbsSkew);
    /// @notice A post for `expiry` moving the ATM vol from `previous` (the last post within the current bounds) to
    /// `posted`, more than `maxChange`.
    error AtmVolChangeTooLarge(uint256 expiry, uint256 previous, uint256 posted, uint256 maxChange);
    /// @notice A post for `expiry` moving the skew from `previous` to `posted`, more than `maxChange`.
    error SkewChangeTooLarge(uint256 expiry, int256 previous, int256 posted, uint256 maxChange);
    /// @notice A post for `expiry` at `nowTs`, less than `minInterval` after the last one at `lastPostedAt`.
    error PostTooSoon(uint256 expiry, uint256 lastPostedAt, uint256 nowTs, uint256 minInterval);
    /// @notice `postSurfaces` called with no posts.
    error NoPosts();

    /// @notice New parameters were set.
    event OracleParamsSet(OracleParams params);
    /// @notice A feed round (`price` WAD, stamped `observedAt`) was folded; `logReturn` is ln(P_i/P_{i-1}) in WAD
    /// before clamping, `clamped` says whether the sample hit maxRealizedVol^2, `vol` is the new realized vol.
    event RealizedVolUpdated(uint256 price, uint256 observedAt, int256 logReturn, bool clamped, uint256 vol);
    /// @notice `setParams` lowered maxRealizedVol below the current realized vol, which was clamped to it.
    event RealizedVolCapped(uint256 previousVol, uint256 vol);
    /// @notice The keeper posted (`atmVol`, `skew`) for `expiry`; the smoothed pair as of this post.
    event SurfacePosted(uint256 indexed expiry, uint256 atmVol, int256 skew, uint256 smoothedAtmVol, int256 smoothedSkew);

    /// @notice Posts the surface of `expiry` (SURFACE_KEEPER_ROLE): ATM vol `atmVol` and `skew` per unit of
    /// ln(K/S). Bounds: atmVol in [minVol, maxVol], |skew| <= maxAbsSkew, expiry in the future. Rate limits
    /// against the previous post of that expiry: at least minPostInterval later, |change of atmVol| <=
    /// maxAtmChangePerPost, |change of skew| <= maxSkewChangePerPost, changes measured from the previous values
    /// clamped into the current bounds (so narrowing the bounds never locks an expiry out).
    function postSurface(uint256 expiry, uint256 atmVol, int256 skew) external;

    /// @notice Posts several expiries at once, all or nothing, with the checks of `postSurface`.
    function postSurfaces(SurfacePost[] calldata posts) external;

    /// @notice Sets every parameter (DEFAULT_ADMIN_ROLE). Clamps the realized vol to the new maxRealizedVol if it
    /// lies above (event `RealizedVolCapped`).
    function setParams(OracleParams calldata params) external;

    /// @notice The current parameters.
    function oracleParams() external view returns (OracleParams memory);

    /// @notice The surface of `expiry` (all zero if never posted); does not check staleness.
    function surface(uint256 expiry) external view returns (SurfaceView memory);

    /// @notice The realized state: last folded price (WAD) and its feed time, realized vol (WAD, annualised), and
    /// the block (mod 2^32) of the last fold.
    function realizedState()
        external
        view
        returns (uint256 lastPrice, uint256 lastObservedAt, uint256 vol, uint256 lastUpdateBlock);

    /// @notice The price feed (immutable).
    function feed() external view returns (address);

    /// @notice Maximum age of the spot, seconds (immutable: a property of the feed's heartbeat).
    function maxSpotAge() external view returns (uint256);
}
