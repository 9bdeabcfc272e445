// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockAggregator} from "../../../contracts/mocks/MockAggregator.sol";
import {VolatilityOracle} from "../../../contracts/VolatilityOracle.sol";
import {IVolatilityOracleAdmin} from "../../../contracts/interfaces/IVolatilityOracle.sol";
import {TestBase} from "../utils/Vm.sol";

uint256 constant WAD = 1e18;
uint256 constant HALF_LIFE = 1 days;
uint256 constant MAX_RV = 2.5e18;
uint256 constant MIN_VOL = 0.05e18;
uint256 constant MAX_VOL = 3e18;
uint256 constant LN2 = 0.693147180559945310e18; // rounded up

function localParams() pure returns (IVolatilityOracleAdmin.OracleParams memory) {
    return IVolatilityOracleAdmin.OracleParams({
        realizedHalfLife: HALF_LIFE,
        maxRealizedVol: MAX_RV,
        minVol: MIN_VOL,
        maxVol: MAX_VOL,
        realizedFloorRatio: 0.8e18,
        maxSurfaceAge: 4 hours,
        maxAbsSkew: 1e18,
        maxAtmChangePerPost: 0.1e18,
        maxSkewChangePerPost: 0.2e18,
        minPostInterval: 60,
        smoothingHalfLife: 1 hours
    });
}

/// @dev Independent upper bound of one update's variance move: the EWMA weight 1 - 2^(-dt/H) never exceeds
/// min(1, ln2 * dt / H), the sample never exceeds MAX_RV^2, and the estimate never leaves [0, MAX_RV^2]. The
/// margin of 8 wei covers storing the estimate as floor(sqrt(variance)) (under 2 * MAX_RV / WAD + 1 wei).
function varianceMoveBound(uint256 dt) pure returns (uint256) {
    uint256 cap = (MAX_RV * MAX_RV) / WAD;
    uint256 w = (LN2 * dt) / HALF_LIFE + 1;
    if (w > WAD) w = WAD;
    return (w * cap) / WAD + 8;
}

/// @dev The oracle's variance (WAD) from its stored realized vol.
function varianceOf(VolatilityOracle oracle) view returns (uint256) {
    (,, uint256 vol,) = oracle.realizedState();
    return (vol * vol) / WAD;
}

/// @notice Drives the oracle through random feed moves, updates, time and surface posts, checking the
/// per-update variance bound on every fold.
contract OracleHandler is TestBase {
    MockAggregator public feed;
    VolatilityOracle public oracle;
    uint256[3] public expiries;
    bool public boundViolated;
    bool public readOutOfBounds;
    uint256 public folds;
    uint256 public readsChecked;
    uint256 public cycles;

    constructor() {
        vm.warp(1_700_000_000);
        feed = new MockAggregator(8, "ETH / USD", 2_000e8);
        oracle = new VolatilityOracle(feed, address(this), 1 hours, 0.7e18, localParams());
        oracle.grantRole(oracle.SURFACE_KEEPER_ROLE(), address(this));
        for (uint256 i; i < 3; ++i) {
            expiries[i] = block.timestamp + (i + 1) * 30 days;
            oracle.postSurface(expiries[i], 0.6e18 + i * 0.05e18, -0.2e18);
        }
    }

    /// @notice The feed moves by a factor in [1/4, 4] after `dt` seconds (up to 2 days), then an update.
    function moveAndUpdate(uint256 dtSeed, uint256 moveSeed) public {
        uint256 dt = bound(dtSeed, 1, 2 days);
        (, uint256 obsBefore,,,) = _state();
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
        (, int256 answer,,,) = feed.latestRoundData();
        uint256 factor = bound(moveSeed, 0.25e18, 4e18);
        int256 next = int256((uint256(answer) * factor) / WAD);
        if (next <= 0) next = 1;
        if (next > 1e20) next = 1e20;
        feed.setAnswer(next);
        uint256 varBefore = varianceOf(oracle);
        oracle.update();
        uint256 varAfter = varianceOf(oracle);
        uint256 moved = varAfter > varBefore ? varAfter - varBefore : varBefore - varAfter;
        if (moved > varianceMoveBound(block.timestamp - obsBefore)) boundViolated = true;
        folds++;
        _checkReads(moveSeed);
    }

    /// @notice Time passes without a feed round; an update is then a no-op.
    function idle(uint256 dtSeed) external {
        vm.warp(block.timestamp + bound(dtSeed, 1, 1 hours));
        vm.roll(block.number + 1);
        (,, uint256 v0,,) = _state();
        oracle.update();
        (,, uint256 v1,,) = _state();  // the stored realized vol
        if (v0 != v1) boundViolated = true;
    }

    /// @notice A keeper cycle: the feed moves within a minute to half an hour, the oracle folds it, the keeper
    /// re-posts every expiry; then every read is fresh and is checked.
    function keeperCycle(uint256 dtSeed, uint256 moveSeed, uint256 atmSeed, uint256 skewSeed) external {
        moveAndUpdate(bound(dtSeed, 60, 30 minutes), moveSeed);
        for (uint256 i; i < 3; ++i) {
            post(i, uint256(keccak256(abi.encode(atmSeed, i))), uint256(keccak256(abi.encode(skewSeed, i))));
        }
        cycles++;
    }

    /// @notice A keeper post on one of the expiries, within the rate limits (or rejected, changing nothing).
    function post(uint256 which, uint256 atmSeed, uint256 skewSeed) public {
        uint256 expiry = expiries[which % 3];
        if (expiry <= block.timestamp) return;
        IVolatilityOracleAdmin.SurfaceView memory s = oracle.surface(expiry);
        if (block.timestamp < s.postedAt + 60) vm.warp(s.postedAt + 60);
        uint256 lo = s.atmVol > MIN_VOL + 0.1e18 ? s.atmVol - 0.1e18 : MIN_VOL;
        uint256 hi = s.atmVol + 0.1e18 < MAX_VOL ? s.atmVol + 0.1e18 : MAX_VOL;
        uint256 atm = bound(atmSeed, lo, hi);
        int256 skew = int256(bound(skewSeed, 0, 0.4e18)) - 0.2e18 + s.skew;
        if (skew > 1e18) skew = 1e18;
        if (skew < -1e18) skew = -1e18;
        oracle.postSurface(expiry, atm, skew);
        _checkReads(atmSeed ^ skewSeed);
    }

    /// @dev Reads every expiry at a strike derived from `seed` and records any value outside [minVol, maxVol].
    function _checkReads(uint256 seed) internal {
        uint256 strike = bound(seed, 1, type(uint128).max);
        if (seed % 2 == 0) strike = bound(seed, 100e18, 20_000e18);
        for (uint256 i; i < 3; ++i) {
            try oracle.impliedVol(expiries[i], strike) returns (uint256 v) {
                if (v < MIN_VOL || v > MAX_VOL) readOutOfBounds = true;
                readsChecked++;
            } catch {}
            try oracle.smoothedImpliedVol(expiries[i], strike) returns (uint256 v) {
                if (v < MIN_VOL || v > MAX_VOL) readOutOfBounds = true;
                readsChecked++;
            } catch {}
        }
    }

    function _state() internal view returns (uint256 p, uint256 obs, uint256 v, uint256 b, uint256 t) {
        (p, obs, v, b) = oracle.realizedState();
        t = block.timestamp;
    }
}

contract VolatilityOracleInvariantTest is TestBase {
    OracleHandler internal handler;

    function setUp() public {
        handler = new OracleHandler();
    }

    /// @dev The read invariant is not vacuous: every run with a keeper cycle checked fresh reads.
    function afterInvariant() public view {
        if (handler.cycles() > 0) assertTrue(handler.readsChecked() > 0, "no read succeeded during the run");
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_varianceMovesWithinBoundAndStaysCapped() public view {
        assertTrue(!handler.boundViolated(), "an update moved the variance beyond its bound");
        assertLe(varianceOf(handler.oracle()), (MAX_RV * MAX_RV) / WAD, "variance above maxRealizedVol^2");
        assertLe(handler.oracle().realizedVol(), MAX_RV, "realized vol above cap");
    }

    function invariant_readsStayWithinVolBounds() public view {
        assertTrue(!handler.readOutOfBounds(), "a read during the run fell outside [minVol, maxVol]");
        VolatilityOracle oracle = handler.oracle();
        uint256[5] memory strikes = [uint256(1), 500e18, 2_000e18, 9_000e18, type(uint128).max];
        for (uint256 i; i < 3; ++i) {
            uint256 expiry = handler.expiries(i);
            for (uint256 k; k < strikes.length; ++k) {
                try oracle.impliedVol(expiry, strikes[k]) returns (uint256 v) {
                    assertTrue(v >= MIN_VOL && v <= MAX_VOL, "impliedVol outside [minVol, maxVol]");
                } catch {}
                try oracle.smoothedImpliedVol(expiry, strikes[k]) returns (uint256 v) {
                    assertTrue(v >= MIN_VOL && v <= MAX_VOL, "smoothedImpliedVol outside [minVol, maxVol]");
                } catch {}
            }
        }
    }
}

/// @notice Fuzzed single steps: any price move after any gap moves the variance by at most the bound, and any
/// in-bounds surface gives reads within [minVol, maxVol] at any strike.
contract VolatilityOracleFuzzTest is TestBase {
    MockAggregator internal feed;
    VolatilityOracle internal oracle;

    function setUp() public {
        vm.warp(1_700_000_000);
        feed = new MockAggregator(8, "ETH / USD", 2_000e8);
        oracle = new VolatilityOracle(feed, address(this), 1 hours, 0.7e18, localParams());
        oracle.grantRole(oracle.SURFACE_KEEPER_ROLE(), address(this));
    }

    function testFuzz_oneUpdateMovesVarianceAtMostTheBound(uint256 dtSeed, uint256 priceSeed, uint256 volSeed)
        public
    {
        // start from any admissible estimate: lower the cap to clamp it, then restore
        IVolatilityOracleAdmin.OracleParams memory p = localParams();
        p.maxRealizedVol = bound(volSeed, 1, MAX_RV);
        oracle.setParams(p);
        oracle.setParams(localParams());
        uint256 v0 = varianceOf(oracle);
        uint256 dt = bound(dtSeed, 1, 30 days);
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
        feed.setAnswer(int256(bound(priceSeed, 1, 3e28)));
        oracle.update();
        uint256 v1 = varianceOf(oracle);
        uint256 moved = v1 > v0 ? v1 - v0 : v0 - v1;
        assertLe(moved, varianceMoveBound(dt), "variance move");
        assertLe(v1, (MAX_RV * MAX_RV) / WAD, "variance cap");
    }

    function testFuzz_readsWithinVolBounds(uint256 atmSeed, int256 skewSeed, uint256 strikeSeed, uint256 spotSeed)
        public
    {
        vm.warp(block.timestamp + 10);
        vm.roll(block.number + 1);
        feed.setAnswer(int256(bound(spotSeed, 1, 1e20)));
        oracle.update();
        uint256 atm = bound(atmSeed, MIN_VOL, MAX_VOL);
        int256 skew = int256(bound(uint256(skewSeed), 0, 2e18)) - 1e18;
        uint256 expiry = block.timestamp + 7 days;
        oracle.postSurface(expiry, atm, skew);
        uint256 strike = bound(strikeSeed, 1, type(uint128).max);
        uint256 v = oracle.impliedVol(expiry, strike);
        assertTrue(v >= MIN_VOL && v <= MAX_VOL, "impliedVol outside bounds");
        v = oracle.smoothedImpliedVol(expiry, strike);
        assertTrue(v >= MIN_VOL && v <= MAX_VOL, "smoothedImpliedVol outside bounds");
    }

    function test_secondUpdateInABlockReverts() public {
        vm.warp(block.timestamp + 10);
        vm.roll(block.number + 1);
        feed.setAnswer(2_001e8);
        oracle.update();
        feed.setAnswer(2_002e8);
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(IVolatilityOracleAdmin.AlreadyUpdatedThisBlock.selector, block.number));
        oracle.update();
    }
}

