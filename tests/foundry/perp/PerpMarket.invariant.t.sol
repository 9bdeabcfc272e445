// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IPerpMarketTypes} from "../../../contracts/interfaces/IPerpMarket.sol";
import {PerpMarket} from "../../../contracts/PerpMarket.sol";
import {TestBase} from "../utils/Vm.sol";
import {PerpHandler} from "./PerpHandler.sol";

/// Invariants of the perp market under random sequences of every user action:
/// the token balance equals the ledger (pending deleveraging debt included) exactly and equals the net flows
/// in; the debt ledger adds up; open interest matches sizes.
contract PerpMarketInvariantTest is TestBase {
    PerpHandler internal handler;

    function setUp() public {
        handler = new PerpHandler();
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    function _sums() internal view returns (int256 margins, uint256 oiLong, uint256 oiShort) {
        PerpMarket market = handler.market();
        uint256 n = market.accountCount();
        for (uint256 i; i < n; ++i) {
            (int256 size, uint256 margin,,) = market.positionOf(market.accountAt(i));
            margins += int256(margin);
            if (size > 0) oiLong += uint256(size);
            else oiShort += uint256(-size);
        }
    }

    function invariant_balanceEqualsLedger() public view {
        PerpMarket market = handler.market();
        (int256 margins,,) = _sums();
        IPerpMarketTypes.Ledger memory l = market.ledger();
        int256 total = margins + int256(l.feePool) + int256(l.insuranceFund) + l.marketPnl
            - int256(l.pendingDebtLongs + l.pendingDebtShorts);
        uint256 balance = handler.token().balanceOf(address(market));
        assertTrue(total >= 0, "ledger total negative");
        assertEq(balance, uint256(total), "balance != ledger");
    }

    function invariant_balanceEqualsNetFlows() public view {
        PerpMarket market = handler.market();
        assertEq(
            handler.token().balanceOf(address(market)), handler.ghostIn() - handler.ghostOut(), "balance != flows"
        );
    }

    function invariant_openInterestMatchesSizes() public view {
        PerpMarket market = handler.market();
        (, uint256 oiLong, uint256 oiShort) = _sums();
        (uint256 l, uint256 s) = market.openInterest();
        assertEq(l, oiLong, "long OI");
        assertEq(s, oiShort, "short OI");
        assertEq(market.skew(), int256(l) - int256(s), "skew");
    }

    function invariant_lossLedgerConsistent() public view {
        IPerpMarketTypes.Ledger memory l = handler.market().ledger();
        // rewards and covered bad debt are paid out of penalties and seeding only
        assertLe(l.cumulativeBadDebtCovered, handler.ghostIn() + 1e30, "covered");
        assertTrue(l.cumulativeAdlLoss == 0 || l.cumulativeAdlSize > 0, "adl loss without adl size");
        // every unit of debt beyond the insurance fund is pending, repaid by the fund or taken in haircuts
        assertEq(
            l.cumulativeDebtRecorded,
            l.pendingDebtLongs + l.pendingDebtShorts + l.cumulativeDebtRepaid + l.cumulativeAdlLoss,
            "debt ledger"
        );
    }
}
