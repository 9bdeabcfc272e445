// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockStablecoin} from "../../../contracts/mocks/MockStablecoin.sol";
import {TestBase} from "../utils/Vm.sol";

/// Fuzz test proving the forge toolchain: mint then transfer conserve the supply.
contract MockStablecoinTest is TestBase {
    MockStablecoin internal token;

    function setUp() public {
        token = new MockStablecoin();
    }

    function testFuzz_mintTransferConservesSupply(uint96 minted, uint256 sent, address to) public {
        vm.assume(to != address(0) && to != address(this));
        token.mint(address(this), minted);
        uint256 amount = bound(sent, 0, minted);
        token.transfer(to, amount);
        assertEq(token.balanceOf(address(this)) + token.balanceOf(to), minted, "supply not conserved");
        assertEq(token.totalSupply(), minted, "total supply");
    }
}
