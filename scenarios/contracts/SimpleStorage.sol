// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @title The classic first contract: one stored number, read and written by anyone.
/// @notice The event lets a client follow changes from the logs without polling.
contract SimpleStorage {
    uint256 storedData;

    event ValueChanged(address indexed author, uint256 value);

    function set(uint256 x) public {
        storedData = x;
        emit ValueChanged(msg.sender, x);
    }

    function get() public view returns (uint256) {
        return storedData;
    }
}
