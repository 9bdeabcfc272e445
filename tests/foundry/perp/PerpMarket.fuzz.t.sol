// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockAggregator} from "../../../contracts/mocks/MockAggregator.sol";
import {MockStablecoin} from "../../../contracts/mocks/MockStablecoin.sol";
import {PerpMarket} from "../../../contracts/PerpMarket.sol";
import {IPerpMarketTypes} from "../../../contracts/interfaces/IPerpMarket.sol";
import {PerpMargin} from "../../../contracts/libraries/PerpMargin.sol";
import {PerpPricing} from "../../../contracts/libraries/PerpPricing.sol";
import {TestBase} from "../utils/Vm.sol";

/// Fuzz tests of the pricing and margin libraries and of single market operations.
contract PerpMarketFuzzTest is TestBase {
    uint256 internal constant S = 40_000e18;
    MockStablecoin internal token;
    MockAggregator internal feed;
    PerpMarket internal market;
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);

    function setUp() public {
        token = new MockStablecoin();
        feed = new MockAggregator(8, "ETH / USD", 2_000e8);
        market = new PerpMarket(address(token), address(feed), _params(), address(this));
        address[2] memory who = [ALICE, BOB];
        for (uint256 i; i < 2; ++i) {
            token.mint(who[i], 1e15);
            vm.prank(who[i]);
            token.approve(address(market), type(uint256).max);
        }
    }

    function _params() internal pure returns (IPerpMarketTypes.MarketParameters memory) {
        return IPerpMarketTypes.MarketParameters({
            skewScale: uint128(S),
            maxOpenInterest: 20_000e18,
            takerFeeRatio: 5e14,
            makerFeeRatio: 2e14,
            initialMarginRatio: 0.1e18,
            maintenanceMarginRatio: 0.0625e18,
            maxFundingRatePerDay: 0.01e18,
            maxOracleAge: 3_600,
            liquidationRewardRatio: 0.005e18,
            liquidationPenaltyRatio: 0.0075e18,
            minPartialLiquidationNotional: 10_000e18
        });
    }

    /// The fill lies between the pre- and post-trade marks, on the side that favours the market.
    function testFuzz_fillBetweenMarks(uint256 index, int256 skew, int256 size) public pure {
        index = bound(index, 1e18, 1e24);
        skew = int256(bound(uint256(skew), 0, 2 * 19_000e18)) - 19_000e18;
        size = int256(bound(uint256(size), 0, 2 * 19_000e18)) - 19_000e18;
        if (size == 0) size = 1;
        uint256 pre = PerpPricing.mark(index, skew, S);
        uint256 post = PerpPricing.mark(index, skew + size, S);
        uint256 f = PerpPricing.fill(index, skew, size, S);
        if (size > 0) {
            assertLe(pre, f, "buy fill below pre-mark");
            assertLe(f, post + 1, "buy fill above post-mark");
        } else {
            assertLe(f, pre, "sell fill above pre-mark");
            assertLe(post, f + 1, "sell fill below post-mark");
        }
    }

    /// Reducing |skew| never costs more than increasing it by the same size.
    function testFuzz_makerFeeNotAboveTaker(int256 skew, uint256 size) public pure {
        skew = int256(bound(uint256(skew), 1, 19_000e18));
        size = bound(size, 1, 19_000e18);
        uint256 reduce = PerpPricing.fee(skew, -int256(size), 2_000e18, 5e14, 2e14, 1e30);
        uint256 increase = PerpPricing.fee(skew, int256(size), 2_000e18, 5e14, 2e14, 1e30);
        assertLe(reduce, increase, "maker fee above taker fee");
    }

    /// floor/ceil signed division against their definitions.
    function testFuzz_roundingDivisions(int256 a, uint256 b) public pure {
        a = int256(bound(uint256(a), 0, 2e60)) - 1e60;
        b = bound(b, 1, 1e40);
        int256 f = PerpMargin.floorDiv(a, int256(b));
        int256 c = PerpMargin.ceilDiv(a, int256(b));
        assertTrue(f * int256(b) <= a && (f + 1) * int256(b) > a, "floor");
        assertTrue(c * int256(b) >= a && (c - 1) * int256(b) < a, "ceil");
    }

    /// Opening and closing at once never gains: the market's rounding and fees make a round trip cost.
    function testFuzz_roundTripNeverProfits(uint256 size, bool long_, uint256 other) public {
        size = bound(size, 1e12, 400e18);
        other = bound(other, 0, 300e18);
        vm.prank(BOB);
        market.deposit(1_000_000e6);
        if (other != 0) {
            vm.prank(BOB);
            market.trade(-int256(other), 0, block.timestamp);
        }
        vm.startPrank(ALICE);
        market.deposit(200_000e6);
        int256 s = long_ ? int256(size) : -int256(size);
        market.trade(s, long_ ? type(uint256).max : 0, block.timestamp);
        market.trade(-s, long_ ? 0 : type(uint256).max, block.timestamp);
        vm.stopPrank();
        (int256 after_, uint256 margin,,) = market.positionOf(ALICE);
        assertEq(after_, int256(0), "size after round trip");
        assertLe(margin, 200_000e6 - 1, "round trip gained or was free");
    }

    /// A partial liquidation leaves the account at (not far above) initial margin; the ledger balances.
    function testFuzz_partialLiquidationRestoresInitialMargin(uint256 size, uint256 drop, bool long_) public {
        size = bound(size, 20e18, 2_000e18);
        drop = bound(drop, 450, 2_000); // 4.5% .. 20% adverse move, in bps
        vm.prank(BOB);
        market.deposit(10_000_000e6);
        vm.startPrank(ALICE);
        uint256 margin = size * 2_000 * 105 / 1000 / 1e12; // ~10.5% of notional
        market.deposit(margin);
        int256 s = long_ ? int256(size) : -int256(size);
        market.trade(s, long_ ? type(uint256).max : 0, block.timestamp);
        vm.stopPrank();
        int256 moved = long_ ? int256(2_000e8 * (10_000 - drop) / 10_000) : int256(2_000e8 * (10_000 + drop) / 10_000);
        feed.setAnswer(moved);
        (, , int256 equity, uint256 mm) = market.accountSummary(ALICE);
        vm.assume(equity < int256(mm));
        market.liquidate(ALICE);
        (int256 left,, int256 eq,) = market.accountSummary(ALICE);
        if (left != 0) {
            uint256 im = market.initialMarginOf(ALICE);
            assertTrue(eq >= int256(im), "partial left the account below initial margin");
            assertLe(uint256(eq), im + im / 100 + 1e6, "partial closed far more than needed");
        }
        IPerpMarketTypes.Ledger memory l = market.ledger();
        (, uint256 ma,,) = market.positionOf(ALICE);
        (, uint256 mb,,) = market.positionOf(BOB);
        int256 total = int256(ma + mb + l.feePool + l.insuranceFund) + l.marketPnl
            - int256(l.pendingDebtLongs + l.pendingDebtShorts);
        assertEq(int256(token.balanceOf(address(market))), total, "ledger");
    }

    /// A shortfall beyond the (empty) insurance fund becomes pending debt of the bankrupt side; the
    /// profitable opposite position then pays exactly that debt in haircuts; the ledger balances throughout.
    function testFuzz_shortfallDebtDeleveraged(uint256 size, uint256 gap, bool long_) public {
        size = bound(size, 1e18, 1_000e18);
        gap = bound(gap, 1_200, 3_000); // 12% .. 30% adverse move, in bps
        int256 s = long_ ? int256(size) : -int256(size);
        vm.startPrank(BOB);
        market.deposit(20_000_000e6);
        market.trade(-s, long_ ? 0 : type(uint256).max, block.timestamp);
        vm.stopPrank();
        vm.startPrank(ALICE);
        market.deposit(size * 2_000 * 105 / 1000 / 1e12);
        market.trade(s, long_ ? type(uint256).max : 0, block.timestamp);
        vm.stopPrank();
        feed.setAnswer(long_ ? int256(2_000e8 * (10_000 - gap) / 10_000) : int256(2_000e8 * (10_000 + gap) / 10_000));
        market.liquidate(ALICE);
        IPerpMarketTypes.Ledger memory l = market.ledger();
        uint256 debt = long_ ? l.pendingDebtLongs : l.pendingDebtShorts;
        assertTrue(debt > 0, "no debt recorded");
        assertEq(l.cumulativeDebtRecorded, debt, "recorded");
        _assertLedger();
        address[] memory targets = new address[](1);
        targets[0] = BOB;
        market.deleverage(targets);
        l = market.ledger();
        assertEq(l.pendingDebtLongs + l.pendingDebtShorts, 0, "debt left");
        assertEq(l.cumulativeAdlLoss, debt, "haircuts");
        _assertLedger();
        vm.expectRevert(IPerpMarketTypes.NoPendingDebt.selector);
        market.deleverage(targets);
    }

    function _assertLedger() internal view {
        IPerpMarketTypes.Ledger memory l = market.ledger();
        (, uint256 ma,,) = market.positionOf(ALICE);
        (, uint256 mb,,) = market.positionOf(BOB);
        int256 total = int256(ma + mb + l.feePool + l.insuranceFund) + l.marketPnl
            - int256(l.pendingDebtLongs + l.pendingDebtShorts);
        assertEq(int256(token.balanceOf(address(market))), total, "ledger");
        (uint256 oiL, uint256 oiS) = market.openInterest();
        (int256 sa,,,) = market.positionOf(ALICE);
        (int256 sb,,,) = market.positionOf(BOB);
        assertEq(int256(oiL) - int256(oiS), sa + sb, "skew");
    }

    /// Every bad input reverts with its error and changes nothing.
    function test_badInputReverts() public {
        vm.expectRevert(IPerpMarketTypes.SizeZero.selector);
        market.trade(0, 0, block.timestamp);
        vm.expectRevert(IPerpMarketTypes.AmountZero.selector);
        market.deposit(0);
        vm.expectRevert(abi.encodeWithSelector(IPerpMarketTypes.DeadlinePassed.selector, block.timestamp - 1, block.timestamp));
        market.trade(1e18, type(uint256).max, block.timestamp - 1);
        vm.expectRevert(abi.encodeWithSelector(IPerpMarketTypes.NoPosition.selector, ALICE));
        market.liquidate(ALICE);
        vm.expectRevert(IPerpMarketTypes.NoPendingDebt.selector);
        market.deleverage(new address[](0));
    }
}
