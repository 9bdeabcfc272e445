// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MockStablecoin} from "../mocks/MockStablecoin.sol";
import {IPerpMarket} from "../interfaces/IPerpMarket.sol";

/// @title PerpCrowdMember
/// @notice Test-only perp account owned by a PerpCrowdHarness: deposits and trades when told to.
contract PerpCrowdMember {
    address internal immutable _owner;

    error NotOwner(address caller);

    constructor() {
        _owner = msg.sender;
    }

    /// @notice Deposits `amount` (minted to itself) and trades `size` at any price.
    function enter(IPerpMarket market, MockStablecoin token, uint256 amount, int256 size) external {
        if (msg.sender != _owner) revert NotOwner(msg.sender);
        token.mint(address(this), amount);
        token.approve(address(market), amount);
        market.deposit(amount);
        if (size != 0) market.trade(size, size > 0 ? type(uint256).max : 0, block.timestamp);
    }
}

/// @title PerpCrowdHarness
/// @notice Test-only: registers many accounts on a perp market in one transaction (each a new
/// PerpCrowdMember that deposits `amount` and trades `size`), so tests can show gas that does not grow
/// with the number of accounts.
contract PerpCrowdHarness {
    event Joined(address member);

    /// @notice Creates `n` members, each depositing `amount` quote units and trading `size`.
    function join(IPerpMarket market, MockStablecoin token, uint256 n, uint256 amount, int256 size)
        external
        returns (address[] memory members)
    {
        members = new address[](n);
        for (uint256 i; i < n; ++i) {
            PerpCrowdMember m = new PerpCrowdMember();
            m.enter(market, token, amount, size);
            members[i] = address(m);
            emit Joined(address(m));
        }
    }
}
