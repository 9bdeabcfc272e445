// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockAggregator} from "../../../contracts/mocks/MockAggregator.sol";
import {MockStablecoin} from "../../../contracts/mocks/MockStablecoin.sol";
import {VolatilityOracle} from "../../../contracts/VolatilityOracle.sol";
import {PerpMarket} from "../../../contracts/PerpMarket.sol";
import {OptionsPool} from "../../../contracts/OptionsPool.sol";
import {OptionMarket} from "../../../contracts/OptionMarket.sol";
import {IVolatilityOracle, IVolatilityOracleAdmin} from "../../../contracts/interfaces/IVolatilityOracle.sol";
import {IPerpMarket, IPerpMarketTypes} from "../../../contracts/interfaces/IPerpMarket.sol";
import {IOptionMarket, IOptionsPoolBook} from "../../../contracts/interfaces/IOptionsPool.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {TestBase} from "../utils/Vm.sol";

uint256 constant WAD = 1e18;
uint256 constant USD = 1e6;

/// @notice Drives the pool through random opens, closes, spot moves, collateral changes, liquidations,
/// LP deposits and time, recording whether a close or a due liquidation ever failed.
contract PoolHandler is TestBase {
    MockStablecoin public quote;
    MockAggregator public feed;
    VolatilityOracle public oracle;
    PerpMarket public perp;
    OptionsPool public pool;
    OptionMarket public market;
    uint256 public expiry;
    address[3] public traders;
    uint256[] public openIds;
    bool public closeFailed;
    bool public liquidationFailed;
    uint256 public closes;
    uint256 public liquidations;

    constructor() {
        vm.warp(1_700_000_000);
        quote = new MockStablecoin();
        feed = new MockAggregator(8, "ETH / USD", 2_000e8);
        oracle = new VolatilityOracle(feed, address(this), 1 hours, 0.7e18, _oracleParams());
        oracle.grantRole(oracle.SURFACE_KEEPER_ROLE(), address(this));
        perp = new PerpMarket(address(quote), address(feed), _perpParams(), address(this));
        pool = new OptionsPool(IERC20(address(quote)), IVolatilityOracle(address(oracle)), IPerpMarket(address(perp)), address(this));
        market = new OptionMarket(IVolatilityOracle(address(oracle)), IOptionsPoolBook(address(pool)), 6);
        pool.setMarket(IOptionMarket(address(market)));
        pool.setPoolParams(OptionsPool.PoolParams(0.003e18, 1 days, 900, 100e18, 1e18, 2e18, 50e18, 3600));
        pool.setFeeParams(IOptionMarket.FeeParams(0.0005e18, 0.0002e18, 0.001e18, 3600, 0.005e18));
        pool.setMarketParams(
            IOptionMarket.MarketParams(
                3600, 0.25e18, 200e18, 1e18, 100_000e18, 1.2e18, 0.7e18, 1.3e18, 1.5e18, 0.05e18, 0.1e18, 0.5e18, 0.25e18, 0
            )
        );
        expiry = block.timestamp + 30 days;
        uint256[] memory strikes = new uint256[](5);
        for (uint256 i; i < 5; ++i) {
            strikes[i] = (1_800 + 100 * i) * WAD;
        }
        market.addBoard(expiry, strikes);
        oracle.postSurface(expiry, 0.8e18, 0);
        quote.mint(address(this), 10_000_000 * USD);
        quote.approve(address(pool), type(uint256).max);
        pool.refreshGreeks();
        pool.deposit(1_000_000 * USD, address(this));
        for (uint256 i; i < 3; ++i) {
            traders[i] = address(uint160(0x1000 + i));
            quote.mint(traders[i], 10_000_000 * USD);
            vm.prank(traders[i]);
            quote.approve(address(pool), type(uint256).max);
        }
    }

    function _oracleParams() internal pure returns (IVolatilityOracleAdmin.OracleParams memory) {
        return IVolatilityOracleAdmin.OracleParams(1 days, 2.5e18, 0.05e18, 3e18, 0.8e18, 4 hours, 1e18, 0.1e18, 0.2e18, 60, 1 hours);
    }

    function _perpParams() internal pure returns (IPerpMarketTypes.MarketParameters memory) {
        return IPerpMarketTypes.MarketParameters(
            40_000e18, 20_000e18, 5e14, 2e14, 0.1e18, 0.0625e18, 1e16, 3600, 5e15, 75e14, 10_000e18
        );
    }

    function numOpen() external view returns (uint256) {
        return openIds.length;
    }

    /// @notice A trader opens a long or a short (with 1-3x the initial margin as collateral).
    function open(uint256 seed, uint256 sizeSeed, uint256 collSeed) external {
        address t = traders[seed % 3];
        uint256 strikeId = (seed / 3) % 5;
        bool isCall = (seed / 15) % 2 == 0;
        bool isLong = (seed / 30) % 2 == 0;
        uint256 size = bound(sizeSeed, 1, 20) * 0.5e18;
        uint256 collateral = isLong ? 0 : bound(collSeed, 300, 3_000) * USD * size / WAD;
        vm.prank(t);
        try market.openPosition(strikeId, isCall, isLong, size, collateral, isLong ? type(uint256).max : 0, block.timestamp)
        returns (uint256 id, uint256, uint256) {
            openIds.push(id);
        } catch {}
    }

    /// @notice The owner closes part or all of an open position: must always succeed before expiry.
    function close(uint256 idxSeed, uint256 fracSeed) external {
        if (openIds.length == 0) return;
        uint256 idx = idxSeed % openIds.length;
        uint256 id = openIds[idx];
        IOptionMarket.Position memory p = market.position(id);
        if (p.size == 0) {
            _drop(idx);
            return;
        }
        uint256 size = fracSeed % 2 == 0 ? p.size : (p.size / 2 / 1e9) * 1e9;
        if (size == 0) size = p.size;
        vm.prank(p.owner);
        try market.closePosition(id, size, p.isLong ? 0 : type(uint256).max, block.timestamp) {
            closes++;
            if (size == p.size) _drop(idx);
        } catch {
            closeFailed = true;
        }
    }

    /// @notice Spot moves by up to +-15% after up to 30 minutes; the oracle folds it, the surface is reposted
    /// and the greeks refreshed.
    function moveSpot(uint256 moveSeed, uint256 dtSeed) external {
        uint256 dt = bound(dtSeed, 61, 30 minutes);
        if (block.timestamp + dt >= expiry - 1 days) return;
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
        (, int256 answer,,,) = feed.latestRoundData();
        uint256 factor = bound(moveSeed, 0.85e18, 1.15e18);
        feed.setAnswer(int256(uint256(answer) * factor / WAD));
        oracle.update();
        oracle.postSurface(expiry, 0.8e18, 0);
        pool.refreshGreeks();
    }

    /// @notice Anyone liquidates a short: must succeed whenever it is below maintenance.
    function liquidate(uint256 idxSeed) external {
        if (openIds.length == 0) return;
        uint256 id = openIds[idxSeed % openIds.length];
        IOptionMarket.Position memory p = market.position(id);
        if (p.isLong || p.size == 0) return;
        uint256 maint = market.maintenanceMargin(id);
        if (p.collateral >= maint) return;
        try pool.liquidateShort(id) {
            liquidations++;
        } catch {
            liquidationFailed = true;
        }
    }

    function addCollateral(uint256 idxSeed, uint256 amountSeed) external {
        if (openIds.length == 0) return;
        uint256 id = openIds[idxSeed % openIds.length];
        IOptionMarket.Position memory p = market.position(id);
        if (p.isLong || p.size == 0) return;
        vm.prank(p.owner);
        market.addCollateral(id, bound(amountSeed, 1, 1_000) * USD);
    }

    function lpDeposit(uint256 amountSeed) external {
        vm.prank(traders[0]);
        try pool.deposit(bound(amountSeed, 1, 100_000) * USD, traders[0]) {} catch {}
    }

    function _drop(uint256 idx) internal {
        openIds[idx] = openIds[openIds.length - 1];
        openIds.pop();
    }
}

contract OptionsPoolInvariantTest is TestBase {
    PoolHandler internal h;

    function setUp() public {
        h = new PoolHandler();
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(h);
    }

    /// @notice The handler's actions do reach the pool: opens, closes and a liquidation after a crash.
    function test_handlerExercisesThePool() public {
        for (uint256 s; s < 60; ++s) {
            h.open(s, s + 1, 300);
        }
        assertTrue(h.numOpen() > 20, "opens");
        h.close(0, 0);
        h.close(1, 1);
        assertEq(h.closes(), 2, "closes");
        for (uint256 i; i < 6; ++i) {
            h.moveSpot(0, 1_800); // -15% each time
        }
        for (uint256 i; i < 60; ++i) {
            h.liquidate(i);
        }
        assertTrue(h.liquidations() > 0, "liquidations");
        invariant_balanceCoversReserves();
        invariant_collateralMatchesPositions();
        invariant_sharesTimesPriceIsNav();
        invariant_closesAndLiquidationsNeverFail();
        invariant_shortsAboveMaintenanceOrLiquidatable();
    }

    /// @notice The pool's token balance covers trader collateral + insurance fund + settlement payable.
    function invariant_balanceCoversReserves() public view {
        OptionsPool pool = h.pool();
        uint256 reserved = pool.traderCollateral() + pool.insuranceFund() + pool.settlementPayable();
        assertLe(reserved, h.quote().balanceOf(address(pool)), "reserves exceed balance");
    }

    /// @notice Trader collateral equals the sum of the open shorts' collateral.
    function invariant_collateralMatchesPositions() public view {
        OptionMarket market = h.market();
        uint256 sum;
        uint256 n = market.numPositions();
        for (uint256 i; i < n; ++i) {
            IOptionMarket.Position memory p = market.position(i);
            if (!p.isLong && p.size != 0) sum += p.collateral;
        }
        assertEq(sum, h.pool().traderCollateral(), "trader collateral");
    }

    /// @notice shares x NAV per share = NAV.
    function invariant_sharesTimesPriceIsNav() public view {
        OptionsPool pool = h.pool();
        uint256 assets = pool.convertToAssets(pool.totalSupply());
        uint256 total = pool.totalAssets();
        assertLe(assets > total ? assets - total : total - assets, 1, "shares x price != NAV");
        int256 nav = pool.nav();
        assertEq(total, nav > 0 ? uint256(nav) : 0, "totalAssets != max(nav, 0)");
    }

    /// @notice Every close the handler tried succeeded, and every short below maintenance was liquidatable.
    function invariant_closesAndLiquidationsNeverFail() public view {
        assertTrue(!h.closeFailed(), "a close failed");
        assertTrue(!h.liquidationFailed(), "a due liquidation failed");
    }

    /// @notice Every open short is above maintenance or listed as liquidatable.
    function invariant_shortsAboveMaintenanceOrLiquidatable() public view {
        OptionMarket market = h.market();
        uint256 n = market.numPositions();
        uint256[] memory due = h.pool().liquidatableShorts(0, n);
        for (uint256 i; i < n; ++i) {
            IOptionMarket.Position memory p = market.position(i);
            if (p.isLong || p.size == 0) continue;
            if (p.collateral >= market.maintenanceMargin(i)) continue;
            bool listed;
            for (uint256 j; j < due.length; ++j) {
                if (due[j] == i) listed = true;
            }
            assertTrue(listed, "short below maintenance not listed");
        }
    }
}
