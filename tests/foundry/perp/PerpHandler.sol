// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockAggregator} from "../../../contracts/mocks/MockAggregator.sol";
import {MockStablecoin} from "../../../contracts/mocks/MockStablecoin.sol";
import {PerpMarket} from "../../../contracts/PerpMarket.sol";
import {IPerpMarketTypes} from "../../../contracts/interfaces/IPerpMarket.sol";
import {TestBase} from "../utils/Vm.sol";

/// Drives the market with random deposits, withdrawals, trades, price moves, time, insurance seeding and
/// liquidations across several actors, tracking every token flow in and out of the market (ghosts).
contract PerpHandler is TestBase {
    MockStablecoin public token;
    MockAggregator public feed;
    PerpMarket public market;
    address[] public actors;

    int256 public price = 2_000e8;
    uint256 public ghostIn; // deposits + insurance seeding
    uint256 public ghostOut; // withdrawals + liquidator rewards
    uint256 public trades;
    uint256 public liquidations;
    uint256 public deleverages;

    constructor() {
        token = new MockStablecoin();
        feed = new MockAggregator(8, "ETH / USD", price);
        IPerpMarketTypes.MarketParameters memory p = IPerpMarketTypes.MarketParameters({
            skewScale: 4_000e18,
            maxOpenInterest: 3_000e18,
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
        market = new PerpMarket(address(token), address(feed), p, address(this));
        for (uint256 i; i < 5; ++i) {
            address a = address(uint160(0xA11CE + i));
            actors.push(a);
            token.mint(a, 1e15);
            vm.prank(a);
            token.approve(address(market), type(uint256).max);
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function deposit(uint256 seed, uint256 amount) external {
        address a = _actor(seed);
        amount = bound(amount, 1, 500_000e6);
        vm.prank(a);
        market.deposit(amount);
        ghostIn += amount;
    }

    function withdraw(uint256 seed, uint256 amount) external {
        address a = _actor(seed);
        (, uint256 margin,,) = market.positionOf(a);
        if (margin == 0) return;
        amount = bound(amount, 1, margin);
        vm.prank(a);
        try market.withdraw(amount) {
            ghostOut += amount;
        } catch {}
    }

    function trade(uint256 seed, int256 size) external {
        address a = _actor(seed);
        // up to ~9.5x the account's equity in notional, either side: leveraged enough to be liquidated
        (, , int256 equity,) = market.accountSummary(a);
        if (equity <= 0) return;
        uint256 maxSize = uint256(equity) * 1e12 * 95 / 10 * 1e8 / uint256(price);
        if (maxSize == 0) return;
        size = int256(bound(uint256(size), 0, 2 * maxSize)) - int256(maxSize);
        if (size == 0) return;
        vm.prank(a);
        try market.trade(size, size > 0 ? type(uint256).max : 0, block.timestamp) {
            ++trades;
        } catch {}
    }

    function movePrice(uint256 bps) external {
        int256 move = int256(bound(bps, 0, 1_600)) - 800; // -8% .. +8%
        int256 next = price * (10_000 + move) / 10_000;
        if (next < 200e8) next = 200e8;
        price = next;
        feed.setAnswer(price);
    }

    function passTime(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 3 days));
        feed.setAnswer(price);
    }

    function fundInsurance(uint256 amount) external {
        amount = bound(amount, 1, 20_000e6);
        address a = actors[0];
        vm.prank(a);
        market.fundInsurance(amount);
        ghostIn += amount;
    }

    function liquidate(uint256 seed, uint256 target) external {
        address liquidator = _actor(seed);
        address victim = _actor(target);
        uint256 before = token.balanceOf(liquidator);
        vm.prank(liquidator);
        try market.liquidate(victim) {
            ++liquidations;
            ghostOut += token.balanceOf(liquidator) - before;
        } catch {}
    }

    function liquidateAll(uint256 seed) external {
        address liquidator = _actor(seed);
        address[] memory due = market.liquidatableAccounts(0, 100);
        for (uint256 i; i < due.length; ++i) {
            uint256 before = token.balanceOf(liquidator);
            vm.prank(liquidator);
            market.liquidate(due[i]);
            ++liquidations;
            ghostOut += token.balanceOf(liquidator) - before;
        }
    }

    /// Settles pending debt like a keeper: profitable accounts on the paying side, best rank first.
    function deleverage(uint256 seed) external {
        IPerpMarketTypes.Ledger memory l = market.ledger();
        if (l.pendingDebtLongs == 0 && l.pendingDebtShorts == 0) return;
        bool shortsPay = l.pendingDebtLongs != 0 && (l.pendingDebtShorts == 0 || seed % 2 == 0);
        (address[] memory found, int256[] memory sizes, int256[] memory scores) =
            market.deleverageCandidates(0, market.accountCount());
        address[] memory picked = new address[](found.length);
        int256[] memory ranks = new int256[](found.length);
        uint256 k;
        for (uint256 i; i < found.length; ++i) {
            if ((sizes[i] < 0) != shortsPay) continue;
            // insertion by rank, highest first
            uint256 j = k++;
            while (j > 0 && ranks[j - 1] < scores[i]) {
                picked[j] = picked[j - 1];
                ranks[j] = ranks[j - 1];
                --j;
            }
            picked[j] = found[i];
            ranks[j] = scores[i];
        }
        assembly ("memory-safe") {
            mstore(picked, k)
        }
        try market.deleverage(picked) {
            ++deleverages;
        } catch {}
    }
}
