// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";
import {IAggregatorV3} from "./interfaces/IAggregatorV3.sol";
import {IVolatilityOracle, IVolatilityOracleAdmin} from "./interfaces/IVolatilityOracle.sol";
import {HalfLifeDecayLib} from "./libraries/HalfLifeDecayLib.sol";
import {RealizedVarianceLib} from "./libraries/RealizedVarianceLib.sol";
import {VolSurfaceLib} from "./libraries/VolSurfaceLib.sol";

/// @title VolatilityOracle
/// @notice Spot from a Chainlink-style feed, a manipulation-bounded realized-variance EWMA, and a keeper-posted
/// implied volatility surface (ATM vol + skew per expiry) with a time-smoothed copy.
/// @dev State is packed so that `update()` touches two storage slots and `impliedVol` and
/// `smoothedImpliedVol` three (each slot loaded once). The realized
/// estimate is stored as its square root so that reads need none. Timestamps are held
/// in 32 bits (valid until 2106); the block of the last fold is held mod 2^32.
contract VolatilityOracle is IVolatilityOracle, IVolatilityOracleAdmin, AccessControl {
    /// @notice Role allowed to post the implied volatility surface.
    bytes32 public constant SURFACE_KEEPER_ROLE = keccak256("SURFACE_KEEPER_ROLE");

    uint256 internal constant WAD = 1e18;
    uint256 internal constant VOL_CAP = 4e18;
    /// @dev WAD per unit of the stored smoothed pair (1e-12 of a vol).
    uint256 internal constant SMOOTHED_UNIT = 1e6;

    /// @dev Everything `update()` reads and writes: one slot.
    struct RealizedState {
        uint128 lastPrice; // WAD
        uint64 vol; // WAD, annualised realized vol = floor(sqrt(variance * WAD))
        uint32 lastObservedAt; // feed updatedAt of the last folded round
        uint32 lastUpdateBlock; // block.number mod 2^32 of the last fold
    }

    /// @dev Parameters `update()` reads: one slot.
    struct RealizedParams {
        uint32 halfLife;
        uint64 maxRealizedVol;
        uint128 maxSample; // maxRealizedVol^2 / WAD
    }

    /// @dev Parameters every volatility read needs: one slot.
    struct ReadParams {
        uint64 minVol;
        uint64 maxVol;
        uint64 realizedFloorRatio;
        uint32 maxSurfaceAge;
        uint32 smoothingHalfLife;
    }

    /// @dev Parameters only posts need: one slot.
    struct PostParams {
        uint64 maxAbsSkew;
        uint64 maxAtmChangePerPost;
        uint64 maxSkewChangePerPost;
        uint32 minPostInterval;
    }

    /// @dev One expiry in one slot: the last post (exact, WAD) and the smoothed pair as of that post, held in
    /// units of 1e-12 (WAD / SMOOTHED_UNIT; ATM vol rounded down, skew toward zero).
    struct Surface {
        uint64 atmVol;
        int64 skew;
        uint32 postedAt;
        uint48 smoothedAtmVol;
        int48 smoothedSkew;
    }

    IAggregatorV3 internal immutable _feed;
    uint256 internal immutable _feedScale; // 10^(18 - feed decimals)
    uint256 internal immutable _maxAnswer; // largest answer whose WAD price fits 128 bits
    uint256 internal immutable _maxSpotAge;

    RealizedState internal _realized;
    RealizedParams internal _realizedParams;
    ReadParams internal _readParams;
    PostParams internal _postParams;
    mapping(uint256 expiry => Surface) internal _surfaces;

    /// @param feed_ Chainlink-style price feed (at most 18 decimals) with a valid, current answer.
    /// @param admin Holder of DEFAULT_ADMIN_ROLE (sets parameters, grants SURFACE_KEEPER_ROLE).
    /// @param maxSpotAge_ Maximum age of the feed's answer in seconds, [1, 7 days].
    /// @param initialRealizedVol Starting realized vol (WAD), at most params.maxRealizedVol.
    /// @param params Initial parameters (validated as in `setParams`).
    constructor(
        IAggregatorV3 feed_,
        address admin,
        uint256 maxSpotAge_,
        uint256 initialRealizedVol,
        OracleParams memory params
    ) {
        if (address(feed_) == address(0) || admin == address(0)) revert ZeroAddress();
        uint8 decimals = feed_.decimals();
        if (decimals > 18) revert ParameterOutOfRange(Param.FeedDecimals, decimals, 0, 18);
        if (maxSpotAge_ == 0 || maxSpotAge_ > 7 days) {
            revert ParameterOutOfRange(Param.MaxSpotAge, maxSpotAge_, 1, 7 days);
        }
        _feed = feed_;
        _feedScale = 10 ** (18 - decimals);
        _maxAnswer = type(uint128).max / 10 ** (18 - decimals);
        _maxSpotAge = maxSpotAge_;
        _setParams(params);
        if (initialRealizedVol > params.maxRealizedVol) {
            revert ParameterOutOfRange(Param.InitialRealizedVol, initialRealizedVol, 0, params.maxRealizedVol);
        }
        (, int256 answer,, uint256 updatedAt,) = feed_.latestRoundData();
        uint256 price = _checkedPrice(answer, updatedAt);
        _realized = RealizedState(uint128(price), uint64(initialRealizedVol), uint32(updatedAt), uint32(block.number));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit RealizedVolUpdated(price, updatedAt, 0, false, initialRealizedVol);
    }

    // ------------------------------------------------------------------ reads

    /// @inheritdoc IVolatilityOracle
    function spotPrice() external view returns (uint256 spot, uint256 updatedAt) {
        int256 answer;
        (, answer,, updatedAt,) = _feed.latestRoundData();
        spot = _checkedPrice(answer, updatedAt);
        if (block.timestamp - updatedAt > _maxSpotAge) revert StaleSpot(updatedAt, block.timestamp, _maxSpotAge);
    }

    /// @inheritdoc IVolatilityOracle
    function impliedVol(uint256 expiry, uint256 strike) external view returns (uint256) {
        Surface storage s = _surfaces[expiry];
        return _vol(expiry, strike, s.atmVol, s.skew, s.postedAt, _readParams);
    }

    /// @inheritdoc IVolatilityOracle
    function smoothedImpliedVol(uint256 expiry, uint256 strike) external view returns (uint256) {
        Surface storage s = _surfaces[expiry];
        uint256 postedAt = s.postedAt;
        if (postedAt == 0) revert UnknownExpiry(expiry);
        ReadParams memory rp = _readParams;
        (uint256 atm, int256 skew) =
            _smoothedNow(s.atmVol, s.skew, postedAt, s.smoothedAtmVol, s.smoothedSkew, rp.smoothingHalfLife);
        return _vol(expiry, strike, atm, skew, postedAt, rp);
    }

    /// @inheritdoc IVolatilityOracle
    function realizedVol() external view returns (uint256) {
        return _realized.vol;
    }

    // ------------------------------------------------------------------ realized variance

    /// @inheritdoc IVolatilityOracle
    function update() external {
        RealizedState memory st = _realized;
        if (st.lastUpdateBlock == uint32(block.number)) revert AlreadyUpdatedThisBlock(block.number);
        (, int256 answer,, uint256 updatedAt,) = _feed.latestRoundData();
        uint256 price = _checkedPrice(answer, updatedAt);
        if (updatedAt <= st.lastObservedAt) return; // no new round: documented no-op
        RealizedParams memory p = _realizedParams;
        uint256 dt = updatedAt - st.lastObservedAt;
        (uint256 sample, int256 logReturn, bool clamped) =
            RealizedVarianceLib.sample(st.lastPrice, price, dt, p.maxSample);
        uint256 variance = RealizedVarianceLib.fold((uint256(st.vol) * st.vol) / WAD, sample, dt, p.halfLife);
        uint256 vol = FixedPointMathLib.sqrt(variance * WAD);
        _realized = RealizedState(uint128(price), uint64(vol), uint32(updatedAt), uint32(block.number));
        emit RealizedVolUpdated(price, updatedAt, logReturn, clamped, vol);
    }

    // ------------------------------------------------------------------ surface

    /// @inheritdoc IVolatilityOracleAdmin
    function postSurface(uint256 expiry, uint256 atmVol, int256 skew) external onlyRole(SURFACE_KEEPER_ROLE) {
        _post(expiry, atmVol, skew, _readParams, _postParams);
    }

    /// @inheritdoc IVolatilityOracleAdmin
    function postSurfaces(SurfacePost[] calldata posts) external onlyRole(SURFACE_KEEPER_ROLE) {
        if (posts.length == 0) revert NoPosts();
        ReadParams memory rp = _readParams;
        PostParams memory pp = _postParams;
        for (uint256 i; i < posts.length; ++i) {
            _post(posts[i].expiry, posts[i].atmVol, posts[i].skew, rp, pp);
        }
    }

    // ------------------------------------------------------------------ parameters

    /// @inheritdoc IVolatilityOracleAdmin
    function setParams(OracleParams calldata params) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParams(params);
        uint256 vol = _realized.vol;
        if (vol > params.maxRealizedVol) {
            emit RealizedVolCapped(vol, params.maxRealizedVol);
            _realized.vol = uint64(params.maxRealizedVol);
        }
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IVolatilityOracleAdmin
    function oracleParams() external view returns (OracleParams memory params) {
        RealizedParams memory a = _realizedParams;
        ReadParams memory r = _readParams;
        PostParams memory p = _postParams;
        params = OracleParams({
            realizedHalfLife: a.halfLife,
            maxRealizedVol: a.maxRealizedVol,
            minVol: r.minVol,
            maxVol: r.maxVol,
            realizedFloorRatio: r.realizedFloorRatio,
            maxSurfaceAge: r.maxSurfaceAge,
            maxAbsSkew: p.maxAbsSkew,
            maxAtmChangePerPost: p.maxAtmChangePerPost,
            maxSkewChangePerPost: p.maxSkewChangePerPost,
            minPostInterval: p.minPostInterval,
            smoothingHalfLife: r.smoothingHalfLife
        });
    }

    /// @inheritdoc IVolatilityOracleAdmin
    function surface(uint256 expiry) external view returns (SurfaceView memory v) {
        Surface memory s = _surfaces[expiry];
        if (s.postedAt == 0) return v;
        (uint256 atm, int256 skew) =
            _smoothedNow(s.atmVol, s.skew, s.postedAt, s.smoothedAtmVol, s.smoothedSkew, _readParams.smoothingHalfLife);
        v = SurfaceView(s.atmVol, s.skew, s.postedAt, atm, skew);
    }

    /// @inheritdoc IVolatilityOracleAdmin
    function realizedState()
        external
        view
        returns (uint256 lastPrice, uint256 lastObservedAt, uint256 vol, uint256 lastUpdateBlock)
    {
        RealizedState memory st = _realized;
        return (st.lastPrice, st.lastObservedAt, st.vol, st.lastUpdateBlock);
    }

    /// @inheritdoc IVolatilityOracleAdmin
    function feed() external view returns (address) {
        return address(_feed);
    }

    /// @inheritdoc IVolatilityOracleAdmin
    function maxSpotAge() external view returns (uint256) {
        return _maxSpotAge;
    }

    // ------------------------------------------------------------------ internals

    /// @dev The WAD price of a feed answer, rejecting non-positive, oversized and future-dated answers.
    function _checkedPrice(int256 answer, uint256 updatedAt) internal view returns (uint256) {
        if (answer <= 0) revert NonPositivePrice(answer);
        if (uint256(answer) > _maxAnswer) revert PriceTooLarge(answer);
        if (updatedAt > block.timestamp) revert FeedTimestampInFuture(updatedAt, block.timestamp);
        return uint256(answer) * _feedScale;
    }

    /// @dev The checked, blended pricing vol for a given (atm, skew) of `expiry`, posted at `postedAt`.
    function _vol(
        uint256 expiry,
        uint256 strike,
        uint256 atm,
        int256 skew,
        uint256 postedAt,
        ReadParams memory rp
    ) internal view returns (uint256) {
        if (strike == 0 || strike > type(uint128).max) revert InvalidStrike(strike);
        if (postedAt == 0) revert UnknownExpiry(expiry);
        RealizedState storage st = _realized;
        (uint256 lastPrice, uint256 realized, uint256 observedAt) = (st.lastPrice, st.vol, st.lastObservedAt);
        // postedAt and lastObservedAt never exceed the time they were written at (future feed rounds are refused)
        unchecked {
            if (block.timestamp - postedAt > rp.maxSurfaceAge) {
                revert StaleSurface(expiry, postedAt, block.timestamp, rp.maxSurfaceAge);
            }
            if (block.timestamp - observedAt > _maxSpotAge) revert StaleSpot(observedAt, block.timestamp, _maxSpotAge);
        }
        return VolSurfaceLib.pricingVol(
            atm, skew, strike, lastPrice, realized, rp.realizedFloorRatio, rp.minVol, rp.maxVol
        );
    }

    /// @dev The smoothed pair (WAD) of a surface posted (`atmVol`, `skew`) at `postedAt` with the smoothed pair
    /// (`smAtm`, `smSkew`) in units of SMOOTHED_UNIT as of that post, advanced to now.
    function _smoothedNow(
        uint256 atmVol,
        int256 skew,
        uint256 postedAt,
        uint256 smAtm,
        int256 smSkew,
        uint256 halfLife
    ) internal view returns (uint256 atm, int256 smoothedSkew) {
        // postedAt <= block.timestamp (posts are stamped with their block's time); smAtm < 2^48, |smSkew| < 2^47
        unchecked {
            uint256 d = HalfLifeDecayLib.decayHi(block.timestamp - postedAt, halfLife);
            atm = HalfLifeDecayLib.approachHi(smAtm * SMOOTHED_UNIT, atmVol, d);
            smoothedSkew = HalfLifeDecayLib.approachHi(smSkew * int256(SMOOTHED_UNIT), skew, d);
        }
    }

    function _post(uint256 expiry, uint256 atmVol, int256 skew, ReadParams memory rp, PostParams memory pp)
        internal
    {
        if (expiry <= block.timestamp) revert ExpiryNotInFuture(expiry, block.timestamp);
        if (atmVol < rp.minVol || atmVol > rp.maxVol) revert AtmVolOutOfBounds(atmVol, rp.minVol, rp.maxVol);
        if (FixedPointMathLib.abs(skew) > pp.maxAbsSkew) revert SkewOutOfBounds(skew, pp.maxAbsSkew);
        Surface memory s = _surfaces[expiry];
        uint256 smAtm = atmVol;
        int256 smSkew = skew;
        if (s.postedAt != 0) {
            if (block.timestamp < uint256(s.postedAt) + pp.minPostInterval) {
                revert PostTooSoon(expiry, s.postedAt, block.timestamp, pp.minPostInterval);
            }
            // changes are measured from the previous post brought within the current bounds, so that narrowing
            // the bounds never leaves an expiry that can no longer be posted
            uint256 prevAtm = FixedPointMathLib.clamp(uint256(s.atmVol), rp.minVol, rp.maxVol);
            if (FixedPointMathLib.dist(atmVol, prevAtm) > pp.maxAtmChangePerPost) {
                revert AtmVolChangeTooLarge(expiry, prevAtm, atmVol, pp.maxAtmChangePerPost);
            }
            int256 prevSkew =
                FixedPointMathLib.clamp(int256(s.skew), -int256(uint256(pp.maxAbsSkew)), int256(uint256(pp.maxAbsSkew)));
            if (FixedPointMathLib.dist(skew, prevSkew) > pp.maxSkewChangePerPost) {
                revert SkewChangeTooLarge(expiry, prevSkew, skew, pp.maxSkewChangePerPost);
            }
            (smAtm, smSkew) =
                _smoothedNow(s.atmVol, s.skew, s.postedAt, s.smoothedAtmVol, s.smoothedSkew, rp.smoothingHalfLife);
        }
        // stored in units of SMOOTHED_UNIT; the event reports the stored values in WAD
        smAtm /= SMOOTHED_UNIT;
        smSkew /= int256(SMOOTHED_UNIT);
        _surfaces[expiry] = Surface(uint64(atmVol), int64(skew), uint32(block.timestamp), uint48(smAtm), int48(smSkew));
        emit SurfacePosted(expiry, atmVol, skew, smAtm * SMOOTHED_UNIT, smSkew * int256(SMOOTHED_UNIT));
    }

    function _setParams(OracleParams memory p) internal {
        _check(Param.RealizedHalfLife, p.realizedHalfLife, 60, 365 days);
        _check(Param.MaxRealizedVol, p.maxRealizedVol, 1, VOL_CAP);
        _check(Param.MaxVol, p.maxVol, 1e15 + 1, VOL_CAP);
        _check(Param.MinVol, p.minVol, 1e15, p.maxVol - 1);
        _check(Param.RealizedFloorRatio, p.realizedFloorRatio, 0, 2e18);
        _check(Param.MinPostInterval, p.minPostInterval, 1, 1 days);
        _check(Param.MaxSurfaceAge, p.maxSurfaceAge, p.minPostInterval + 1, 30 days);
        _check(Param.MaxAbsSkew, p.maxAbsSkew, 0, VOL_CAP);
        _check(Param.MaxAtmChangePerPost, p.maxAtmChangePerPost, 1, VOL_CAP);
        _check(Param.MaxSkewChangePerPost, p.maxSkewChangePerPost, 1, 2 * VOL_CAP);
        _check(Param.SmoothingHalfLife, p.smoothingHalfLife, 60, 30 days);
        _realizedParams = RealizedParams(
            uint32(p.realizedHalfLife), uint64(p.maxRealizedVol), uint128((p.maxRealizedVol * p.maxRealizedVol) / WAD)
        );
        _readParams = ReadParams(
            uint64(p.minVol),
            uint64(p.maxVol),
            uint64(p.realizedFloorRatio),
            uint32(p.maxSurfaceAge),
            uint32(p.smoothingHalfLife)
        );
        _postParams = PostParams(
            uint64(p.maxAbsSkew),
            uint64(p.maxAtmChangePerPost),
            uint64(p.maxSkewChangePerPost),
            uint32(p.minPostInterval)
        );
        emit OracleParamsSet(p);
    }

    function _check(Param which, uint256 value, uint256 lo, uint256 hi) internal pure {
        if (value < lo || value > hi) revert ParameterOutOfRange(which, value, lo, hi);
    }
}
