// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPerpMarket} from "../interfaces/IPerpMarket.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @notice Test double of the perp market: fills at the feed price plus a 0.05% taker fee, no funding.
contract TestPerpMarket is IPerpMarket {
    error LimitPrice(uint256 fill, uint256 limit);
    error Deadline(uint256 deadline);
    error BelowMargin();

    IERC20 public immutable quote;
    IAggregatorV3 public immutable feed;

    struct Account {
        int256 size;
        uint256 margin;
        int256 entryNotional; // size x avg entry price / 1e18, WAD quote
    }

    mapping(address => Account) public accounts;

    constructor(IERC20 quote_, IAggregatorV3 feed_) {
        quote = quote_;
        feed = feed_;
    }

    function indexPrice() public view returns (uint256) {
        (, int256 a,,,) = feed.latestRoundData();
        return uint256(a) * 1e10;
    }

    function markPrice() external view returns (uint256) {
        return indexPrice();
    }

    function fundingRatePerDay() external pure returns (int256) {
        return 0;
    }

    function deposit(uint256 amount) external {
        quote.transferFrom(msg.sender, address(this), amount);
        accounts[msg.sender].margin += amount;
    }

    function withdraw(uint256 amount) external {
        Account storage a = accounts[msg.sender];
        a.margin -= amount;
        (,, int256 eq, uint256 mm) = accountSummary(msg.sender);
        if (eq < int256(mm * 2)) revert BelowMargin();
        quote.transfer(msg.sender, amount);
    }

    function quoteTrade(int256 sizeDelta) public view returns (uint256 fillPrice, uint256 fee) {
        fillPrice = indexPrice();
        uint256 abs = uint256(sizeDelta > 0 ? sizeDelta : -sizeDelta);
        fee = abs * fillPrice / 1e18 * 5 / 10000 / 1e12;
    }

    function trade(int256 sizeDelta, uint256 limitPrice, uint256 deadline) external returns (uint256 fillPrice, uint256 fee) {
        if (block.timestamp > deadline) revert Deadline(deadline);
        (fillPrice, fee) = quoteTrade(sizeDelta);
        if (sizeDelta > 0 ? fillPrice > limitPrice : fillPrice < limitPrice) revert LimitPrice(fillPrice, limitPrice);
        Account storage a = accounts[msg.sender];
        // realize PnL into margin, then re-open at the fill price
        int256 pnl = a.size * int256(fillPrice) / 1e18 - a.entryNotional;
        int256 m = int256(a.margin) + pnl / 1e12 - int256(fee);
        if (m < 0) revert BelowMargin();
        a.margin = uint256(m);
        a.size += sizeDelta;
        a.entryNotional = a.size * int256(fillPrice) / 1e18;
        (,, int256 eq, uint256 mm) = accountSummary(msg.sender);
        if (eq < int256(mm)) revert BelowMargin();
    }

    function accountSummary(address account)
        public
        view
        returns (int256 size, uint256 margin, int256 equity, uint256 maintenanceMargin)
    {
        Account storage a = accounts[account];
        size = a.size;
        margin = a.margin;
        int256 pnl = a.size * int256(indexPrice()) / 1e18 - a.entryNotional;
        equity = int256(margin) + pnl / 1e12;
        uint256 absSize = uint256(size > 0 ? size : -size);
        maintenanceMargin = absSize * indexPrice() / 1e18 * 5 / 100 / 1e12;
    }
}
