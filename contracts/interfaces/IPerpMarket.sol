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

/// @title IPerpMarketTypes
/// @notice Parameters, ledger, events and errors of the perp market.
///
/// Model (Synthetix perps v2 style, the market is the counterparty to the skew):
/// - skew = open interest long - open interest short (WAD units of underlying).
/// - mark = index * (skewScale + skew) / skewScale, rounded down.
/// - A trade of `size` fills at the average of the pre- and post-trade mark:
///   fill = index * (2 skewScale + 2 skew + size) / (2 skewScale), rounded up for buys, down for sells.
///   Every fill (liquidations included) moves the mark by index * size / skewScale.
/// - funding rate (WAD per day, + longs pay) = clamp(skew * 1e18 / skewScale, +-maxFundingRatePerDay),
///   each division truncated toward zero. The cumulative funding index F (WAD quote per unit of
///   underlying) grows on every accrual by rate * index * elapsed / (1e18 * 86400) (truncated toward
///   zero), where `index` is the index price at the accrual and `elapsed` the seconds since the last one.
///   An account of size s owes ceil(s * (F - F_entry) / 10**(36 - quoteDecimals)) quote units.
/// - PnL of size s from lastPrice to price p: floor(s * (p - lastPrice) / 10**(36 - quoteDecimals)).
///   Every position change realizes the whole PnL at the fill price and the owed funding into margin
///   and resets lastPrice to the fill (Synthetix v2).
/// - equity = margin + PnL(mark) - owed funding; maintenance margin = ceil(|s| * mark * mmr);
///   initial margin = ceil(|s| * mark * imr) (quote units).
///
/// Ledger (exact to the token unit at all times):
///   quote.balanceOf(market) == sum over accounts of margin + feePool + insuranceFund + marketPnl
///                              - pendingDebtLongs - pendingDebtShorts.
/// `marketPnl` (signed) is the market's own realized result as counterparty: it pays realized profits
/// and receives realized losses, funding and the rounding dust of every PnL/funding settlement (all
/// rounded in the market's favour). Fees go to `feePool`, liquidation penalties and seeding to
/// `insuranceFund`. The liquidator's reward is always paid in full.
///
/// Losses beyond margin (two steps, every transaction O(1) in the number of accounts):
/// 1. `liquidate` closes a bankrupt account at the moved mark like any other (its whole loss is credited to
///    marketPnl). Its shortfall (loss beyond margin, plus the liquidator's reward it cannot pay) is paid by
///    `insuranceFund` (BadDebtCovered, cumulativeBadDebtCovered); what the fund cannot pay becomes pending
///    deleveraging debt of the bankrupt account's side (DeleverageDebtRecorded, pendingDebtLongs or
///    pendingDebtShorts, cumulativeDebtRecorded): a receivable of the market, subtracted in the identity.
/// 2. `deleverage(targets)` (anyone) first repays pending debt from the insurance fund (it may have grown:
///    DeleverageDebtRepaid, cumulativeDebtRepaid), then recovers debt of bankrupt longs from profitable
///    shorts (and of bankrupt shorts from profitable longs), in the caller's order:
///    each target's position is partly or fully closed at the fill (the mark moves as for any fill), its
///    whole PnL and funding are realized, and a haircut of at most its realized profit is taken from it
///    (AutoDeleveraged, cumulativeAdlSize, cumulativeAdlLoss). The target's effective exit price is the
///    fill moved against it by haircut / size closed: the price at which the closed part bears the debt.
/// Always: cumulativeDebtRecorded == pendingDebtLongs + pendingDebtShorts + cumulativeDebtRepaid
///                                    + cumulativeAdlLoss.
/// Enforced on-chain by `deleverage`: every target is on the paying side (opposite to the debt), in profit
/// at the mark when the call starts (uPnL after funding > 0), and targets come in non-increasing rank
/// (rank = uPnL * notional / equity, all at that mark). NOT enforced on-chain: that no better-ranked
/// account was left out (that needs a scan of every account); `deleverageCandidates` lets anyone check
/// the ranking off-chain. Withdrawals are not gated while debt is pending: deleveraging is permissionless
/// and can follow the liquidation in the same block, and a gate would let a debt without any profitable
/// counterparty freeze every account; the pending debt stays a visible receivable until recovered.
interface IPerpMarketTypes {
    /// @notice Market parameters, validated on every set. Ratios are WAD (0.1e18 = 10%).
    struct MarketParameters {
        uint128 skewScale; // WAD units of underlying: a skew of skewScale is a 100% premium
        uint128 maxOpenInterest; // WAD units of underlying per side; < skewScale
        uint64 takerFeeRatio; // fee on the part of a trade that increases |skew|
        uint64 makerFeeRatio; // fee on the part that reduces |skew|; <= takerFeeRatio
        uint64 initialMarginRatio; // imr, > mmr, <= 1e18
        uint64 maintenanceMarginRatio; // mmr, > reward + penalty
        uint64 maxFundingRatePerDay; // cap on |funding rate|, WAD per day, <= 1e18
        uint32 maxOracleAge; // seconds; older feed answers revert
        uint64 liquidationRewardRatio; // of the liquidated notional, paid to the liquidator
        uint64 liquidationPenaltyRatio; // of the liquidated notional, paid to the insurance fund
        uint128 minPartialLiquidationNotional; // WAD quote: positions below it are liquidated fully
    }

    /// @notice The market's buckets (quote units) and loss ledger.
    struct Ledger {
        uint256 feePool; // trading fees collected
        uint256 insuranceFund; // penalties + seeding - bad debt covered - rewards paid from it
        int256 marketPnl; // the market's realized result as counterparty, rounding dust included
        uint256 pendingDebtLongs; // unpaid shortfalls of bankrupt longs, to be recovered from shorts
        uint256 pendingDebtShorts; // unpaid shortfalls of bankrupt shorts, to be recovered from longs
        uint256 cumulativeBadDebtCovered; // bankrupt shortfalls paid by the insurance fund at liquidation
        uint256 cumulativeDebtRecorded; // shortfalls beyond the insurance fund that became pending debt
        uint256 cumulativeDebtRepaid; // pending debt repaid later by the insurance fund
        uint256 cumulativeAdlSize; // WAD units of underlying closed by auto-deleveraging
        uint256 cumulativeAdlLoss; // quote units: haircuts taken from deleveraged positions
    }

    /// @notice Emitted when the parameters are set (constructor included).
    event MarketParametersSet(MarketParameters params);
    /// @notice Emitted on every deposit.
    event MarginDeposited(address indexed account, uint256 amount, uint256 margin);
    /// @notice Emitted on every withdrawal.
    event MarginWithdrawn(address indexed account, uint256 amount, uint256 margin);
    /// @notice Emitted when an account first deposits and joins the scanned account list.
    event AccountRegistered(address indexed account, uint256 indexed accountIndex);
    /// @notice Emitted on every trade. `realized` is PnL minus funding settled into margin (quote units).
    event PositionModified(
        address indexed account,
        int256 sizeDelta,
        int256 newSize,
        uint256 fillPrice,
        uint256 fee,
        int256 realized,
        uint256 margin
    );
    /// @notice Emitted on every accrual of the cumulative funding index.
    event FundingAccrued(int256 fundingIndex, int256 ratePerDay, uint256 elapsed, uint256 indexPrice);
    /// @notice Emitted on every liquidation. `sizeClosed` signed like the closed position.
    event PositionLiquidated(
        address indexed account,
        address indexed liquidator,
        int256 sizeClosed,
        int256 remainingSize,
        uint256 fillPrice,
        uint256 reward,
        uint256 penalty,
        uint256 margin
    );
    /// @notice Emitted when the insurance fund pays a bankrupt account's shortfall.
    event BadDebtCovered(address indexed account, uint256 amount, uint256 insuranceFund);
    /// @notice Emitted when the insurance fund cannot pay all of a bankrupt account's shortfall: `amount`
    /// becomes pending deleveraging debt of its side (`isLong`), `pending` is that side's debt now.
    event DeleverageDebtRecorded(address indexed account, bool isLong, uint256 amount, uint256 pending);
    /// @notice Emitted when the insurance fund repays `amount` of pending debt (inside `deleverage`).
    event DeleverageDebtRepaid(uint256 amount, uint256 insuranceFund, uint256 pendingDebtLongs, uint256 pendingDebtShorts);
    /// @notice Emitted for every position reduced by auto-deleveraging: `sizeClosed` signed like the
    /// position, closed at `fillPrice`, `haircut` (quote units) taken from its profit toward the debt,
    /// `pendingDebt` the paying side's debt left.
    event AutoDeleveraged(
        address indexed account,
        address indexed caller,
        int256 sizeClosed,
        uint256 fillPrice,
        uint256 haircut,
        uint256 pendingDebt
    );
    /// @notice Emitted when anyone seeds the insurance fund.
    event InsuranceFunded(address indexed from, uint256 amount, uint256 insuranceFund);
    /// @notice Emitted when the admin withdraws collected fees.
    event FeesWithdrawn(address indexed to, uint256 amount, uint256 feePool);

    /// @notice A size of zero was given.
    error SizeZero();
    /// @notice An amount of zero was given.
    error AmountZero();
    /// @notice A zero address was given for `what`.
    error ZeroAddress(string what);
    /// @notice `block.timestamp` is after the trade's deadline.
    error DeadlinePassed(uint256 deadline, uint256 nowTs);
    /// @notice The fill price is worse than the trader's limit.
    error PriceBeyondLimit(uint256 fillPrice, uint256 limitPrice);
    /// @notice The feed's latest answer is older than maxOracleAge.
    error StaleOraclePrice(uint256 updatedAt, uint256 nowTs, uint256 maxAge);
    /// @notice The feed's latest answer is not positive.
    error InvalidOraclePrice(int256 answer);
    /// @notice The account's equity after the operation would be below `required` (quote units).
    error InsufficientMargin(int256 equity, uint256 required);
    /// @notice A withdrawal larger than the account's margin.
    error WithdrawExceedsMargin(uint256 amount, uint256 margin);
    /// @notice A fee withdrawal larger than the fee pool.
    error FeesExceedPool(uint256 amount, uint256 feePool);
    /// @notice The trade would take a side's open interest above maxOpenInterest.
    error OpenInterestLimitExceeded(uint256 openInterest, uint256 limit);
    /// @notice `account` has no position.
    error NoPosition(address account);
    /// @notice `account` is at or above maintenance margin.
    error NotLiquidatable(address account, int256 equity, uint256 maintenanceMargin);
    /// @notice `deleverage` was called while no debt is pending.
    error NoPendingDebt();
    /// @notice `account` cannot be deleveraged: no position, not on the side that pays a pending debt, or
    /// not in profit at the mark.
    error NotDeleverageable(address account);
    /// @notice `account` ranks above the target before it (targets must come in non-increasing rank).
    error DeleverageOrder(address account, int256 score, int256 previousScore);
    /// @notice Parameter `name` has the invalid value `value`.
    error InvalidParameter(string name, uint256 value);
    /// @notice A value does not fit the market's packed storage.
    error ValueOverflow(string name, uint256 value);
}

/// @title IPerpMarketFull
/// @notice Everything the perp market exposes beyond the stable surfaces: views for keepers and tests,
/// insurance seeding and administration. Admin functions need DEFAULT_ADMIN_ROLE (OpenZeppelin
/// AccessControl).
interface IPerpMarketFull is IPerpMarket, IPerpMarketLiquidation, IPerpMarketTypes {
    /// @notice The quote token (6 decimals) margins are held in.
    function quoteToken() external view returns (address);

    /// @notice The Chainlink-style feed the index is read from.
    function priceFeed() external view returns (address);

    /// @notice The current parameters.
    function parameters() external view returns (MarketParameters memory);

    /// @notice Sets the parameters after validating them; emits MarketParametersSet. Admin only. Funding is
    /// first accrued at the old parameters, so this reverts (StaleOraclePrice) while the feed is stale.
    function setParameters(MarketParameters calldata params) external;

    /// @notice Moves `amount` quote units from the caller into the insurance fund. Anyone may seed it.
    function fundInsurance(uint256 amount) external;

    /// @notice Sends `amount` quote units of collected fees to `to`. Admin only.
    function withdrawFees(address to, uint256 amount) external;

    /// @notice skew = openInterestLong - openInterestShort (WAD units of underlying).
    function skew() external view returns (int256);

    /// @notice Open interest per side (WAD units of underlying).
    function openInterest() external view returns (uint256 long_, uint256 short_);

    /// @notice The cumulative funding index (WAD quote per unit of underlying) as it would be accrued now.
    function fundingIndex() external view returns (int256);

    /// @notice Buckets and loss ledger (see the contract-level NatSpec for the conservation law).
    function ledger() external view returns (Ledger memory);

    /// @notice Number of accounts in the scanned list (every account that ever deposited; no account can
    /// trade without depositing, so it contains every account that ever traded).
    function accountCount() external view returns (uint256);

    /// @notice The account at position `i` of the list.
    function accountAt(uint256 i) external view returns (address);

    /// @notice Raw position record: signed size (WAD), margin (quote units), last settlement price
    /// (WAD) and the funding index at the last settlement.
    function positionOf(address account)
        external
        view
        returns (int256 size, uint256 margin, uint256 lastPrice, int256 lastFundingIndex);

    /// @notice Funding `account` owes now (quote units, + owes, - is owed), rounded up.
    function accruedFunding(address account) external view returns (int256);

    /// @notice Equity of `account` at the mark (quote units).
    function equityOf(address account) external view returns (int256);

    /// @notice equity / notional at the mark (WAD); type(int256).max without a position or when the
    /// notional is below one quote unit.
    function marginRatio(address account) external view returns (int256);

    /// @notice Mark price (WAD) at which equity equals maintenance margin, holding owed funding fixed;
    /// 0 without a position or when no positive price qualifies.
    function liquidationPrice(address account) external view returns (uint256);

    /// @notice Initial margin of `account` at the mark (quote units).
    function initialMarginOf(address account) external view returns (uint256);

    /// @notice Settles pending deleveraging debt (see IPerpMarketTypes): the insurance fund repays what it
    /// can, then `targets` (all on one side, the side paying the debt of the other, in non-increasing rank
    /// uPnL * notional / equity at the mark when the call starts, each in profit) are deleveraged in order
    /// until that debt is zero; targets after that are ignored. Anyone may call it. Reverts NoPendingDebt
    /// without debt, NotDeleverageable for a target without position, on the wrong side, not in profit, or
    /// when the first target's side has nothing to pay, DeleverageOrder out of rank, StaleOraclePrice with
    /// a stale feed when targets are given and debt is left after the insurance fund.
    function deleverage(address[] calldata targets) external;

    /// @notice Accounts among [start, start + count) of the account list with a position in profit at the
    /// mark (uPnL after funding > 0), with their signed sizes and deleveraging rank (uPnL * notional /
    /// equity, the score `deleverage` checks), unsorted. A keeper takes the accounts on the paying side
    /// (sizes < 0 pay pendingDebtLongs, > 0 pay pendingDebtShorts) and sorts them by rank, highest first.
    function deleverageCandidates(uint256 start, uint256 count)
        external
        view
        returns (address[] memory accounts, int256[] memory sizes, int256[] memory scores);
}
