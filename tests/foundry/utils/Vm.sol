// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice The forge cheatcodes the project's Solidity tests use.
interface Vm {
    function assume(bool condition) external pure;
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 selector) external;
    function expectRevert() external;
    function label(address account, string calldata name) external;
    function addr(uint256 privateKey) external pure returns (address);
}

/// @notice Minimal test base: the cheatcode handle, bounded fuzz inputs, and assertions with messages.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Maps `x` into [lo, hi] (inclusive) without rejecting inputs.
    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        require(lo <= hi, "bound: lo > hi");
        if (hi == type(uint256).max && lo == 0) return x;
        return lo + (x % (hi - lo + 1));
    }

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": ", _u(a), " != ", _u(b)));
    }

    function assertEq(int256 a, int256 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": values differ"));
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert(string.concat(what, ": ", _u(a), " > ", _u(b)));
    }

    function assertTrue(bool c, string memory what) internal pure {
        if (!c) revert(what);
    }

    function _u(uint256 v) private pure returns (string memory s) {
        if (v == 0) return "0";
        uint256 len;
        for (uint256 t = v; t != 0; t /= 10) len++;
        bytes memory b = new bytes(len);
        for (; v != 0; v /= 10) b[--len] = bytes1(uint8(48 + (v % 10)));
        s = string(b);
    }
}
