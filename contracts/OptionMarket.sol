// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {FixedPointMathLib as F} from "solady/utils/FixedPointMathLib.sol";
import {IOptionMarket, IOptionsPoolBook} from "./interfaces/IOptionsPool.sol";
import {IVolatilityOracle} from "./interfaces/IVolatilityOracle.sol";
import {BlackScholes} from "./libraries/BlackScholes.sol";
import {OptionFees} from "./libraries/OptionFees.sol";
import {ShortMargin} from "./libraries/ShortMargin.sol";

/// @title OptionMarket
/// @notice The option book of the pool. See IOptionMarket. Design notes:
/// - Per-strike open interest only; the pool's aggregate greeks are a cache. A full refresh
///   (`refreshGreeks`, loop over open strikes, valued at the oracle's smoothed vol) sets them exactly;
///   every trade, liquidation and settlement then updates them incrementally with the greeks of the
///   traded strike computed in that transaction, so trade gas does not depend on the number of strikes.
///   Opening trades revert with `GreeksStale` when the last full refresh is older than `greeksMaxAge`;
///   closing, liquidation and settlement never need a fresh refresh.
/// - Opening trades are priced at `impliedVol`; closing trades at `impliedVol` or, when that reverts
///   (e.g. the surface keeper stopped posting an expiry near its end), at the valuation vol. The
///   valuation vol (NAV, greeks, margin, liquidation) is `smoothedImpliedVol`, or `realizedVol` (which
///   never reverts) when that reverts too. So a position can always be closed and the book valued
///   while the feed's spot is fresh.
contract OptionMarket is IOptionMarket, ReentrancyGuardTransient {
    bytes32 public constant LISTER_ROLE = keccak256("LISTER_ROLE");
    uint256 internal constant WAD = 1e18;
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant MAX_STRIKES = 64;
    /// @dev Sizes are stored in lots of 1e9 (1e-9 of a unit of underlying); sizes must be whole lots.
    uint256 internal constant LOT = 1e9;

    error SizeZero();
    error SizeNotWholeLots(uint256 size, uint256 lot);
    error DeadlinePassed(uint256 deadline, uint256 nowTs);
    error UnknownStrike(uint256 strikeId);
    error UnknownBoard(uint256 expiry);
    error UnknownBoardId(uint256 boardId);
    error UnknownPosition(uint256 positionId);
    error BoardExpired(uint256 expiry, uint256 nowTs);
    error BoardNotExpired(uint256 expiry, uint256 nowTs);
    error BoardAlreadySettled(uint256 expiry);
    error BoardNotSettled(uint256 expiry);
    error ExpiryNotInFuture(uint256 expiry, uint256 nowTs);
    error ExpiryAlreadyListed(uint256 expiry);
    error BadStrikeCount(uint256 count);
    error StrikeZero(uint256 index);
    error StrikesNotIncreasing(uint256 index);
    error PremiumAboveLimit(uint256 cost, uint256 limit);
    error PremiumBelowLimit(uint256 proceeds, uint256 limit);
    error CollateralBelowInitialMargin(uint256 collateral, uint256 required);
    error CollateralOnLong();
    error NotPositionOwner(address caller, address owner);
    error SizeAboveOpen(uint256 size, uint256 open);
    error GreeksStale(uint256 updatedAt, uint256 nowTs);
    error VolDeviationTooHigh(uint256 vol, uint256 smoothedVol);
    error TradingHalted();
    error RiskCapExceeded(uint8 greek, int256 exposureAfter, uint256 cap);
    error NotLiquidatable(uint256 positionId, uint256 collateral, uint256 maintenance);
    error NotShort(uint256 positionId);
    error NotPool(address caller);
    error Unauthorized(address caller, bytes32 role);
    error SettlementPriceTooEarly(uint256 updatedAt, uint256 expiry);

    event BoardAdded(uint256 indexed boardId, uint256 expiry, uint256 firstStrikeId, uint256[] strikes);
    event PositionOpened(
        uint256 indexed positionId,
        address indexed owner,
        uint256 indexed strikeId,
        bool isCall,
        bool isLong,
        uint256 size,
        uint256 premium,
        uint256 fee,
        uint256 collateral,
        uint256 vol
    );
    event PositionClosed(uint256 indexed positionId, uint256 size, uint256 premium, uint256 fee, uint256 collateralReleased);
    event CollateralChanged(uint256 indexed positionId, int256 delta, uint256 collateral);
    event PositionLiquidated(
        uint256 indexed positionId,
        address indexed liquidator,
        uint256 buybackCost,
        uint256 liquidatorReward,
        uint256 insuranceFee,
        uint256 lpFee,
        uint256 returnedToOwner
    );
    event ShortfallCovered(uint256 indexed positionId, uint256 fromInsurance, uint256 fromLps);
    event ExpirySettled(uint256 indexed boardId, uint256 expiry, uint256 spot, uint256 payable_, uint256 receivable);
    event PositionSettled(uint256 indexed positionId, uint256 payout, uint256 collateralReturned);
    event GreeksRefreshed(int256 delta, int256 gamma, int256 vega, int256 theta, int256 value);
    event FeeParamsSet(FeeParams params);
    event MarketParamsSet(MarketParams params);

    IVolatilityOracle public immutable oracle;
    IOptionsPoolBook public immutable pool;
    uint256 internal immutable quoteScale; // 10**(18 - quote decimals)

    /// @dev Fee and market parameters packed into five slots, grouped by the trade paths that read them:
    /// every trade reads slots 0-1 (and 3-4 for the risk caps of opening trades), a short's margin slot 2.
    struct PackedParams {
        // slot 0
        uint32 greeksMaxAge;
        uint32 hedgeInterval;
        uint64 maxVolDeviation;
        uint64 initialMarginFactor;
        uint64 riskFreeRate;
        // slot 1
        uint64 baseFeeRate;
        uint64 minFeeRate;
        uint64 hedgeCostRate;
        uint64 vegaFeeRate;
        // slot 2
        uint64 spotShockDown;
        uint64 spotShockUp;
        uint64 volShockUp;
        uint64 minMarginRate;
        // slot 3
        uint128 deltaCap;
        uint128 gammaCap;
        // slot 4
        uint128 vegaCap;
        uint64 liquidationPenaltyRate;
        uint64 liquidatorShare;
        // slot 5
        uint64 insuranceShare;
    }

    PackedParams internal _params;
    /// @dev NetGreeks plus the position count, which fills the last slot's spare bits (every opening
    /// trade writes that slot anyway).
    struct GreeksCache {
        int128 delta;
        int128 gamma;
        int128 vega;
        int128 theta;
        int128 value;
        uint64 updatedAt;
        uint64 numPositions;
    }

    GreeksCache internal _greeks;

    /// @dev Boards and strikes in mappings with their counts in one slot that only listing reads, so a
    /// trade's lookup of its strike and board costs no array-length reads (strike prices are non-zero,
    /// so a listed strike is one whose slot is set).
    mapping(uint256 boardId => Board) internal _boards;
    mapping(uint256 strikeId => StrikeSlot) internal _strikes;
    /// @dev A strike in storage: open interest in 120-bit fields beside a marker that listing sets, so the
    /// open-interest slots are live from the start and the first trade on a strike side costs no more
    /// than later ones.
    struct StrikeSlot {
        uint128 strikePrice;
        uint32 boardId;
        uint120 longCalls;
        uint120 shortCalls;
        uint16 callMarker;
        uint120 longPuts;
        uint120 shortPuts;
        uint16 putMarker;
    }
    uint32 internal _numBoards;
    uint32 internal _numStrikes;
    /// @dev One storage slot per position; collateral of shorts in `_collateral`.
    struct Slot {
        address owner;
        uint24 strikeId;
        bool isCall;
        bool isLong;
        uint56 lots;
    }

    mapping(uint256 positionId => Slot) internal _positions;
    mapping(uint256 positionId => uint256) internal _collateral;
    mapping(uint256 expiry => uint256 boardIdPlusOne) public boardOfExpiry;
    uint256[] internal _activeBoards; // unsettled board ids

    /// @dev Roles live in the pool's AccessControl: the pool's DEFAULT_ADMIN_ROLE sets this market's
    /// parameters and its LISTER_ROLE lists boards.
    constructor(IVolatilityOracle oracle_, IOptionsPoolBook pool_, uint8 quoteDecimals) {
        oracle = oracle_;
        pool = pool_;
        quoteScale = 10 ** (18 - quoteDecimals);
        _greeks.updatedAt = uint64(block.timestamp);
    }

    modifier onlyRole(bytes32 role) {
        if (!IAccessControl(address(pool)).hasRole(role, msg.sender)) revert Unauthorized(msg.sender, role);
        _;
    }

    modifier onlyPool() {
        if (msg.sender != address(pool)) revert NotPool(msg.sender);
        _;
    }

    // ------------------------------------------------------------------ parameters

    /// @inheritdoc IOptionMarket
    /// @dev Only the pool calls this, after validating every field within bounds that fit the packed widths.
    function setFeeParams(FeeParams calldata p) external onlyPool {
        PackedParams storage s = _params;
        s.baseFeeRate = uint64(p.baseFeeRate);
        s.minFeeRate = uint64(p.minFeeRate);
        s.hedgeCostRate = uint64(p.hedgeCostRate);
        s.hedgeInterval = uint32(p.hedgeInterval);
        s.vegaFeeRate = uint64(p.vegaFeeRate);
        emit FeeParamsSet(p);
    }

    /// @inheritdoc IOptionMarket
    function setMarketParams(MarketParams calldata p) external onlyPool {
        PackedParams storage s = _params;
        s.greeksMaxAge = uint32(p.greeksMaxAge);
        s.maxVolDeviation = uint64(p.maxVolDeviation);
        s.deltaCap = uint128(p.deltaCap);
        s.gammaCap = uint128(p.gammaCap);
        s.vegaCap = uint128(p.vegaCap);
        s.initialMarginFactor = uint64(p.initialMarginFactor);
        s.spotShockDown = uint64(p.spotShockDown);
        s.spotShockUp = uint64(p.spotShockUp);
        s.volShockUp = uint64(p.volShockUp);
        s.minMarginRate = uint64(p.minMarginRate);
        s.liquidationPenaltyRate = uint64(p.liquidationPenaltyRate);
        s.liquidatorShare = uint64(p.liquidatorShare);
        s.insuranceShare = uint64(p.insuranceShare);
        s.riskFreeRate = uint64(p.riskFreeRate);
        emit MarketParamsSet(p);
    }

    function feeParams() external view returns (FeeParams memory) {
        PackedParams storage s = _params;
        return FeeParams(s.baseFeeRate, s.minFeeRate, s.hedgeCostRate, s.hedgeInterval, s.vegaFeeRate);
    }

    function marketParams() external view returns (MarketParams memory m) {
        PackedParams storage s = _params;
        m.greeksMaxAge = s.greeksMaxAge;
        m.maxVolDeviation = s.maxVolDeviation;
        m.deltaCap = s.deltaCap;
        m.gammaCap = s.gammaCap;
        m.vegaCap = s.vegaCap;
        m.initialMarginFactor = s.initialMarginFactor;
        m.spotShockDown = s.spotShockDown;
        m.spotShockUp = s.spotShockUp;
        m.volShockUp = s.volShockUp;
        m.minMarginRate = s.minMarginRate;
        m.liquidationPenaltyRate = s.liquidationPenaltyRate;
        m.liquidatorShare = s.liquidatorShare;
        m.insuranceShare = s.insuranceShare;
        m.riskFreeRate = s.riskFreeRate;
    }

    // ------------------------------------------------------------------ listings

    /// @inheritdoc IOptionMarket
    function addBoard(uint256 expiry, uint256[] calldata strikes)
        external
        onlyRole(LISTER_ROLE)
        returns (uint256 boardId)
    {
        if (expiry <= block.timestamp || expiry > type(uint64).max) revert ExpiryNotInFuture(expiry, block.timestamp);
        if (boardOfExpiry[expiry] != 0) revert ExpiryAlreadyListed(expiry);
        uint256 n = strikes.length;
        uint256 first = _numStrikes;
        if (n == 0 || n > MAX_STRIKES || first + n > type(uint24).max) revert BadStrikeCount(n);
        boardId = _numBoards;
        for (uint256 i; i < n; ++i) {
            uint256 k = strikes[i];
            if (k == 0 || k > type(uint128).max) revert StrikeZero(i);
            if (i > 0 && k <= strikes[i - 1]) revert StrikesNotIncreasing(i);
            StrikeSlot storage st = _strikes[first + i];
            st.strikePrice = uint128(k);
            st.boardId = uint32(boardId);
            st.callMarker = 1;
            st.putMarker = 1;
        }
        _boards[boardId] = Board(uint64(expiry), uint32(first), uint16(n), false, 0);
        _numBoards = uint32(boardId + 1);
        _numStrikes = uint32(first + n);
        boardOfExpiry[expiry] = boardId + 1;
        _activeBoards.push(boardId);
        emit BoardAdded(boardId, expiry, first, strikes);
    }

    function board(uint256 boardId) external view returns (Board memory) {
        if (boardId >= _numBoards) revert UnknownBoardId(boardId);
        return _boards[boardId];
    }

    function strike(uint256 strikeId) external view returns (Strike memory) {
        if (strikeId >= _numStrikes) revert UnknownStrike(strikeId);
        StrikeSlot storage s = _strikes[strikeId];
        return Strike(s.strikePrice, s.boardId, s.longCalls, s.shortCalls, s.longPuts, s.shortPuts);
    }

    function position(uint256 positionId) external view returns (Position memory) {
        Slot storage s = _position(positionId);
        return Position(s.owner, s.strikeId, s.isCall, s.isLong, uint128(s.lots * LOT), uint128(_collateral[positionId]));
    }

    function numPositions() external view returns (uint256) {
        return _greeks.numPositions;
    }

    function activeBoards() external view returns (uint256[] memory) {
        return _activeBoards;
    }

    // ------------------------------------------------------------------ trading

    struct Pricing {
        uint256 spot;
        uint256 strikePrice;
        uint256 expiry;
        uint256 tau;
        uint256 vol;
        BlackScholes.Quote q;
    }

    /// @inheritdoc IOptionMarket
    function openPosition(
        uint256 strikeId,
        bool isCall,
        bool isLong,
        uint256 size,
        uint256 collateral,
        uint256 premiumLimit,
        uint256 deadline
    ) external nonReentrant returns (uint256 positionId, uint256 premium, uint256 fee) {
        if (size == 0) revert SizeZero();
        if (size % LOT != 0 || size / LOT > type(uint56).max) revert SizeNotWholeLots(size, LOT);
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        if (isLong && collateral != 0) revert CollateralOnLong();
        uint256 updatedAt = _greeks.updatedAt;
        if (block.timestamp > updatedAt + _params.greeksMaxAge) revert GreeksStale(updatedAt, block.timestamp);
        Pricing memory p = _price(strikeId, true);
        // the pool takes the other side
        fee = _applyTrade(p, isCall, isLong ? -int256(size) : int256(size), size, true);
        _addOpenInterest(strikeId, isCall, isLong, size);
        premium = _openCash(p, isCall, isLong, size, collateral, fee, premiumLimit);
        positionId = _greeks.numPositions;
        _greeks.numPositions = uint64(positionId + 1);
        _positions[positionId] = Slot(msg.sender, uint24(strikeId), isCall, isLong, uint56(size / LOT));
        if (collateral != 0) _collateral[positionId] = collateral;
        _emitOpened(positionId, premium, fee, p.vol);
    }

    function _emitOpened(uint256 positionId, uint256 premium, uint256 fee, uint256 vol) internal {
        Slot storage pos = _positions[positionId];
        emit PositionOpened(
            positionId,
            pos.owner,
            pos.strikeId,
            pos.isCall,
            pos.isLong,
            pos.lots * LOT,
            premium,
            fee,
            _collateral[positionId],
            vol
        );
    }

    function _addOpenInterest(uint256 strikeId, bool isCall, bool isLong, uint256 size) internal {
        StrikeSlot storage s = _strikes[strikeId];
        if (isCall) {
            if (isLong) s.longCalls += uint120(size);
            else s.shortCalls += uint120(size);
        } else {
            if (isLong) s.longPuts += uint120(size);
            else s.shortPuts += uint120(size);
        }
    }

    function _openCash(
        Pricing memory p,
        bool isCall,
        bool isLong,
        uint256 size,
        uint256 collateral,
        uint256 fee,
        uint256 limit
    ) internal returns (uint256 premium) {
        uint256 unitPrice = isCall ? p.q.callPrice : p.q.putPrice;
        IOptionsPoolBook.CashFlow memory flow;
        flow.account = msg.sender;
        if (isLong) {
            premium = _toQuoteUp(F.mulWad(unitPrice, size));
            uint256 cost = premium + fee;
            if (cost > limit) revert PremiumAboveLimit(cost, limit);
            flow.accountFlow = int256(cost);
        } else {
            premium = _toQuoteDown(F.mulWad(unitPrice, size));
            uint256 proceeds = premium > fee ? premium - fee : 0;
            if (proceeds < limit) revert PremiumBelowLimit(proceeds, limit);
            uint256 required = _toQuoteUp(F.mulWadUp(_maintenance(p, isCall, size), _params.initialMarginFactor));
            if (collateral < required) revert CollateralBelowInitialMargin(collateral, required);
            flow.accountFlow = int256(collateral) - int256(proceeds);
            flow.collateralDelta = int256(collateral);
        }
        pool.applyCashFlow(flow);
    }

    /// @inheritdoc IOptionMarket
    function closePosition(uint256 positionId, uint256 size, uint256 premiumLimit, uint256 deadline)
        external
        nonReentrant
        returns (uint256 premium, uint256 fee)
    {
        if (size == 0) revert SizeZero();
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        Slot storage pos = _position(positionId);
        if (pos.owner != msg.sender) revert NotPositionOwner(msg.sender, pos.owner);
        if (size % LOT != 0) revert SizeNotWholeLots(size, LOT);
        uint256 open = pos.lots * LOT;
        if (size > open) revert SizeAboveOpen(size, open);
        Pricing memory p = _price(pos.strikeId, false);
        fee = _applyTrade(p, pos.isCall, pos.isLong ? int256(size) : -int256(size), size, false);
        _reduceOpenInterest(pos.strikeId, pos.isCall, pos.isLong, size);
        uint256 released;
        (premium, released) = _closeCash(positionId, size, open, pos.isCall ? p.q.callPrice : p.q.putPrice, fee, premiumLimit);
        emit PositionClosed(positionId, size, premium, fee, released);
    }

    function _closeCash(uint256 positionId, uint256 size, uint256 open, uint256 unitPrice, uint256 fee, uint256 limit)
        internal
        returns (uint256 premium, uint256 released)
    {
        Slot storage pos = _positions[positionId];
        IOptionsPoolBook.CashFlow memory flow;
        flow.account = msg.sender;
        if (pos.isLong) {
            premium = _toQuoteDown(F.mulWad(unitPrice, size));
            uint256 proceeds = premium > fee ? premium - fee : 0;
            if (proceeds < limit) revert PremiumBelowLimit(proceeds, limit);
            flow.accountFlow = -int256(proceeds);
        } else {
            premium = _toQuoteUp(F.mulWad(unitPrice, size));
            uint256 cost = premium + fee;
            if (cost > limit) revert PremiumAboveLimit(cost, limit);
            uint256 coll = _collateral[positionId];
            released = size == open ? coll : F.mulDiv(coll, size, open);
            _collateral[positionId] = coll - released;
            flow.collateralDelta = -int256(released);
            flow.accountFlow = int256(cost) - int256(released);
        }
        pos.lots = uint56((open - size) / LOT);
        pool.applyCashFlow(flow);
    }

    /// @inheritdoc IOptionMarket
    function addCollateral(uint256 positionId, uint256 amount) external nonReentrant {
        if (amount == 0) revert SizeZero();
        Slot storage pos = _position(positionId);
        if (pos.isLong || pos.lots == 0) revert NotShort(positionId);
        _collateral[positionId] += amount;
        pool.applyCashFlow(IOptionsPoolBook.CashFlow(msg.sender, int256(amount), int256(amount), 0, 0, 0));
        emit CollateralChanged(positionId, int256(amount), _collateral[positionId]);
    }

    /// @inheritdoc IOptionMarket
    function removeCollateral(uint256 positionId, uint256 amount) external nonReentrant {
        if (amount == 0) revert SizeZero();
        Slot storage pos = _position(positionId);
        if (pos.owner != msg.sender) revert NotPositionOwner(msg.sender, pos.owner);
        if (pos.isLong || pos.lots == 0) revert NotShort(positionId);
        Board storage b = _boards[_strikes[pos.strikeId].boardId];
        if (block.timestamp >= b.expiry) revert BoardExpired(b.expiry, block.timestamp);
        Pricing memory p = _price(pos.strikeId, false);
        uint256 required = _toQuoteUp(F.mulWadUp(_maintenance(p, pos.isCall, pos.lots * LOT), _params.initialMarginFactor));
        uint256 coll = _collateral[positionId];
        if (amount > coll || coll - amount < required) {
            revert CollateralBelowInitialMargin(amount > coll ? 0 : coll - amount, required);
        }
        _collateral[positionId] = coll - amount;
        pool.applyCashFlow(IOptionsPoolBook.CashFlow(msg.sender, -int256(amount), -int256(amount), 0, 0, 0));
        emit CollateralChanged(positionId, -int256(amount), coll - amount);
    }

    // ------------------------------------------------------------------ liquidation

    /// @inheritdoc IOptionMarket
    function liquidateShortFor(uint256 positionId, address liquidator) external onlyPool nonReentrant {
        _liquidate(positionId, liquidator);
    }

    function _liquidate(uint256 positionId, address liquidator) internal {
        Slot storage pos = _position(positionId);
        uint256 size = pos.lots * LOT;
        if (pos.isLong || size == 0) revert NotShort(positionId);
        bool isCall = pos.isCall;
        uint256 strikeId = pos.strikeId;
        Board storage b = _boards[_strikes[strikeId].boardId];
        if (b.settled) revert BoardAlreadySettled(b.expiry);
        Pricing memory p = _priceSmoothed(strikeId);
        uint256 maint = _toQuoteUp(_maintenance(p, isCall, size));
        uint256 coll = _collateral[positionId];
        if (coll >= maint) revert NotLiquidatable(positionId, coll, maint);

        _applyTrade(p, isCall, -int256(size), size, false);
        _reduceOpenInterest(strikeId, isCall, false, size);
        pos.lots = 0;
        _collateral[positionId] = 0;

        LiquidationAmounts memory a;
        a.cost = _toQuoteUp(F.mulWad(isCall ? p.q.callPrice : p.q.putPrice, size));
        IOptionsPoolBook.CashFlow memory flow;
        flow.collateralDelta = -int256(coll);
        if (coll >= a.cost) {
            uint256 penalty = F.min(F.mulWad(a.cost, _params.liquidationPenaltyRate), coll - a.cost);
            a.reward = F.mulWad(penalty, _params.liquidatorShare);
            a.insurance = F.mulWad(penalty, _params.insuranceShare);
            a.lp = penalty - a.reward - a.insurance;
            a.returned = coll - a.cost - penalty;
        } else {
            (a.fromInsurance, a.fromLps) = _coverShortfall(a.cost - coll);
            flow.insuranceDelta = -int256(a.fromInsurance);
            emit ShortfallCovered(positionId, a.fromInsurance, a.fromLps);
        }
        flow.insuranceDelta += int256(a.insurance);
        address owner = pos.owner;
        if (a.returned != 0) {
            flow.account = owner;
            flow.accountFlow = -int256(a.returned);
        }
        pool.applyCashFlow(flow);
        if (a.reward != 0) {
            pool.applyCashFlow(IOptionsPoolBook.CashFlow(liquidator, -int256(a.reward), 0, 0, 0, 0));
        }
        emit PositionLiquidated(positionId, liquidator, a.cost, a.reward, a.insurance, a.lp, a.returned);
    }

    struct LiquidationAmounts {
        uint256 cost;
        uint256 reward;
        uint256 insurance;
        uint256 lp;
        uint256 returned;
        uint256 fromInsurance;
        uint256 fromLps;
    }

    function _coverShortfall(uint256 shortfall) internal view returns (uint256 fromInsurance, uint256 fromLps) {
        uint256 fund = IOptionsPoolView(address(pool)).insuranceFund();
        fromInsurance = F.min(fund, shortfall);
        fromLps = shortfall - fromInsurance;
    }

    /// @inheritdoc IOptionMarket
    function maintenanceMargin(uint256 positionId) external view returns (uint256) {
        Slot storage pos = _position(positionId);
        if (pos.isLong || pos.lots == 0 || _boards[_strikes[pos.strikeId].boardId].settled) return 0;
        return _maintenanceOf(pos);
    }

    function _maintenanceOf(Slot storage pos) internal view returns (uint256) {
        Pricing memory p = _priceSmoothed(pos.strikeId);
        return _toQuoteUp(_maintenance(p, pos.isCall, pos.lots * LOT));
    }

    // ------------------------------------------------------------------ settlement

    /// @inheritdoc IOptionMarket
    /// @dev The settlement spot is the oracle's spot at the time of the first `settleExpiry` call after
    /// expiry; its feed timestamp must be at or after the expiry (an observation from before expiry is
    /// refused with `SettlementPriceTooEarly`) and no older than the oracle's staleness limit.
    function settleExpiry(uint256 expiry) external nonReentrant {
        uint256 idPlusOne = boardOfExpiry[expiry];
        if (idPlusOne == 0) revert UnknownBoard(expiry);
        uint256 boardId = idPlusOne - 1;
        Board storage b = _boards[boardId];
        if (b.settled) revert BoardAlreadySettled(expiry);
        if (block.timestamp < expiry) revert BoardNotExpired(expiry, block.timestamp);
        (uint256 spot, uint256 updatedAt) = oracle.spotPrice();
        if (updatedAt < expiry) revert SettlementPriceTooEarly(updatedAt, expiry);
        b.settled = true;
        b.settlementSpot = uint128(spot);
        uint256 payableWad;
        uint256 receivableWad;
        uint256 end = uint256(b.firstStrikeId) + b.numStrikes;
        for (uint256 i = b.firstStrikeId; i < end; ++i) {
            StrikeSlot storage s = _strikes[i];
            uint256 k = s.strikePrice;
            uint256 callPay = spot > k ? spot - k : 0;
            uint256 putPay = k > spot ? k - spot : 0;
            payableWad += F.mulWad(callPay, s.longCalls) + F.mulWad(putPay, s.longPuts);
            receivableWad += F.mulWad(callPay, s.shortCalls) + F.mulWad(putPay, s.shortPuts);
        }
        // Each position's payout rounds down, so the board's total may exceed their sum by < 1 unit each.
        uint256 payable_ = _toQuoteUp(payableWad);
        uint256 receivable = _toQuoteDown(receivableWad);
        for (uint256 j; j < _activeBoards.length; ++j) {
            if (_activeBoards[j] == boardId) {
                _activeBoards[j] = _activeBoards[_activeBoards.length - 1];
                _activeBoards.pop();
                break;
            }
        }
        pool.applyCashFlow(IOptionsPoolBook.CashFlow(address(0), 0, 0, 0, int256(payable_), int256(receivable)));
        _refresh(spot);
        emit ExpirySettled(boardId, expiry, spot, payable_, receivable);
    }

    /// @inheritdoc IOptionMarket
    function settlePosition(uint256 positionId) external nonReentrant returns (uint256 payout) {
        Slot storage pos = _position(positionId);
        uint256 size = pos.lots * LOT;
        if (size == 0) revert SizeZero();
        Board storage b = _boards[_strikes[pos.strikeId].boardId];
        if (!b.settled) revert BoardNotSettled(b.expiry);
        uint256 spot = b.settlementSpot;
        uint256 k = _strikes[pos.strikeId].strikePrice;
        uint256 unit = pos.isCall ? (spot > k ? spot - k : 0) : (k > spot ? k - spot : 0);
        uint256 owed = F.mulWad(unit, size);
        pos.lots = 0;
        IOptionsPoolBook.CashFlow memory flow;
        flow.account = pos.owner;
        uint256 returned;
        if (pos.isLong) {
            payout = _toQuoteDown(owed);
            flow.accountFlow = -int256(payout);
            flow.payableDelta = -int256(payout);
        } else {
            uint256 due = _toQuoteDown(owed);
            uint256 coll = _collateral[positionId];
            _collateral[positionId] = 0;
            flow.collateralDelta = -int256(coll);
            flow.receivableDelta = -int256(due);
            if (coll >= due) {
                returned = coll - due;
            } else {
                (uint256 fromIns, uint256 fromLps) = _coverShortfall(due - coll);
                flow.insuranceDelta = -int256(fromIns);
                emit ShortfallCovered(positionId, fromIns, fromLps);
            }
            flow.accountFlow = -int256(returned);
        }
        pool.applyCashFlow(flow);
        emit PositionSettled(positionId, payout, returned);
    }

    // ------------------------------------------------------------------ greeks

    /// @inheritdoc IOptionMarket
    function refreshGreeks() external nonReentrant {
        (uint256 spot,) = oracle.spotPrice();
        _refresh(spot);
    }

    struct Acc {
        int256 delta;
        int256 gamma;
        int256 vega;
        int256 theta;
        int256 value;
        uint256 spot;
        uint256 rate;
    }

    function _refresh(uint256 spot) internal {
        Acc memory a;
        a.spot = spot;
        a.rate = _params.riskFreeRate;
        for (uint256 j; j < _activeBoards.length; ++j) {
            Board storage b = _boards[_activeBoards[j]];
            uint256 expiry = b.expiry;
            uint256 tau = expiry > block.timestamp ? (expiry - block.timestamp) * WAD / YEAR : 0;
            uint256 end = uint256(b.firstStrikeId) + b.numStrikes;
            for (uint256 i = b.firstStrikeId; i < end; ++i) {
                _accumulate(a, _strikes[i], expiry, tau);
            }
        }
        GreeksCache storage g = _greeks;
        g.delta = int128(a.delta);
        g.gamma = int128(a.gamma);
        g.vega = int128(a.vega);
        g.theta = int128(a.theta);
        g.value = int128(a.value);
        g.updatedAt = uint64(block.timestamp);
        emit GreeksRefreshed(a.delta, a.gamma, a.vega, a.theta, a.value);
    }

    function _accumulate(Acc memory a, StrikeSlot storage s, uint256 expiry, uint256 tau) internal view {
        int256 calls = int256(uint256(s.shortCalls)) - int256(uint256(s.longCalls));
        int256 puts = int256(uint256(s.shortPuts)) - int256(uint256(s.longPuts));
        if (calls == 0 && puts == 0) return;
        uint256 vol = tau == 0 ? 0 : _valuationVol(expiry, s.strikePrice);
        BlackScholes.Quote memory q = BlackScholes.quote(a.spot, s.strikePrice, tau, vol, a.rate);
        a.delta += F.sMulWad(calls, q.callDelta) + F.sMulWad(puts, q.putDelta);
        a.gamma += F.sMulWad(calls + puts, int256(q.gamma));
        a.vega += F.sMulWad(calls + puts, int256(q.vega));
        a.theta += F.sMulWad(calls, q.callTheta) + F.sMulWad(puts, q.putTheta);
        a.value += F.sMulWad(calls, int256(q.callPrice)) + F.sMulWad(puts, int256(q.putPrice));
    }

    /// @inheritdoc IOptionMarket
    function netGreeks() external view returns (NetGreeks memory) {
        GreeksCache memory g = _greeks;
        return NetGreeks(g.delta, g.gamma, g.vega, g.theta, g.value, g.updatedAt);
    }

    // ------------------------------------------------------------------ internals

    function _position(uint256 positionId) internal view returns (Slot storage) {
        if (positionId >= _greeks.numPositions) revert UnknownPosition(positionId);
        return _positions[positionId];
    }

    function _strikeAndBoard(uint256 strikeId) internal view returns (StrikeSlot storage s, Board storage b) {
        s = _strikes[strikeId];
        if (s.strikePrice == 0) revert UnknownStrike(strikeId);
        b = _boards[s.boardId];
    }

    /// @dev Trade pricing: spot and `impliedVol`; for closes a reverting `impliedVol` falls back to
    /// the valuation vol. Opening trades also need |iv - smoothed| <= maxVolDeviation x smoothed.
    function _price(uint256 strikeId, bool opening) internal view returns (Pricing memory p) {
        (StrikeSlot storage s, Board storage b) = _strikeAndBoard(strikeId);
        p.expiry = b.expiry;
        if (block.timestamp >= p.expiry) revert BoardExpired(p.expiry, block.timestamp);
        p.strikePrice = s.strikePrice;
        (p.spot,) = oracle.spotPrice();
        p.tau = (p.expiry - block.timestamp) * WAD / YEAR;
        if (opening) {
            p.vol = oracle.impliedVol(p.expiry, p.strikePrice);
            uint256 smoothed = oracle.smoothedImpliedVol(p.expiry, p.strikePrice);
            uint256 dev = p.vol > smoothed ? p.vol - smoothed : smoothed - p.vol;
            if (dev > F.mulWad(smoothed, _params.maxVolDeviation)) revert VolDeviationTooHigh(p.vol, smoothed);
        } else {
            try oracle.impliedVol(p.expiry, p.strikePrice) returns (uint256 v) {
                p.vol = v;
            } catch {
                p.vol = _valuationVol(p.expiry, p.strikePrice);
            }
        }
        p.q = BlackScholes.quote(p.spot, p.strikePrice, p.tau, p.vol, _params.riskFreeRate);
    }

    function _valuationVol(uint256 expiry, uint256 strikePrice) internal view returns (uint256) {
        try oracle.smoothedImpliedVol(expiry, strikePrice) returns (uint256 v) {
            return v;
        } catch {
            return oracle.realizedVol();
        }
    }

    /// @dev Valuation pricing for margin and liquidation: spot and the valuation vol.
    function _priceSmoothed(uint256 strikeId) internal view returns (Pricing memory p) {
        (StrikeSlot storage s, Board storage b) = _strikeAndBoard(strikeId);
        p.expiry = b.expiry;
        p.strikePrice = s.strikePrice;
        (p.spot,) = oracle.spotPrice();
        p.tau = p.expiry > block.timestamp ? (p.expiry - block.timestamp) * WAD / YEAR : 0;
        p.vol = p.tau == 0 ? 0 : _valuationVol(p.expiry, p.strikePrice);
        p.q = BlackScholes.quote(p.spot, p.strikePrice, p.tau, p.vol, _params.riskFreeRate);
    }

    function _maintenance(Pricing memory p, bool isCall, uint256 size) internal view returns (uint256) {
        PackedParams storage m = _params;
        return ShortMargin.maintenance(
            p.spot,
            p.strikePrice,
            p.tau,
            p.vol,
            isCall,
            size,
            ShortMargin.Shocks(m.spotShockDown, m.spotShockUp, m.volShockUp, m.minMarginRate, m.riskFreeRate)
        );
    }

    /// @dev Updates the cached aggregates by the pool's position change `poolDelta` (WAD, signed) and
    /// returns the fee (quote units, rounded up). Opening trades are checked against the risk caps: a
    /// trade may not leave |exposure| above its cap unless it reduces that exposure.
    function _applyTrade(Pricing memory p, bool isCall, int256 poolDelta, uint256 size, bool opening)
        internal
        returns (uint256 feeQuote)
    {
        GreeksCache memory g = _greeks;
        OptionFees.Inputs memory x;
        x.spot = p.spot;
        x.vol = p.vol;
        x.tau = p.tau;
        x.size = size;
        x.gammaBefore = g.gamma;
        x.vegaBefore = g.vega;
        x.gammaAfter = g.gamma + F.sMulWad(poolDelta, int256(p.q.gamma));
        x.vegaAfter = g.vega + F.sMulWad(poolDelta, int256(p.q.vega));
        int256 newDelta = g.delta + F.sMulWad(poolDelta, isCall ? p.q.callDelta : p.q.putDelta);
        if (opening) _checkRisk(g.delta, newDelta, x);
        feeQuote = _toQuoteUp(_feeWad(x));
        g.delta = int128(newDelta);
        g.gamma = int128(x.gammaAfter);
        g.vega = int128(x.vegaAfter);
        g.theta += int128(F.sMulWad(poolDelta, isCall ? p.q.callTheta : p.q.putTheta));
        g.value += int128(F.sMulWad(poolDelta, int256(isCall ? p.q.callPrice : p.q.putPrice)));
        _greeks = g;
    }

    function _feeWad(OptionFees.Inputs memory x) internal view returns (uint256) {
        PackedParams storage fp = _params;
        return OptionFees.fee(
            x, OptionFees.Rates(fp.baseFeeRate, fp.minFeeRate, fp.hedgeCostRate, fp.hedgeInterval, fp.vegaFeeRate)
        );
    }

    function _checkRisk(int256 deltaBefore, int256 deltaAfter, OptionFees.Inputs memory x) internal view {
        (int256 hedgeSize, bool halted) = pool.riskState();
        if (halted) revert TradingHalted();
        PackedParams storage m = _params;
        _checkCap(0, deltaBefore + hedgeSize, deltaAfter + hedgeSize, m.deltaCap);
        _checkCap(1, x.gammaBefore, x.gammaAfter, m.gammaCap);
        _checkCap(2, x.vegaBefore, x.vegaAfter, m.vegaCap);
    }

    function _checkCap(uint8 which, int256 before, int256 afterTrade, uint256 cap) internal pure {
        uint256 a = F.abs(afterTrade);
        if (a > cap && a > F.abs(before)) revert RiskCapExceeded(which, afterTrade, cap);
    }

    function _reduceOpenInterest(uint256 strikeId, bool isCall, bool isLong, uint256 size) internal {
        StrikeSlot storage s = _strikes[strikeId];
        if (isCall) {
            if (isLong) s.longCalls -= uint120(size);
            else s.shortCalls -= uint120(size);
        } else {
            if (isLong) s.longPuts -= uint120(size);
            else s.shortPuts -= uint120(size);
        }
    }

    function _toQuoteUp(uint256 wad) internal view returns (uint256) {
        return F.divUp(wad, quoteScale);
    }

    function _toQuoteDown(uint256 wad) internal view returns (uint256) {
        return wad / quoteScale;
    }
}

interface IOptionsPoolView {
    function insuranceFund() external view returns (uint256);
}
