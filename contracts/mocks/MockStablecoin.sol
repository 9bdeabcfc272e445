// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockStablecoin
/// @notice A 6-decimal quote token for local chains. Anyone may mint: it exists only to fund agents in tests
/// and simulations.
contract MockStablecoin is ERC20 {
    constructor() ERC20("Mock USD", "mUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` (6 decimals) to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
