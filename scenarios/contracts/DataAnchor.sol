// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @title Anchors of tenants' cloud data (cbsim issue 8).
/// @notice A tenant anchors the Merkle root of its objects' SHA-256 hashes
///         once per epoch; anyone can then check an object's hash and Merkle
///         proof against it. The tree is Bitcoin's: a pair hashed with double
///         SHA-256, an odd level's last node paired with itself.
contract DataAnchor {
    struct Anchor {
        bytes32 root;
        uint64 leafCount;
    }

    mapping(address => mapping(uint64 => Anchor)) public anchors;

    event Anchored(address indexed tenant, uint64 indexed epoch, bytes32 root, uint64 leafCount);

    error AlreadyAnchored(uint64 epoch);
    error EmptyAnchor();

    function anchor(uint64 epoch, bytes32 root, uint64 leafCount) external {
        if (root == bytes32(0) || leafCount == 0) revert EmptyAnchor();
        if (anchors[msg.sender][epoch].leafCount != 0) revert AlreadyAnchored(epoch);
        anchors[msg.sender][epoch] = Anchor(root, leafCount);
        emit Anchored(msg.sender, epoch, root, leafCount);
    }

    /// Whether `leaf` (an object's SHA-256) is in `tenant`'s anchored tree at `index`.
    function verify(address tenant, uint64 epoch, bytes32 leaf, bytes32[] calldata siblings, uint256 index)
        external
        view
        returns (bool)
    {
        Anchor storage a = anchors[tenant][epoch];
        // The leaf count pins the proof's shape: an index beyond the leaves,
        // or a proof of another depth, could otherwise pass a duplicated last
        // node off as a leaf (the ambiguity of Bitcoin's tree, CVE-2012-2459).
        if (index >= a.leafCount) return false;
        uint256 depth = 0;
        for (uint256 n = a.leafCount; n > 1; n = (n + 1) / 2) ++depth;
        if (siblings.length != depth) return false;
        bytes32 h = leaf;
        for (uint256 i = 0; i < siblings.length; ++i) {
            bytes32 pair = index % 2 == 0 ? sha256(abi.encodePacked(h, siblings[i])) : sha256(abi.encodePacked(siblings[i], h));
            h = sha256(abi.encodePacked(pair));
            index /= 2;
        }
        return h == a.root;
    }
}
