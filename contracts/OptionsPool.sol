// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {FixedPointMathLib as F} from "solady/utils/FixedPointMathLib.sol";
import {IOptionsPoolKeeper, IOptionsPoolKeeperActions, IOptionMarket, IOptionsPoolBook} from "./interfaces/IOptionsPool.sol";
import {IPerpMarket} from "./interfaces/IPerpMarket.sol";
import {IVolatilityOracle} from "./interfaces/IVolatilityOracle.sol";

/// @title OptionsPool
/// @notice The LP vault (ERC-4626 over the quote token) that is the counterparty of every option trade,
/// holds every token of the protocol (LP cash, trader collateral, insurance fund, settlement payables) and
/// a margin account on the perp market that the keeper steers.
/// @dev NAV (quote units) = free cash + hedge account equity + settlement receivable + value of the pool's
/// options (the OptionMarket's cached aggregate, valued at the smoothed implied vol), where
/// free cash = token balance - trader collateral - insurance fund - settlement payable.
/// Deposits and withdrawals need the option aggregates refreshed within `navMaxAge` (call
/// `refreshGreeks()` first, in the same block for an exact NAV), a withdrawal pays `withdrawalFeeRate`
/// to the remaining LPs, shares can be redeemed only `minDepositAge` after the owner's last deposit or
/// share receipt, and both are blocked while the circuit breaker is on.
contract OptionsPool is
    ERC4626,
    AccessControl,
    ReentrancyGuard,
    IOptionsPoolKeeper,
    IOptionsPoolKeeperActions,
    IOptionsPoolBook
{
    using SafeERC20 for IERC20;

    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Lists boards on the OptionMarket (which reads its roles from this contract).
    bytes32 public constant LISTER_ROLE = keccak256("LISTER_ROLE");
    uint256 internal constant WAD = 1e18;

    struct PoolParams {
        uint256 withdrawalFeeRate; // WAD fraction of the withdrawn assets kept by the pool
        uint256 minDepositAge; // seconds between a deposit (or share receipt) and a withdrawal
        uint256 navMaxAge; // seconds: max age of the option aggregates for deposits and withdrawals
        uint256 hedgeSizeCap; // WAD underlying per hedge call
        uint256 hedgeTolerance; // WAD underlying: overshoot allowed past zero net delta
        uint256 hedgeMarginBuffer; // WAD >= 1: hedge equity must stay >= maintenance x buffer on withdrawals
        uint256 deltaBreachLimit; // WAD underlying: |net delta| above this counts as a hedge breach
        uint256 maxBreachDuration; // seconds a breach may last before the circuit breaker trips
    }

    error SizeZero();
    error DeadlinePassed(uint256 deadline, uint256 nowTs);
    error NotMarket(address caller);
    error MarketAlreadySet(address market);
    error InsufficientFreeLiquidity(uint256 requested, uint256 available);
    error BucketUnderflow(uint8 bucket, int256 delta);
    error NavStale(uint256 updatedAt, uint256 nowTs);
    error DepositTooRecent(uint256 depositedAt, uint256 nowTs);
    error CircuitBreakerOn();
    error NegativeNav(int256 nav);
    error HedgeSizeAboveCap(uint256 size, uint256 cap);
    error HedgeWrongDirection(int256 netDeltaBefore, int256 netDeltaAfter);
    error HedgeMarginBelowBuffer(int256 equity, uint256 required);
    error InvalidParameter(bytes32 name, uint256 value);

    event MarketSet(address market);
    event PoolParamsSet(PoolParams params);
    event CashFlowApplied(
        address indexed account,
        int256 accountFlow,
        int256 collateralDelta,
        int256 insuranceDelta,
        int256 payableDelta,
        int256 receivableDelta
    );
    event Hedged(int256 sizeDelta, uint256 fillPrice, uint256 fee, int256 netDeltaBefore, int256 netDeltaAfter);
    event HedgeMarginAdjusted(int256 amount, uint256 margin, int256 equity);
    event HedgeBreachChanged(uint256 since);
    event ManualHaltSet(bool halted);

    IVolatilityOracle public immutable oracle;
    IPerpMarket public immutable perp;
    IOptionMarket public market;

    PoolParams internal _params;
    /// @dev The four reserve buckets (quote units) in two slots. Each slot carries a constant non-zero
    /// marker so that a bucket leaving zero (e.g. the first short's collateral) rewrites a live slot
    /// instead of creating one.
    struct Reserves {
        uint112 a; // traderCollateral | settlementPayable
        uint112 b; // insuranceFund | settlementReceivable
        uint32 marker;
    }

    Reserves internal _cashReserves; // traderCollateral, insuranceFund
    Reserves internal _settlement; // settlementPayable, settlementReceivable
    /// @dev What opening trades read, in one slot: the perp size recorded at the last hedge or
    /// `pokeHedgeBreach` (the option market's delta cap uses it), the breach timer and the halts.
    struct RiskSlot {
        int128 hedgeSize;
        uint64 breachSince;
        uint32 maxBreachDuration;
        bool manualHalt;
    }

    RiskSlot internal _risk;
    mapping(address => uint256) public lastDepositAt;

    constructor(IERC20 quote, IVolatilityOracle oracle_, IPerpMarket perp_, address admin)
        ERC20("Options Pool LP", "opLP")
        ERC4626(quote)
    {
        oracle = oracle_;
        perp = perp_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(KEEPER_ROLE, admin);
        _grantRole(LISTER_ROLE, admin);
        _cashReserves.marker = 1;
        _settlement.marker = 1;
    }

    /// @notice Short sellers' collateral held by the pool (quote units).
    function traderCollateral() public view returns (uint256) {
        return _cashReserves.a;
    }

    /// @notice The insurance fund (quote units).
    function insuranceFund() public view returns (uint256) {
        return _cashReserves.b;
    }

    /// @notice Settled payouts owed to long holders and not yet claimed (quote units).
    function settlementPayable() public view returns (uint256) {
        return _settlement.a;
    }

    /// @notice Settled amounts owed by shorts' collateral to the pool and not yet collected (quote units).
    function settlementReceivable() public view returns (uint256) {
        return _settlement.b;
    }

    /// @dev traderCollateral + insuranceFund + settlementPayable.
    function _reserved() internal view returns (uint256) {
        Reserves memory r = _cashReserves;
        return uint256(r.a) + r.b + _settlement.a;
    }

    // ------------------------------------------------------------------ admin

    function setMarket(IOptionMarket market_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(market) != address(0)) revert MarketAlreadySet(address(market));
        market = market_;
        emit MarketSet(address(market_));
    }

    function setPoolParams(PoolParams calldata p) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (p.withdrawalFeeRate > 0.05e18) revert InvalidParameter(bytes32("withdrawalFeeRate"), p.withdrawalFeeRate);
        if (p.minDepositAge > 30 days) revert InvalidParameter(bytes32("minDepositAge"), p.minDepositAge);
        if (p.navMaxAge == 0 || p.navMaxAge > 1 days) revert InvalidParameter(bytes32("navMaxAge"), p.navMaxAge);
        if (p.hedgeSizeCap == 0) revert InvalidParameter(bytes32("hedgeSizeCap"), p.hedgeSizeCap);
        if (p.hedgeMarginBuffer < WAD || p.hedgeMarginBuffer > 10e18) {
            revert InvalidParameter(bytes32("hedgeMarginBuffer"), p.hedgeMarginBuffer);
        }
        if (p.deltaBreachLimit == 0) revert InvalidParameter(bytes32("deltaBreachLimit"), p.deltaBreachLimit);
        if (p.maxBreachDuration == 0) revert InvalidParameter(bytes32("maxBreachDuration"), p.maxBreachDuration);
        if (p.maxBreachDuration > type(uint32).max) revert InvalidParameter(bytes32("maxBreachDuration"), p.maxBreachDuration);
        _params = p;
        _risk.maxBreachDuration = uint32(p.maxBreachDuration);
        emit PoolParamsSet(p);
    }

    /// @notice Validates and sets the option market's fee parameters (see IOptionMarket.FeeParams).
    function setFeeParams(IOptionMarket.FeeParams calldata p) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (p.baseFeeRate > 0.1e18) revert InvalidParameter(bytes32("baseFeeRate"), p.baseFeeRate);
        if (p.minFeeRate > p.baseFeeRate) revert InvalidParameter(bytes32("minFeeRate"), p.minFeeRate);
        if (p.hedgeCostRate > 0.1e18) revert InvalidParameter(bytes32("hedgeCostRate"), p.hedgeCostRate);
        if (p.hedgeInterval < 60 || p.hedgeInterval > 7 days) revert InvalidParameter(bytes32("hedgeInterval"), p.hedgeInterval);
        if (p.vegaFeeRate > 0.2e18) revert InvalidParameter(bytes32("vegaFeeRate"), p.vegaFeeRate);
        market.setFeeParams(p);
    }

    /// @notice Validates and sets the option market's risk and margin parameters.
    function setMarketParams(IOptionMarket.MarketParams calldata p) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (p.greeksMaxAge == 0 || p.greeksMaxAge > 1 days) revert InvalidParameter(bytes32("greeksMaxAge"), p.greeksMaxAge);
        if (p.maxVolDeviation == 0 || p.maxVolDeviation > 5e18) {
            revert InvalidParameter(bytes32("maxVolDeviation"), p.maxVolDeviation);
        }
        if (p.initialMarginFactor < WAD || p.initialMarginFactor > 5e18) {
            revert InvalidParameter(bytes32("initialMarginFactor"), p.initialMarginFactor);
        }
        if (p.spotShockDown == 0 || p.spotShockDown > WAD) revert InvalidParameter(bytes32("spotShockDown"), p.spotShockDown);
        if (p.spotShockUp < WAD || p.spotShockUp > 5e18) revert InvalidParameter(bytes32("spotShockUp"), p.spotShockUp);
        if (p.volShockUp < WAD || p.volShockUp > 5e18) revert InvalidParameter(bytes32("volShockUp"), p.volShockUp);
        if (p.minMarginRate > WAD) revert InvalidParameter(bytes32("minMarginRate"), p.minMarginRate);
        if (p.liquidationPenaltyRate > 0.5e18) {
            revert InvalidParameter(bytes32("liquidationPenaltyRate"), p.liquidationPenaltyRate);
        }
        if (p.liquidatorShare + p.insuranceShare > WAD) revert InvalidParameter(bytes32("insuranceShare"), p.insuranceShare);
        if (p.riskFreeRate > 0.5e18) revert InvalidParameter(bytes32("riskFreeRate"), p.riskFreeRate);
        if (p.deltaCap > type(uint128).max) revert InvalidParameter(bytes32("deltaCap"), p.deltaCap);
        if (p.gammaCap > type(uint128).max) revert InvalidParameter(bytes32("gammaCap"), p.gammaCap);
        if (p.vegaCap > type(uint128).max) revert InvalidParameter(bytes32("vegaCap"), p.vegaCap);
        market.setMarketParams(p);
    }

    function poolParams() external view returns (PoolParams memory) {
        return _params;
    }

    /// @notice Admin switch of the circuit breaker (on top of the automatic hedge-breach breaker).
    function setManualHalt(bool halted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _risk.manualHalt = halted;
        emit ManualHaltSet(halted);
    }

    // ------------------------------------------------------------------ accounting

    /// @notice Pool cash not reserved for traders, the insurance fund or settlement payouts (quote units).
    function freeCash() public view returns (uint256) {
        uint256 bal = IERC20(asset()).balanceOf(address(this));
        uint256 reserved = _reserved();
        return bal > reserved ? bal - reserved : 0;
    }

    function hedgeAccount() public view returns (int256 size, uint256 margin, int256 equity, uint256 maintenance) {
        return perp.accountSummary(address(this));
    }

    /// @notice Net asset value of the LPs (quote units, signed).
    function nav() public view returns (int256) {
        (,, int256 equity,) = hedgeAccount();
        int256 optionsValue = int256(market.netGreeks().value) / int256(10 ** (18 - decimalsOfAsset()));
        return int256(freeCash()) + equity + int256(settlementReceivable()) + optionsValue;
    }

    function decimalsOfAsset() internal view returns (uint8) {
        return super.decimals() - _decimalsOffset();
    }

    function totalAssets() public view override returns (uint256) {
        int256 v = nav();
        return v > 0 ? uint256(v) : 0;
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return 12;
    }

    /// @notice Whether the circuit breaker is on: admin halt, or |net delta| beyond `deltaBreachLimit`
    /// for longer than `maxBreachDuration`. A stale oracle halts everything that reads it by itself.
    function circuitBreakerOn() public view returns (bool) {
        RiskSlot memory r = _risk;
        return _halted(r);
    }

    function _halted(RiskSlot memory r) internal view returns (bool) {
        return r.manualHalt || (r.breachSince != 0 && block.timestamp > uint256(r.breachSince) + r.maxBreachDuration);
    }

    function hedgeBreachSince() external view returns (uint256) {
        return _risk.breachSince;
    }

    function manualHalt() external view returns (bool) {
        return _risk.manualHalt;
    }

    /// @inheritdoc IOptionsPoolBook
    function riskState() external view returns (int256 hedgeSize, bool halted) {
        RiskSlot memory r = _risk;
        return (r.hedgeSize, _halted(r));
    }

    /// @inheritdoc IOptionsPoolBook
    function applyCashFlow(CashFlow calldata f) external {
        if (msg.sender != address(market)) revert NotMarket(msg.sender);
        if (f.collateralDelta != 0 || f.insuranceDelta != 0) {
            Reserves memory r = _cashReserves;
            r.a = _bump(r.a, f.collateralDelta, 0);
            r.b = _bump(r.b, f.insuranceDelta, 1);
            _cashReserves = r;
        }
        if (f.payableDelta != 0 || f.receivableDelta != 0) {
            Reserves memory r = _settlement;
            r.a = _bump(r.a, f.payableDelta, 2);
            r.b = _bump(r.b, f.receivableDelta, 3);
            _settlement = r;
        }
        IERC20 token = IERC20(asset());
        if (f.accountFlow > 0) {
            token.safeTransferFrom(f.account, address(this), uint256(f.accountFlow));
        } else if (f.accountFlow < 0) {
            token.safeTransfer(f.account, uint256(-f.accountFlow));
        }
        // Free cash can only fall below zero when money leaves or a reserve grows.
        if (f.accountFlow < 0 || f.collateralDelta > 0 || f.insuranceDelta > 0 || f.payableDelta > 0) {
            uint256 bal = token.balanceOf(address(this));
            uint256 reserved = _reserved();
            if (bal < reserved) revert InsufficientFreeLiquidity(reserved, bal);
        }
        emit CashFlowApplied(
            f.account, f.accountFlow, f.collateralDelta, f.insuranceDelta, f.payableDelta, f.receivableDelta
        );
    }

    function _bump(uint112 v, int256 d, uint8 which) internal pure returns (uint112) {
        if (d >= 0) return SafeCast.toUint112(v + uint256(d));
        if (uint256(-d) > v) revert BucketUnderflow(which, d);
        return uint112(v - uint256(-d));
    }

    // ------------------------------------------------------------------ LP vault

    function _checkVaultOpen() internal view {
        if (circuitBreakerOn()) revert CircuitBreakerOn();
        uint256 updatedAt = market.netGreeks().updatedAt;
        if (block.timestamp > updatedAt + _params.navMaxAge) revert NavStale(updatedAt, block.timestamp);
        int256 v = nav();
        if (v <= 0 && totalSupply() != 0) revert NegativeNav(v);
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares)
        internal
        override
        nonReentrant
    {
        if (assets == 0 || shares == 0) revert SizeZero();
        _checkVaultOpen();
        super._deposit(caller, receiver, assets, shares);
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
        nonReentrant
    {
        if (assets == 0 || shares == 0) revert SizeZero();
        _checkVaultOpen();
        uint256 depositedAt = lastDepositAt[owner];
        if (block.timestamp < depositedAt + _params.minDepositAge) revert DepositTooRecent(depositedAt, block.timestamp);
        uint256 available = freeCash();
        if (assets > available) revert InsufficientFreeLiquidity(assets, available);
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    /// @dev Receiving shares (deposit or transfer) restarts the receiver's minimum holding period.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (to != address(0) && value != 0) lastDepositAt[to] = block.timestamp;
    }

    function previewWithdraw(uint256 assets) public view override returns (uint256) {
        uint256 rate = _params.withdrawalFeeRate;
        uint256 gross = F.mulDivUp(assets, WAD, WAD - rate);
        return super.previewWithdraw(gross);
    }

    function previewRedeem(uint256 shares) public view override returns (uint256) {
        uint256 assets = super.previewRedeem(shares);
        return assets - F.mulWadUp(assets, _params.withdrawalFeeRate);
    }

    function maxWithdraw(address owner) public view override returns (uint256) {
        return previewRedeem(balanceOf(owner));
    }

    // ------------------------------------------------------------------ hedge account

    /// @inheritdoc IOptionsPoolKeeperActions
    /// @dev Allowed when it reduces the size of the perp position (always possible, so the hedge can
    /// never be stuck), or when it moves |net delta| strictly closer to zero and does not cross zero by
    /// more than `hedgeTolerance`. Per call |sizeDelta| <= `hedgeSizeCap`. Uses the cached option delta.
    function hedge(int256 sizeDelta, uint256 limitPrice, uint256 deadline)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
        returns (uint256 fillPrice)
    {
        if (sizeDelta == 0) revert SizeZero();
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        uint256 absSize = F.abs(sizeDelta);
        if (absSize > _params.hedgeSizeCap) revert HedgeSizeAboveCap(absSize, _params.hedgeSizeCap);
        (int256 size,,,) = hedgeAccount();
        int256 optionsDelta = market.netGreeks().delta;
        int256 before = optionsDelta + size;
        int256 afterTrade = before + sizeDelta;
        int256 newSize = size + sizeDelta;
        bool reducesHedge = F.abs(newSize) < F.abs(size) && (newSize == 0 || (newSize > 0) == (size > 0));
        if (!reducesHedge) {
            bool closer = F.abs(afterTrade) < F.abs(before);
            bool crossed = afterTrade != 0 && before != 0 && (afterTrade > 0) != (before > 0);
            if (!closer || (crossed && F.abs(afterTrade) > _params.hedgeTolerance)) {
                revert HedgeWrongDirection(before, afterTrade);
            }
        }
        uint256 fee;
        (fillPrice, fee) = perp.trade(sizeDelta, limitPrice, deadline);
        _updateBreach(afterTrade, newSize);
        emit Hedged(sizeDelta, fillPrice, fee, before, afterTrade);
    }

    /// @inheritdoc IOptionsPoolKeeperActions
    function adjustHedgeMargin(int256 amount) external onlyRole(KEEPER_ROLE) nonReentrant {
        if (amount == 0) revert SizeZero();
        if (amount > 0) {
            uint256 available = freeCash();
            if (uint256(amount) > available) revert InsufficientFreeLiquidity(uint256(amount), available);
            IERC20(asset()).forceApprove(address(perp), uint256(amount));
            perp.deposit(uint256(amount));
        } else {
            perp.withdraw(uint256(-amount));
            (int256 size,, int256 eq, uint256 maint) = hedgeAccount();
            uint256 required = F.mulWadUp(maint, _params.hedgeMarginBuffer);
            if (size != 0 && eq < int256(required)) revert HedgeMarginBelowBuffer(eq, required);
        }
        (, uint256 margin, int256 equity,) = hedgeAccount();
        emit HedgeMarginAdjusted(amount, margin, equity);
    }

    function _updateBreach(int256 netDelta, int256 hedgeSize) internal {
        bool breach = F.abs(netDelta) > _params.deltaBreachLimit;
        RiskSlot memory r = _risk;
        r.hedgeSize = int128(hedgeSize);
        if (breach && r.breachSince == 0) {
            r.breachSince = uint64(block.timestamp);
            emit HedgeBreachChanged(block.timestamp);
        } else if (!breach && r.breachSince != 0) {
            r.breachSince = 0;
            emit HedgeBreachChanged(0);
        }
        _risk = r;
    }

    /// @notice Re-evaluates the hedge-breach timer from the current net delta (permissionless).
    function pokeHedgeBreach() public {
        (int256 size,,,) = hedgeAccount();
        _updateBreach(int256(market.netGreeks().delta) + size, size);
    }

    // ------------------------------------------------------------------ keeper-facing forwards

    /// @inheritdoc IOptionsPoolKeeperActions
    function refreshGreeks() external {
        market.refreshGreeks();
        pokeHedgeBreach();
    }

    /// @inheritdoc IOptionsPoolKeeperActions
    function settleExpiry(uint256 expiry) external {
        market.settleExpiry(expiry);
        pokeHedgeBreach();
    }

    /// @inheritdoc IOptionsPoolKeeperActions
    /// @dev A view loop: a short is listed when its collateral is below `market.maintenanceMargin`.
    function liquidatableShorts(uint256 start, uint256 count) external view returns (uint256[] memory ids) {
        IOptionMarket m = market;
        uint256 end = F.min(m.numPositions(), start + count);
        uint256[] memory buf = new uint256[](end > start ? end - start : 0);
        uint256 n;
        for (uint256 i = start; i < end; ++i) {
            uint256 maint = m.maintenanceMargin(i);
            if (maint != 0 && m.position(i).collateral < maint) buf[n++] = i;
        }
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = buf[i];
        }
    }

    /// @inheritdoc IOptionsPoolKeeperActions
    function liquidateShort(uint256 positionId) external {
        market.liquidateShortFor(positionId, msg.sender);
    }

    /// @inheritdoc IOptionsPoolKeeper
    function keeperSnapshot() external view returns (KeeperSnapshot memory s) {
        s.timestamp = block.timestamp;
        (s.spot,) = oracle.spotPrice();
        s.markPrice = perp.markPrice();
        s.indexPrice = perp.indexPrice();
        s.fundingRatePerDay = perp.fundingRatePerDay();
        IOptionMarket.NetGreeks memory g = market.netGreeks();
        s.optionsDelta = g.delta;
        s.optionsGamma = g.gamma;
        s.optionsVega = g.vega;
        s.optionsTheta = g.theta;
        (s.hedgeSize, s.hedgeMargin, s.hedgeEquity, s.hedgeMaintenanceMargin) = hedgeAccount();
        s.netDelta = s.optionsDelta + s.hedgeSize;
        s.freeCash = freeCash();
        s.greeksUpdatedAt = g.updatedAt;
        (s.nearestExpiry, s.expiredUnsettledBoards) = expiryStatus();
    }

    /// @notice Earliest unsettled expiry (0 if none) and how many boards are past expiry but unsettled.
    function expiryStatus() public view returns (uint256 nearestExpiry, uint256 expiredUnsettled) {
        uint256[] memory ids = market.activeBoards();
        for (uint256 j; j < ids.length; ++j) {
            uint256 e = market.board(ids[j]).expiry;
            if (nearestExpiry == 0 || e < nearestExpiry) nearestExpiry = e;
            if (e <= block.timestamp) ++expiredUnsettled;
        }
    }

    function supportsInterface(bytes4 id) public view override returns (bool) {
        return super.supportsInterface(id);
    }
}
