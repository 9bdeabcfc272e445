// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {FixedPointMathLib as M} from "solady/utils/FixedPointMathLib.sol";

import {IAggregatorV3} from "./interfaces/IAggregatorV3.sol";
import {IPerpMarket, IPerpMarketFull, IPerpMarketLiquidation} from "./interfaces/IPerpMarket.sol";
import {PerpMargin} from "./libraries/PerpMargin.sol";
import {PerpPricing} from "./libraries/PerpPricing.sol";

/// @title PerpMarket
/// @notice One perpetual-futures market on one underlying; see IPerpMarketTypes for the model and ledger.
contract PerpMarket is IPerpMarketFull, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @dev A position: 2 storage slots.
    struct Position {
        int128 size;
        uint128 margin;
        uint128 lastPrice;
        int128 lastFundingIndex;
    }

    /// @dev Snapshot of market state used by one liquidation.
    struct Ctx {
        uint256 index;
        uint256 markPx;
        int256 fundingIdx;
        int256 skew;
        uint256 skewScale;
    }

    IERC20 internal immutable _quote;
    IAggregatorV3 internal immutable _feed;
    /// @dev 10**(36 - quote decimals): size (WAD) * price (WAD) / SCALE = quote units.
    uint256 internal immutable SCALE;
    /// @dev 10**(18 - feed decimals): feed answer * FEED_SCALE = WAD price.
    uint256 internal immutable FEED_SCALE;

    MarketParameters internal _params;
    mapping(address => Position) internal _positions;
    address[] internal _accounts;
    mapping(address => bool) internal _registered;

    uint96 internal _oiLong;
    uint96 internal _oiShort;
    uint64 internal _lastAccrual;
    int128 internal _fundingIndex;
    int128 internal _marketPnl;
    uint128 internal _feePool;
    uint128 internal _insuranceFund;
    uint128 internal _debtLongs;
    uint128 internal _debtShorts;
    uint128 internal _badDebtCovered;
    uint128 internal _debtRecorded;
    uint128 internal _adlSize;
    uint128 internal _adlLoss;
    uint128 internal _debtRepaid;

    constructor(address quote_, address feed_, MarketParameters memory params, address admin) {
        if (quote_ == address(0)) revert ZeroAddress("quote");
        if (feed_ == address(0)) revert ZeroAddress("feed");
        if (admin == address(0)) revert ZeroAddress("admin");
        _quote = IERC20(quote_);
        _feed = IAggregatorV3(feed_);
        uint8 qd = IERC20Metadata(quote_).decimals();
        uint8 fd = IAggregatorV3(feed_).decimals();
        if (qd > 18) revert InvalidParameter("quoteDecimals", qd);
        if (fd > 18) revert InvalidParameter("feedDecimals", fd);
        SCALE = 10 ** (36 - uint256(qd));
        FEED_SCALE = 10 ** (18 - uint256(fd));
        _lastAccrual = uint64(block.timestamp);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setParameters(params);
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc IPerpMarketFull
    function setParameters(MarketParameters calldata params) external onlyRole(DEFAULT_ADMIN_ROLE) {
        // settle funding at the old parameters first
        _accrue(_indexPrice());
        _setParameters(params);
    }

    /// @inheritdoc IPerpMarketFull
    function withdrawFees(address to, uint256 amount) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        if (to == address(0)) revert ZeroAddress("to");
        if (amount == 0) revert AmountZero();
        uint256 pool = _feePool;
        if (amount > pool) revert FeesExceedPool(amount, pool);
        _feePool = uint128(pool - amount);
        emit FeesWithdrawn(to, amount, pool - amount);
        _quote.safeTransfer(to, amount);
    }

    function _setParameters(MarketParameters memory p) internal {
        if (p.skewScale == 0 || p.skewScale <= M.max(_oiLong, _oiShort)) {
            revert InvalidParameter("skewScale", p.skewScale);
        }
        if (p.maxOpenInterest == 0 || p.maxOpenInterest >= p.skewScale || p.maxOpenInterest > type(uint96).max) {
            revert InvalidParameter("maxOpenInterest", p.maxOpenInterest);
        }
        if (p.takerFeeRatio > 0.1e18) revert InvalidParameter("takerFeeRatio", p.takerFeeRatio);
        if (p.makerFeeRatio > p.takerFeeRatio) revert InvalidParameter("makerFeeRatio", p.makerFeeRatio);
        if (p.initialMarginRatio > 1e18 || p.initialMarginRatio <= p.maintenanceMarginRatio) {
            revert InvalidParameter("initialMarginRatio", p.initialMarginRatio);
        }
        if (p.maintenanceMarginRatio <= uint256(p.liquidationRewardRatio) + p.liquidationPenaltyRatio) {
            revert InvalidParameter("maintenanceMarginRatio", p.maintenanceMarginRatio);
        }
        if (p.maxFundingRatePerDay > 1e18) revert InvalidParameter("maxFundingRatePerDay", p.maxFundingRatePerDay);
        if (p.maxOracleAge == 0) revert InvalidParameter("maxOracleAge", 0);
        _params = p;
        emit MarketParametersSet(p);
    }

    // ------------------------------------------------------------------ margin

    /// @inheritdoc IPerpMarket
    function deposit(uint256 amount) external nonReentrant {
        if (amount == 0) revert AmountZero();
        Position storage pos = _positions[msg.sender];
        uint256 margin = pos.margin + amount;
        pos.margin = margin.toUint128();
        if (!_registered[msg.sender]) {
            _registered[msg.sender] = true;
            _accounts.push(msg.sender);
            emit AccountRegistered(msg.sender, _accounts.length - 1);
        }
        emit MarginDeposited(msg.sender, amount, margin);
        _quote.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IPerpMarket
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert AmountZero();
        Position memory pos = _positions[msg.sender];
        if (amount > pos.margin) revert WithdrawExceedsMargin(amount, pos.margin);
        uint256 margin = pos.margin - amount;
        if (pos.size != 0) {
            uint256 index = _indexPrice();
            uint256 markPx = PerpPricing.mark(index, _skew(), _params.skewScale);
            int256 equity = int256(margin) + PerpMargin.pnl(pos.size, markPx, pos.lastPrice, SCALE)
                - PerpMargin.fundingOwed(pos.size, _fundingIndexAt(index), pos.lastFundingIndex, SCALE);
            uint256 im = PerpMargin.requirement(pos.size, markPx, _params.initialMarginRatio, SCALE);
            if (equity < int256(im)) revert InsufficientMargin(equity, im);
        }
        _positions[msg.sender].margin = uint128(margin);
        emit MarginWithdrawn(msg.sender, amount, margin);
        _quote.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IPerpMarketFull
    function fundInsurance(uint256 amount) external nonReentrant {
        if (amount == 0) revert AmountZero();
        uint256 fund = _insuranceFund + amount;
        _insuranceFund = fund.toUint128();
        emit InsuranceFunded(msg.sender, amount, fund);
        _quote.safeTransferFrom(msg.sender, address(this), amount);
    }

    // ------------------------------------------------------------------ trading

    /// @inheritdoc IPerpMarket
    function trade(int256 sizeDelta, uint256 limitPrice, uint256 deadline)
        external
        returns (uint256 fillPrice, uint256 fee)
    {
        if (sizeDelta == 0) revert SizeZero();
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        Ctx memory c;
        c.index = _indexPrice();
        (c.fundingIdx, c.skew) = _accrue(c.index);
        c.skewScale = _params.skewScale;
        _checkSkewBound(c.skew, sizeDelta, c.skewScale);
        fillPrice = PerpPricing.fill(c.index, c.skew, sizeDelta, c.skewScale);
        if (sizeDelta > 0 ? fillPrice > limitPrice : fillPrice < limitPrice) {
            revert PriceBeyondLimit(fillPrice, limitPrice);
        }
        fee = PerpPricing.fee(c.skew, sizeDelta, fillPrice, _params.takerFeeRatio, _params.makerFeeRatio, SCALE);
        _applyTrade(c, sizeDelta, fillPrice, fee);
    }

    /// @dev Settles PnL and funding at the fill, charges the fee, checks margin and open interest.
    function _applyTrade(Ctx memory c, int256 sizeDelta, uint256 fillPrice, uint256 fee) internal {
        Position memory pos = _positions[msg.sender];
        int256 newSize = pos.size + sizeDelta;
        int256 realized = PerpMargin.pnl(pos.size, fillPrice, pos.lastPrice, SCALE)
            - PerpMargin.fundingOwed(pos.size, c.fundingIdx, pos.lastFundingIndex, SCALE);
        int256 margin = int256(uint256(pos.margin)) + realized - int256(fee);
        bool increasing = M.abs(newSize) > M.abs(pos.size) || (newSize ^ pos.size) < 0;
        if (increasing) _checkOpenInterest(pos.size, newSize);
        // the settled margin itself must stay non-negative (a flip can realize a loss that the new
        // position's mark-to-market gain would otherwise hide)
        if (margin < 0) revert InsufficientMargin(margin, 0);
        if (increasing) {
            _checkInitialMargin(PerpPricing.mark(c.index, c.skew + sizeDelta, c.skewScale), newSize, margin, fillPrice);
        }
        _setOpenInterest(pos.size, newSize);
        _positions[msg.sender] = Position({
            size: newSize.toInt128(),
            margin: uint128(uint256(margin)),
            lastPrice: uint128(fillPrice),
            lastFundingIndex: int128(c.fundingIdx)
        });
        _marketPnl = (_marketPnl - realized).toInt128();
        _feePool = (_feePool + fee).toUint128();
        emit PositionModified(msg.sender, sizeDelta, newSize, fillPrice, fee, realized, uint256(margin));
    }

    /// @inheritdoc IPerpMarket
    function quoteTrade(int256 sizeDelta) external view returns (uint256 fillPrice, uint256 fee) {
        if (sizeDelta == 0) revert SizeZero();
        int256 skew_ = _skew();
        _checkSkewBound(skew_, sizeDelta, _params.skewScale);
        fillPrice = PerpPricing.fill(_indexPrice(), skew_, sizeDelta, _params.skewScale);
        fee = PerpPricing.fee(skew_, sizeDelta, fillPrice, _params.takerFeeRatio, _params.makerFeeRatio, SCALE);
    }

    // ------------------------------------------------------------------ liquidation

    /// @inheritdoc IPerpMarketLiquidation
    function liquidate(address account) external nonReentrant {
        Ctx memory c;
        c.index = _indexPrice();
        (c.fundingIdx, c.skew) = _accrue(c.index);
        c.skewScale = _params.skewScale;
        c.markPx = PerpPricing.mark(c.index, c.skew, c.skewScale);
        Position memory pos = _positions[account];
        if (pos.size == 0) revert NoPosition(account);
        int256 equity = _equity(pos, c.markPx, c.fundingIdx);
        uint256 mm = PerpMargin.requirement(pos.size, c.markPx, _params.maintenanceMarginRatio, SCALE);
        if (equity >= int256(mm)) revert NotLiquidatable(account, equity, mm);

        MarketParameters memory p = _params;
        uint256 size = M.abs(pos.size);
        if (equity > 0 && M.fullMulDiv(size, c.markPx, 1e18) >= p.minPartialLiquidationNotional) {
            uint256 q = PerpMargin.partialCloseSize(
                pos.size,
                equity,
                c.markPx,
                c.index,
                c.skewScale,
                p.initialMarginRatio,
                uint256(p.liquidationRewardRatio) + p.liquidationPenaltyRatio,
                SCALE
            );
            if (q < size && _tryPartial(c, account, pos, q == 0 ? 1 : q, p)) return;
        }
        _liquidateFully(c, account, pos, p);
    }

    /// @dev Closes `q` of the position at the moved mark; false (nothing changed) if that would bankrupt it.
    function _tryPartial(Ctx memory c, address account, Position memory pos, uint256 q, MarketParameters memory p)
        internal
        returns (bool)
    {
        int256 closeDelta = pos.size > 0 ? -int256(q) : int256(q);
        uint256 fillPx = PerpPricing.fill(c.index, c.skew, closeDelta, c.skewScale);
        int256 realized = PerpMargin.pnl(pos.size, fillPx, pos.lastPrice, SCALE)
            - PerpMargin.fundingOwed(pos.size, c.fundingIdx, pos.lastFundingIndex, SCALE);
        uint256 notional = M.fullMulDiv(q, fillPx, SCALE);
        uint256 reward = M.mulWad(notional, p.liquidationRewardRatio);
        uint256 penalty = M.mulWad(notional, p.liquidationPenaltyRatio);
        int256 margin = int256(uint256(pos.margin)) + realized - int256(reward + penalty);
        if (margin < 0) return false;
        int256 newSize = pos.size + closeDelta;
        _setOpenInterest(pos.size, newSize);
        _positions[account] = Position({
            size: int128(newSize),
            margin: uint128(uint256(margin)),
            lastPrice: uint128(fillPx),
            lastFundingIndex: int128(c.fundingIdx)
        });
        _marketPnl = (_marketPnl - realized).toInt128();
        _insuranceFund = (_insuranceFund + penalty).toUint128();
        emit PositionLiquidated(account, msg.sender, -closeDelta, newSize, fillPx, reward, penalty, uint256(margin));
        if (reward != 0) _quote.safeTransfer(msg.sender, reward);
        return true;
    }

    /// @dev Closes the whole position at the moved mark. The liquidator's reward is always paid in full;
    /// a solvent account pays it and then the penalty (as far as its margin goes), a bankrupt account's
    /// shortfall (loss beyond margin, plus the reward) goes to `_coverShortfall`.
    function _liquidateFully(Ctx memory c, address account, Position memory pos, MarketParameters memory p)
        internal
    {
        uint256 fillPx = PerpPricing.fill(c.index, c.skew, -pos.size, c.skewScale);
        int256 realized = PerpMargin.pnl(pos.size, fillPx, pos.lastPrice, SCALE)
            - PerpMargin.fundingOwed(pos.size, c.fundingIdx, pos.lastFundingIndex, SCALE);
        uint256 notional = M.fullMulDiv(M.abs(pos.size), fillPx, SCALE);
        uint256 reward = M.mulWad(notional, p.liquidationRewardRatio);
        int256 left = int256(uint256(pos.margin)) + realized - int256(reward);
        uint256 insurance = _insuranceFund;
        uint256 penalty;
        _setOpenInterest(pos.size, 0);
        _marketPnl = (_marketPnl - realized).toInt128();
        if (left >= 0) {
            penalty = M.min(M.mulWad(notional, p.liquidationPenaltyRatio), uint256(left));
            left -= int256(penalty);
            insurance += penalty;
        } else {
            insurance = _coverShortfall(account, pos.size > 0, uint256(-left), insurance);
            left = 0;
        }
        _insuranceFund = insurance.toUint128();
        _positions[account] = Position({
            size: 0, margin: uint128(uint256(left)), lastPrice: uint128(fillPx), lastFundingIndex: int128(c.fundingIdx)
        });
        emit PositionLiquidated(account, msg.sender, pos.size, 0, fillPx, reward, penalty, uint256(left));
        if (reward != 0) _quote.safeTransfer(msg.sender, reward);
    }

    /// @dev `shortfall` (quote units) is what a bankrupt account could not pay after marketPnl was credited
    /// with its whole loss and the liquidator's reward was promised: the insurance fund pays what it can,
    /// the rest becomes pending deleveraging debt of the account's side (a receivable in the ledger),
    /// recovered later by `deleverage` or the insurance fund. Returns the fund left.
    function _coverShortfall(address account, bool isLong, uint256 shortfall, uint256 insurance)
        internal
        returns (uint256)
    {
        uint256 covered = M.min(shortfall, insurance);
        if (covered != 0) {
            insurance -= covered;
            _badDebtCovered += uint128(covered);
            emit BadDebtCovered(account, covered, insurance);
        }
        uint256 debt = shortfall - covered;
        if (debt != 0) {
            uint256 pending;
            if (isLong) _debtLongs = (pending = _debtLongs + debt).toUint128();
            else _debtShorts = (pending = _debtShorts + debt).toUint128();
            _debtRecorded = (_debtRecorded + debt).toUint128();
            emit DeleverageDebtRecorded(account, isLong, debt, pending);
        }
        return insurance;
    }

    // ------------------------------------------------------------------ deleveraging

    /// @inheritdoc IPerpMarketFull
    function deleverage(address[] calldata targets) external nonReentrant {
        uint256 debtL = _debtLongs;
        uint256 debtS = _debtShorts;
        if (debtL == 0 && debtS == 0) revert NoPendingDebt();
        bool shortsPay;
        if (targets.length != 0) {
            int256 firstSize = _positions[targets[0]].size;
            if (firstSize == 0) revert NotDeleverageable(targets[0]);
            shortsPay = firstSize < 0;
            if ((shortsPay ? debtL : debtS) == 0) revert NotDeleverageable(targets[0]);
        }
        // the insurance fund first (it may have grown since the debt was recorded)
        uint256 insurance = _insuranceFund;
        if (insurance != 0) {
            uint256 fromL = M.min(debtL, insurance);
            uint256 fromS = M.min(debtS, insurance - fromL);
            debtL -= fromL;
            debtS -= fromS;
            insurance -= fromL + fromS;
            _insuranceFund = uint128(insurance);
            _debtRepaid = (_debtRepaid + fromL + fromS).toUint128();
            emit DeleverageDebtRepaid(fromL + fromS, insurance, debtL, debtS);
        }
        uint256 owed = shortsPay ? debtL : debtS;
        if (targets.length != 0 && owed != 0) {
            owed = _deleverageTargets(targets, shortsPay, owed);
            if (shortsPay) debtL = owed;
            else debtS = owed;
        }
        _debtLongs = uint128(debtL);
        _debtShorts = uint128(debtS);
    }

    /// @dev Deleverages `targets` in order against `remaining` debt; returns the debt left.
    function _deleverageTargets(address[] calldata targets, bool shortsPay, uint256 remaining)
        internal
        returns (uint256)
    {
        Ctx memory c;
        c.index = _indexPrice();
        (c.fundingIdx, c.skew) = _accrue(c.index);
        c.skewScale = _params.skewScale;
        c.markPx = PerpPricing.mark(c.index, c.skew, c.skewScale);
        int256 prev = type(int256).max;
        uint256 sizeClosed;
        uint256 haircuts;
        for (uint256 i; i < targets.length && remaining != 0; ++i) {
            (uint256 q, uint256 h, int256 score) = _deleverageOne(c, targets[i], shortsPay, remaining, prev);
            remaining -= h;
            sizeClosed += q;
            haircuts += h;
            prev = score;
        }
        _adlSize = (_adlSize + sizeClosed).toUint128();
        _adlLoss = (_adlLoss + haircuts).toUint128();
        return remaining;
    }

    /// @dev Ranks `a` at the call's starting mark and deleverages it: closes q = min(|size|,
    /// ceil(|size| * remaining / uPnL)) at the fill (moving the mark like any fill), realizes the whole
    /// position's PnL and funding there, and takes haircut = min(remaining, max(realized, 0)) from it.
    function _deleverageOne(Ctx memory c, address a, bool shortsPay, uint256 remaining, int256 prev)
        internal
        returns (uint256 q, uint256 haircut, int256 score)
    {
        Position memory pos = _positions[a];
        if (pos.size == 0 || (pos.size < 0) != shortsPay) revert NotDeleverageable(a);
        int256 owed = PerpMargin.fundingOwed(pos.size, c.fundingIdx, pos.lastFundingIndex, SCALE);
        int256 upnl;
        (upnl, score) = _adlScore(pos, c.markPx, owed);
        if (upnl <= 0) revert NotDeleverageable(a);
        if (score > prev) revert DeleverageOrder(a, score, prev);
        uint256 abs = M.abs(pos.size);
        q = M.min(abs, M.mulDivUp(abs, remaining, uint256(upnl)));
        haircut = _closeWithHaircut(c, a, pos, pos.size > 0 ? -int256(q) : int256(q), owed, remaining);
    }

    /// @dev Closes `closeDelta` of `a`'s position at the fill and takes the haircut from the realized PnL.
    function _closeWithHaircut(
        Ctx memory c,
        address a,
        Position memory pos,
        int256 closeDelta,
        int256 owed,
        uint256 remaining
    ) internal returns (uint256 haircut) {
        uint256 fillPx = PerpPricing.fill(c.index, c.skew, closeDelta, c.skewScale);
        int256 realized = PerpMargin.pnl(pos.size, fillPx, pos.lastPrice, SCALE) - owed;
        if (realized > 0) haircut = M.min(remaining, uint256(realized));
        int256 margin = int256(uint256(pos.margin)) + realized - int256(haircut);
        if (margin < 0) revert InsufficientMargin(margin, 0);
        int256 newSize = pos.size + closeDelta;
        _setOpenInterest(pos.size, newSize);
        c.skew += closeDelta;
        _positions[a] = Position({
            size: int128(newSize),
            margin: uint128(uint256(margin)),
            lastPrice: uint128(fillPx),
            lastFundingIndex: int128(c.fundingIdx)
        });
        _marketPnl = (_marketPnl - realized).toInt128();
        emit AutoDeleveraged(a, msg.sender, -closeDelta, fillPx, haircut, remaining - haircut);
    }

    /// @dev Unrealized PnL after `owed` funding at `markPx` (quote units) and the deleveraging rank
    /// uPnL * notional (WAD quote) / equity; rank 0 unless uPnL > 0.
    function _adlScore(Position memory pos, uint256 markPx, int256 owed)
        internal
        view
        returns (int256 upnl, int256 score)
    {
        upnl = PerpMargin.pnl(pos.size, markPx, pos.lastPrice, SCALE) - owed;
        if (upnl <= 0) return (upnl, 0);
        int256 eq = int256(uint256(pos.margin)) + upnl;
        score = upnl * int256(M.fullMulDiv(M.abs(pos.size), markPx, 1e18)) / eq;
    }

    // ------------------------------------------------------------------ internal state

    function _indexPrice() internal view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = _feed.latestRoundData();
        if (answer <= 0) revert InvalidOraclePrice(answer);
        uint256 maxAge = _params.maxOracleAge;
        if (updatedAt + maxAge < block.timestamp) revert StaleOraclePrice(updatedAt, block.timestamp, maxAge);
        return uint256(answer) * FEED_SCALE;
    }

    function _skew() internal view returns (int256) {
        return int256(uint256(_oiLong)) - int256(uint256(_oiShort));
    }

    function _fundingIndexAt(uint256 index) internal view returns (int256) {
        uint256 elapsed = block.timestamp - _lastAccrual;
        int256 rate = PerpPricing.fundingRate(_skew(), _params.skewScale, _params.maxFundingRatePerDay);
        return _fundingIndex + PerpPricing.fundingIndexDelta(rate, index, elapsed);
    }

    /// @dev Accrues the funding index up to now at the current skew; returns it and the skew.
    function _accrue(uint256 index) internal returns (int256 fIdx, int256 skew_) {
        skew_ = _skew();
        fIdx = _fundingIndex;
        uint256 elapsed = block.timestamp - _lastAccrual;
        if (elapsed != 0) {
            int256 rate = PerpPricing.fundingRate(skew_, _params.skewScale, _params.maxFundingRatePerDay);
            fIdx += PerpPricing.fundingIndexDelta(rate, index, elapsed);
            _fundingIndex = fIdx.toInt128();
            _lastAccrual = uint64(block.timestamp);
            emit FundingAccrued(fIdx, rate, elapsed, index);
        }
    }

    /// @dev Reverts unless equity at `newMark` after a trade covers initial margin.
    function _checkInitialMargin(uint256 newMark, int256 newSize, int256 margin, uint256 fillPrice) internal view {
        int256 equity = margin + PerpMargin.pnl(newSize, newMark, fillPrice, SCALE);
        uint256 im = PerpMargin.requirement(newSize, newMark, _params.initialMarginRatio, SCALE);
        if (equity < int256(im)) revert InsufficientMargin(equity, im);
    }

    /// @dev Rejects, before any pricing, a trade that would take |skew| to skewScale or beyond: one side's
    /// open interest would then exceed maxOpenInterest (< skewScale), and the price formulas need
    /// |skew| < skewScale. Reports the post-trade |skew| (or |sizeDelta| when absurdly large).
    function _checkSkewBound(int256 skew_, int256 sizeDelta, uint256 skewScale) internal view {
        uint256 absDelta = M.abs(sizeDelta);
        if (absDelta >= 2 * skewScale) revert OpenInterestLimitExceeded(absDelta, _params.maxOpenInterest);
        uint256 absAfter = M.abs(skew_ + sizeDelta);
        if (absAfter >= skewScale) revert OpenInterestLimitExceeded(absAfter, _params.maxOpenInterest);
    }

    function _checkOpenInterest(int256 oldSize, int256 newSize) internal view {
        uint256 limit = _params.maxOpenInterest;
        if (newSize > 0) {
            uint256 oi = uint256(_oiLong) + uint256(newSize) - (oldSize > 0 ? uint256(oldSize) : 0);
            if (oi > limit) revert OpenInterestLimitExceeded(oi, limit);
        } else {
            uint256 oi = uint256(_oiShort) + uint256(-newSize) - (oldSize < 0 ? uint256(-oldSize) : 0);
            if (oi > limit) revert OpenInterestLimitExceeded(oi, limit);
        }
    }

    function _setOpenInterest(int256 oldSize, int256 newSize) internal {
        uint256 long_ = _oiLong;
        uint256 short_ = _oiShort;
        if (oldSize > 0) long_ -= uint256(oldSize);
        else short_ -= uint256(-oldSize);
        if (newSize > 0) long_ += uint256(newSize);
        else short_ += uint256(-newSize);
        _oiLong = uint96(long_);
        _oiShort = uint96(short_);
    }

    function _equity(Position memory pos, uint256 markPx, int256 fIdx) internal view returns (int256) {
        return int256(uint256(pos.margin)) + PerpMargin.pnl(pos.size, markPx, pos.lastPrice, SCALE)
            - PerpMargin.fundingOwed(pos.size, fIdx, pos.lastFundingIndex, SCALE);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPerpMarketFull
    function quoteToken() external view returns (address) {
        return address(_quote);
    }

    /// @inheritdoc IPerpMarketFull
    function priceFeed() external view returns (address) {
        return address(_feed);
    }

    /// @inheritdoc IPerpMarketFull
    function parameters() external view returns (MarketParameters memory) {
        return _params;
    }

    /// @inheritdoc IPerpMarket
    function markPrice() external view returns (uint256) {
        return PerpPricing.mark(_indexPrice(), _skew(), _params.skewScale);
    }

    /// @inheritdoc IPerpMarket
    function indexPrice() external view returns (uint256) {
        return _indexPrice();
    }

    /// @inheritdoc IPerpMarket
    function fundingRatePerDay() external view returns (int256) {
        return PerpPricing.fundingRate(_skew(), _params.skewScale, _params.maxFundingRatePerDay);
    }

    /// @inheritdoc IPerpMarketFull
    function skew() external view returns (int256) {
        return _skew();
    }

    /// @inheritdoc IPerpMarketFull
    function openInterest() external view returns (uint256 long_, uint256 short_) {
        return (_oiLong, _oiShort);
    }

    /// @inheritdoc IPerpMarketFull
    function fundingIndex() external view returns (int256) {
        return _fundingIndexAt(_indexPrice());
    }

    /// @inheritdoc IPerpMarketFull
    function ledger() external view returns (Ledger memory) {
        return Ledger({
            feePool: _feePool,
            insuranceFund: _insuranceFund,
            marketPnl: _marketPnl,
            pendingDebtLongs: _debtLongs,
            pendingDebtShorts: _debtShorts,
            cumulativeBadDebtCovered: _badDebtCovered,
            cumulativeDebtRecorded: _debtRecorded,
            cumulativeDebtRepaid: _debtRepaid,
            cumulativeAdlSize: _adlSize,
            cumulativeAdlLoss: _adlLoss
        });
    }

    /// @inheritdoc IPerpMarketFull
    function accountCount() external view returns (uint256) {
        return _accounts.length;
    }

    /// @inheritdoc IPerpMarketFull
    function accountAt(uint256 i) external view returns (address) {
        return _accounts[i];
    }

    /// @inheritdoc IPerpMarketFull
    function positionOf(address account)
        external
        view
        returns (int256 size, uint256 margin, uint256 lastPrice, int256 lastFundingIndex)
    {
        Position memory pos = _positions[account];
        return (pos.size, pos.margin, pos.lastPrice, pos.lastFundingIndex);
    }

    /// @inheritdoc IPerpMarketFull
    function accruedFunding(address account) external view returns (int256) {
        Position memory pos = _positions[account];
        if (pos.size == 0) return 0;
        return PerpMargin.fundingOwed(pos.size, _fundingIndexAt(_indexPrice()), pos.lastFundingIndex, SCALE);
    }

    /// @inheritdoc IPerpMarket
    function accountSummary(address account)
        external
        view
        returns (int256 size, uint256 margin, int256 equity, uint256 maintenanceMargin)
    {
        Position memory pos = _positions[account];
        if (pos.size == 0) return (0, pos.margin, int256(uint256(pos.margin)), 0);
        uint256 index = _indexPrice();
        uint256 markPx = PerpPricing.mark(index, _skew(), _params.skewScale);
        equity = _equity(pos, markPx, _fundingIndexAt(index));
        maintenanceMargin = PerpMargin.requirement(pos.size, markPx, _params.maintenanceMarginRatio, SCALE);
        return (pos.size, pos.margin, equity, maintenanceMargin);
    }

    /// @inheritdoc IPerpMarketFull
    function equityOf(address account) public view returns (int256) {
        Position memory pos = _positions[account];
        if (pos.size == 0) return int256(uint256(pos.margin));
        uint256 index = _indexPrice();
        return _equity(pos, PerpPricing.mark(index, _skew(), _params.skewScale), _fundingIndexAt(index));
    }

    /// @inheritdoc IPerpMarketFull
    function marginRatio(address account) external view returns (int256) {
        int256 size = _positions[account].size;
        if (size == 0) return type(int256).max;
        uint256 markPx = PerpPricing.mark(_indexPrice(), _skew(), _params.skewScale);
        uint256 notional = M.fullMulDiv(M.abs(size), markPx, SCALE);
        if (notional == 0) return type(int256).max; // dust position worth less than one quote unit
        return equityOf(account) * 1e18 / int256(notional);
    }

    /// @inheritdoc IPerpMarketFull
    function initialMarginOf(address account) external view returns (uint256) {
        int256 size = _positions[account].size;
        if (size == 0) return 0;
        uint256 markPx = PerpPricing.mark(_indexPrice(), _skew(), _params.skewScale);
        return PerpMargin.requirement(size, markPx, _params.initialMarginRatio, SCALE);
    }

    /// @inheritdoc IPerpMarketFull
    function liquidationPrice(address account) external view returns (uint256) {
        Position memory pos = _positions[account];
        if (pos.size == 0) return 0;
        int256 owed = PerpMargin.fundingOwed(pos.size, _fundingIndexAt(_indexPrice()), pos.lastFundingIndex, SCALE);
        // margin - owed + s (p - lp) / SCALE = |s| p mmr / (1e18 SCALE)
        //   => p = (s lp - (margin - owed) SCALE) 1e18 / (s 1e18 - |s| mmr)
        int256 s = pos.size;
        int256 num = (s * int256(uint256(pos.lastPrice)) - (int256(uint256(pos.margin)) - owed) * int256(SCALE)) * 1e18;
        int256 den = s * 1e18 - int256(M.abs(s) * _params.maintenanceMarginRatio);
        int256 p = num / den;
        return p > 0 ? uint256(p) : 0;
    }

    /// @inheritdoc IPerpMarketLiquidation
    function liquidatableAccounts(uint256 start, uint256 count) external view returns (address[] memory found) {
        uint256 n = _accounts.length;
        if (start >= n || count == 0) return new address[](0);
        uint256 end = count < n - start ? start + count : n;
        uint256 index = _indexPrice();
        uint256 markPx = PerpPricing.mark(index, _skew(), _params.skewScale);
        int256 fIdx = _fundingIndexAt(index);
        uint256 mmr = _params.maintenanceMarginRatio;
        found = new address[](end - start);
        uint256 k;
        for (uint256 i = start; i < end; ++i) {
            Position memory pos = _positions[_accounts[i]];
            if (pos.size == 0) continue;
            if (_equity(pos, markPx, fIdx) < int256(PerpMargin.requirement(pos.size, markPx, mmr, SCALE))) {
                found[k++] = _accounts[i];
            }
        }
        assembly ("memory-safe") {
            mstore(found, k)
        }
    }

    /// @inheritdoc IPerpMarketFull
    function deleverageCandidates(uint256 start, uint256 count)
        external
        view
        returns (address[] memory found, int256[] memory sizes, int256[] memory scores)
    {
        uint256 n = _accounts.length;
        if (start >= n || count == 0) return (new address[](0), new int256[](0), new int256[](0));
        uint256 end = count < n - start ? start + count : n;
        uint256 index = _indexPrice();
        uint256 markPx = PerpPricing.mark(index, _skew(), _params.skewScale);
        int256 fIdx = _fundingIndexAt(index);
        found = new address[](end - start);
        sizes = new int256[](end - start);
        scores = new int256[](end - start);
        uint256 k;
        for (uint256 i = start; i < end; ++i) {
            Position memory pos = _positions[_accounts[i]];
            if (pos.size == 0) continue;
            (int256 upnl, int256 score) =
                _adlScore(pos, markPx, PerpMargin.fundingOwed(pos.size, fIdx, pos.lastFundingIndex, SCALE));
            if (upnl <= 0) continue;
            found[k] = _accounts[i];
            sizes[k] = pos.size;
            scores[k++] = score;
        }
        assembly ("memory-safe") {
            mstore(found, k)
            mstore(sizes, k)
            mstore(scores, k)
        }
    }
}
