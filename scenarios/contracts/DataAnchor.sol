// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @title Anchors of tenants' cloud data (cbsim issue 8).
/// @notice A tenant anchors the Merkle root of its objects' SHA-256 hashes
///         once per epoch; anyone can then check an object's hash and Merkle
///         proof against it. The tree is Bitcoin's: a pair hashed with double
///         SHA-256, an odd level's last node paired with itself.
contract DataAnchor {
    mapping(address => mapping(uint64 => bytes32)) public roots;

    event Anchored(address indexed tenant, uint64 indexed epoch, bytes32 root);

    error AlreadyAnchored(uint64 epoch);

    function anchor(uint64 epoch, bytes32 root) external {
        if (roots[msg.sender][epoch] != bytes32(0)) revert AlreadyAnchored(epoch);
        roots[msg.sender][epoch] = root;
        emit Anchored(msg.sender, epoch, root);
    }

    /// Whether `leaf` (an object's SHA-256) is in `tenant`'s anchored tree at `index`.
    function verify(address tenant, uint64 epoch, bytes32 leaf, bytes32[] calldata siblings, uint256 index)
        external
        view
        returns (bool)
    {
        bytes32 h = leaf;
        for (uint256 i = 0; i < siblings.length; ++i) {
            bytes32 pair = index % 2 == 0 ? sha256(abi.encodePacked(h, siblings[i])) : sha256(abi.encodePacked(siblings[i], h));
            h = sha256(abi.encodePacked(pair));
            index /= 2;
        }
        return h == roots[tenant][epoch];
    }
}
