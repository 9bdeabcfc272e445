// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IOptionsPoolKeeper, IOptionsPoolKeeperActions} from "../interfaces/IOptionsPool.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @title KeeperBookHarness
/// @notice Test-only stand-in for the options pool's keeper surface, for the keeper's chain tests. The option
/// book is a quadratic in spot: delta(S) = delta0 + gamma * (S - S0); the hedge is filled at the feed's
/// spot. Margin moves are accounting between `freeCash` and `hedgeMargin`. Not part of the protocol.
contract KeeperBookHarness is IOptionsPoolKeeper, IOptionsPoolKeeperActions {
    error NotKeeper(address caller);
    error SizeZero();
    error DeadlinePassed(uint256 deadline, uint256 nowTs);
    error LimitPriceExceeded(uint256 fillPrice, uint256 limitPrice);
    error HedgeOvershoots(int256 netDeltaBefore, int256 netDeltaAfter);
    error InsufficientCash(uint256 requested, uint256 available);
    error InsufficientMargin(uint256 requested, uint256 available);
    error NotExpired(uint256 expiry, uint256 nowTs);
    error NotLiquidatable(uint256 positionId);

    event BookSet(int256 delta0, int256 gamma, uint256 spot0, uint256 expiry);
    event Hedged(int256 sizeDelta, uint256 fillPrice, int256 hedgeSize);
    event HedgeMarginAdjusted(int256 amount, uint256 hedgeMargin, uint256 freeCash);
    event GreeksRefreshed(uint256 at);
    event ExpirySettled(uint256 expiry);
    event ShortLiquidated(uint256 positionId, address liquidator);

    uint256 internal constant WAD = 1e18;

    IAggregatorV3 public immutable feed;
    address public immutable keeper;

    int256 public delta0;
    int256 public gamma;
    uint256 public spot0;
    int256 public hedgeSize;
    uint256 public hedgeMargin;
    uint256 public freeCash;
    uint256 public greeksUpdatedAt;
    uint256 public expiry;
    uint256 public hedgeCount;
    uint256[] internal _shorts;

    constructor(IAggregatorV3 feed_, address keeper_, uint256 freeCash_) {
        feed = feed_;
        keeper = keeper_;
        freeCash = freeCash_;
        greeksUpdatedAt = block.timestamp;
    }

    /// @notice Sets the book: delta at `spot0_` and its gamma (WAD), and the board's expiry (0: none).
    function setBook(int256 delta0_, int256 gamma_, uint256 spot0_, uint256 expiry_) external {
        delta0 = delta0_;
        gamma = gamma_;
        spot0 = spot0_;
        expiry = expiry_;
        emit BookSet(delta0_, gamma_, spot0_, expiry_);
    }

    /// @notice Marks short-option position ids as liquidatable.
    function setLiquidatableShorts(uint256[] calldata ids) external {
        _shorts = ids;
    }

    function spot() public view returns (uint256) {
        (, int256 answer,,,) = feed.latestRoundData();
        return uint256(answer) * 10 ** (18 - feed.decimals());
    }

    function optionsDelta() public view returns (int256) {
        return delta0 + (gamma * (int256(spot()) - int256(spot0))) / int256(WAD);
    }

    function keeperSnapshot() external view returns (KeeperSnapshot memory s) {
        uint256 px = spot();
        s.timestamp = block.timestamp;
        s.spot = px;
        s.markPrice = px;
        s.indexPrice = px;
        s.optionsDelta = optionsDelta();
        s.optionsGamma = gamma;
        s.hedgeSize = hedgeSize;
        s.netDelta = s.optionsDelta + hedgeSize;
        s.hedgeMargin = hedgeMargin;
        s.hedgeEquity = int256(hedgeMargin);
        s.hedgeMaintenanceMargin = (_abs(hedgeSize) * px / WAD) / 1e12 / 20;
        s.freeCash = freeCash;
        s.greeksUpdatedAt = greeksUpdatedAt;
        s.nearestExpiry = expiry;
        s.expiredUnsettledBoards = (expiry != 0 && block.timestamp >= expiry) ? 1 : 0;
    }

    function hedge(int256 sizeDelta, uint256 limitPrice, uint256 deadline) external returns (uint256 fillPrice) {
        if (msg.sender != keeper) revert NotKeeper(msg.sender);
        if (sizeDelta == 0) revert SizeZero();
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        fillPrice = spot();
        if (sizeDelta > 0 ? fillPrice > limitPrice : fillPrice < limitPrice) {
            revert LimitPriceExceeded(fillPrice, limitPrice);
        }
        int256 before = optionsDelta() + hedgeSize;
        int256 afterNet = before + sizeDelta;
        if (_abs(afterNet) > _abs(before)) revert HedgeOvershoots(before, afterNet);
        hedgeSize += sizeDelta;
        hedgeCount += 1;
        emit Hedged(sizeDelta, fillPrice, hedgeSize);
    }

    function adjustHedgeMargin(int256 amount) external {
        if (msg.sender != keeper) revert NotKeeper(msg.sender);
        if (amount >= 0) {
            uint256 a = uint256(amount);
            if (a > freeCash) revert InsufficientCash(a, freeCash);
            freeCash -= a;
            hedgeMargin += a;
        } else {
            uint256 a = uint256(-amount);
            if (a > hedgeMargin) revert InsufficientMargin(a, hedgeMargin);
            hedgeMargin -= a;
            freeCash += a;
        }
        emit HedgeMarginAdjusted(amount, hedgeMargin, freeCash);
    }

    function refreshGreeks() external {
        greeksUpdatedAt = block.timestamp;
        emit GreeksRefreshed(block.timestamp);
    }

    function settleExpiry(uint256 expiry_) external {
        if (expiry_ != expiry || block.timestamp < expiry_) revert NotExpired(expiry_, block.timestamp);
        expiry = 0;
        delta0 = 0;
        gamma = 0;
        emit ExpirySettled(expiry_);
    }

    function liquidatableShorts(uint256 start, uint256 count) external view returns (uint256[] memory ids) {
        uint256 n = _shorts.length;
        uint256 end = start + count > n ? n : start + count;
        ids = new uint256[](end > start ? end - start : 0);
        for (uint256 i = start; i < end; ++i) {
            ids[i - start] = _shorts[i];
        }
    }

    function liquidateShort(uint256 positionId) external {
        uint256 n = _shorts.length;
        for (uint256 i; i < n; ++i) {
            if (_shorts[i] == positionId) {
                _shorts[i] = _shorts[n - 1];
                _shorts.pop();
                emit ShortLiquidated(positionId, msg.sender);
                return;
            }
        }
        revert NotLiquidatable(positionId);
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return uint256(x >= 0 ? x : -x);
    }
}
