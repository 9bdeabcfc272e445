// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IOptionsPool (keeper-facing part)
/// @notice What the hedging keeper reads and calls. Units: sizes and deltas WAD units of underlying;
/// prices WAD; money in quote-token units (6 decimals) unless stated.
interface IOptionsPoolKeeper {
    /// @notice Everything the keeper needs for one decision, read in one eth_call.
    struct KeeperSnapshot {
        uint256 timestamp; // block time of the read
        uint256 spot; // oracle spot (WAD)
        uint256 markPrice; // perp mark (WAD)
        uint256 indexPrice; // perp index (WAD)
        int256 fundingRatePerDay; // perp funding (WAD per day, + longs pay)
        int256 optionsDelta; // net delta of the pool's option book (WAD underlying)
        int256 optionsGamma; // net gamma of the book (WAD: d delta / d spot, per 1 quote of spot)
        int256 optionsVega; // net vega (WAD quote per 1.00 vol)
        int256 optionsTheta; // net theta (WAD quote per year)
        int256 hedgeSize; // perp position held by the pool (WAD underlying)
        int256 netDelta; // optionsDelta + hedgeSize
        uint256 hedgeMargin; // pool's margin on the perp market (quote units)
        int256 hedgeEquity; // its equity (quote units)
        uint256 hedgeMaintenanceMargin; // its maintenance requirement (quote units)
        uint256 freeCash; // pool cash not reserved (quote units)
        uint256 greeksUpdatedAt; // when cached aggregates were last refreshed
        uint256 nearestExpiry; // earliest unsettled expiry, 0 if none
        uint256 expiredUnsettledBoards; // boards past expiry awaiting settlement
    }

    function keeperSnapshot() external view returns (KeeperSnapshot memory);
}

/// @title IOptionsPoolKeeperActions
/// @notice What the keeper calls. Hedging and margin moves need the keeper role; the rest is permissionless.
interface IOptionsPoolKeeperActions {
    /// @notice Trades the pool's perp hedge by `sizeDelta` (WAD underlying) at a fill no worse than
    /// `limitPrice`, before `deadline`. Must bring |net delta| closer to zero (no overshoot beyond tolerance).
    function hedge(int256 sizeDelta, uint256 limitPrice, uint256 deadline) external returns (uint256 fillPrice);

    /// @notice Moves `amount` quote units from pool cash to the hedge account (+) or back (-).
    function adjustHedgeMargin(int256 amount) external;

    /// @notice Recomputes the cached aggregate greeks over every open strike.
    function refreshGreeks() external;

    /// @notice Settles every position of the board expiring at `expiry` (after expiry).
    function settleExpiry(uint256 expiry) external;

    /// @notice Short-option positions below maintenance, scanning position ids [start, start + count).
    function liquidatableShorts(uint256 start, uint256 count) external view returns (uint256[] memory positionIds);

    /// @notice Liquidates short-option position `positionId`; the caller receives the liquidator reward.
    function liquidateShort(uint256 positionId) external;
}

/// @title IOptionMarket
/// @notice The option book: listings (boards of strikes), trader positions, pricing, short margin,
/// liquidation, settlement and the pool's aggregate greeks. Money never rests here: every transfer goes
/// through the pool (traders approve the OptionsPool for the quote token).
/// Units: strikes, spots and premiums per unit WAD; sizes WAD units of underlying; money quote-token units.
interface IOptionMarket {
    /// @notice A listed expiry: its strikes have ids [firstStrikeId, firstStrikeId + numStrikes).
    struct Board {
        uint64 expiry;
        uint32 firstStrikeId;
        uint16 numStrikes;
        bool settled;
        uint128 settlementSpot; // WAD, set by settleExpiry
    }

    /// @notice A listed strike with the traders' open interest (the pool holds the opposite side).
    struct Strike {
        uint128 strikePrice; // WAD
        uint32 boardId;
        uint128 longCalls; // traders' long calls (WAD units)
        uint128 shortCalls;
        uint128 longPuts;
        uint128 shortPuts;
    }

    /// @notice A trader's position. `size` 0 once closed, liquidated or settled.
    struct Position {
        address owner;
        uint32 strikeId;
        bool isCall;
        bool isLong;
        uint128 size; // WAD units of underlying
        uint128 collateral; // quote units, shorts only
    }

    /// @notice The pool's aggregate greeks (pool side: the negative of the traders' book), WAD.
    struct NetGreeks {
        int128 delta; // WAD underlying
        int128 gamma; // WAD per 1 quote of spot
        int128 vega; // WAD quote per 1.00 vol
        int128 theta; // WAD quote per year
        int128 value; // WAD quote: value of the pool's options (longs minus shorts)
        uint64 updatedAt; // last full refresh
    }

    /// @notice Fee parameters (see OptionFees): all WAD.
    struct FeeParams {
        uint256 baseFeeRate; // fee per unit notional (spot x size) before the risk charge
        uint256 minFeeRate; // floor per unit notional, <= baseFeeRate
        uint256 hedgeCostRate; // k: proportional cost of one hedge trade (perp fee + slippage)
        uint256 hedgeInterval; // delta-t: seconds between hedges (not WAD)
        uint256 vegaFeeRate; // vol charged per unit of added |net vega| (0.005e18 = half a vol point)
    }

    /// @notice Risk and margin parameters.
    struct MarketParams {
        uint256 greeksMaxAge; // seconds: opening trades need aggregates refreshed this recently
        uint256 maxVolDeviation; // WAD: |iv - smoothed| / smoothed above which opening trades halt
        uint256 deltaCap; // WAD underlying: cap on |options delta + hedge|
        uint256 gammaCap; // WAD
        uint256 vegaCap; // WAD quote per 1.00 vol
        uint256 initialMarginFactor; // WAD > 1e18: initial margin = maintenance x factor
        uint256 spotShockDown; // WAD (0.7e18)
        uint256 spotShockUp; // WAD (1.3e18)
        uint256 volShockUp; // WAD (1.5e18)
        uint256 minMarginRate; // WAD: floor of maintenance per unit notional
        uint256 liquidationPenaltyRate; // WAD: penalty as a fraction of the buy-back cost
        uint256 liquidatorShare; // WAD fraction of the penalty to the liquidator
        uint256 insuranceShare; // WAD fraction of the penalty to the insurance fund (rest to LPs)
        uint256 riskFreeRate; // WAD per year
    }

    /// @notice Sets the fee parameters; only the pool calls it, after validating them.
    function setFeeParams(FeeParams calldata p) external;

    /// @notice Sets the risk and margin parameters; only the pool calls it, after validating them.
    function setMarketParams(MarketParams calldata p) external;

    /// @notice Lists a board of `strikes` (WAD, strictly increasing, at most 64) expiring at `expiry`
    /// (caller needs the pool's LISTER_ROLE).
    function addBoard(uint256 expiry, uint256[] calldata strikes) external returns (uint256 boardId);

    /// @notice Opens a position of `size` at strike `strikeId`. Buyers pay premium + fee, which must be
    /// <= `premiumLimit`; sellers receive premium - fee, which must be >= `premiumLimit`, and post
    /// `collateral` >= initial margin. Returns the new position id and the amounts (quote units).
    function openPosition(
        uint256 strikeId,
        bool isCall,
        bool isLong,
        uint256 size,
        uint256 collateral,
        uint256 premiumLimit,
        uint256 deadline
    ) external returns (uint256 positionId, uint256 premium, uint256 fee);

    /// @notice Closes `size` of position `positionId` (owner only). Closing a long pays the owner
    /// premium - fee (>= premiumLimit); closing a short costs premium + fee (<= premiumLimit), taken from
    /// the released collateral first.
    function closePosition(uint256 positionId, uint256 size, uint256 premiumLimit, uint256 deadline)
        external
        returns (uint256 premium, uint256 fee);

    function addCollateral(uint256 positionId, uint256 amount) external;

    function removeCollateral(uint256 positionId, uint256 amount) external;

    /// @notice Pays out a position of a settled board to its owner (permissionless).
    function settlePosition(uint256 positionId) external returns (uint256 payout);

    function refreshGreeks() external;

    function settleExpiry(uint256 expiry) external;

    /// @notice Liquidation on behalf of `liquidator`; only the pool calls it (its `liquidateShort` is the
    /// public entry point).
    function liquidateShortFor(uint256 positionId, address liquidator) external;

    /// @notice Maintenance margin (quote units) that position `positionId` needs now; 0 for longs, closed
    /// positions and positions of settled boards.
    function maintenanceMargin(uint256 positionId) external view returns (uint256);

    function netGreeks() external view returns (NetGreeks memory);

    function position(uint256 positionId) external view returns (Position memory);

    function numPositions() external view returns (uint256);

    /// @notice Ids of the boards not yet settled.
    function activeBoards() external view returns (uint256[] memory);

    function board(uint256 boardId) external view returns (Board memory);
}

/// @title IOptionsPoolBook
/// @notice What the option market asks of the pool, which holds every token.
interface IOptionsPoolBook {
    /// @notice One cash movement. `accountFlow` > 0 pulls that many quote units from `account`, < 0 pays
    /// them out; the bucket deltas move reserved amounts (trader collateral, insurance fund, settlement
    /// payable to long holders, settlement receivable from shorts). Free cash absorbs the rest and must
    /// stay >= 0.
    struct CashFlow {
        address account;
        int256 accountFlow;
        int256 collateralDelta;
        int256 insuranceDelta;
        int256 payableDelta;
        int256 receivableDelta;
    }

    function applyCashFlow(CashFlow calldata flow) external;

    /// @notice The perp position held by the pool (WAD) and whether opening trades are halted.
    function riskState() external view returns (int256 hedgeSize, bool halted);
}
