// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @title Cloud VM allocation decided on chain (cbsim issue 8).
/// @notice A provider lists its hosts; tenants ask for advance reservations:
///         vCPUs and memory over a window of time [start, end). Time is cut
///         into slots of `slotSeconds`, and a reservation holds every slot its
///         window touches (rounding the window out, so whatever the contract
///         accepts also fits the exact windows). Two mechanisms share the
///         hosts' books:
///         - `request`: first fit, decided in the transaction;
///         - `bid` then `clear`: a sealed-bid auction per epoch of
///           `epochSeconds`; once the epoch is over, anyone may clear it, and
///           its bids are served by bid per vCPU-slot held, highest first
///           (ties: earlier bid), each on the first host with room.
///         Bids are sealed in the sense of an auction cleared at once: no bid
///         is served before the epoch closes, whatever its order of arrival.
contract CloudAllocator {
    struct Host {
        uint32 vcpus;
        uint64 ramMb;
    }

    struct Bid {
        address tenant;
        uint32 vcpus;
        uint64 ramMb;
        uint64 start;
        uint64 end;
        uint256 amount;
        uint256 id;
    }

    // Bounds that keep `clear` within a block's gas whatever tenants send:
    // bids per epoch, slots per window, and bid amounts small enough that the
    // auction's cross-multiplications cannot overflow.
    uint256 public constant MAX_BIDS_PER_EPOCH = 200;
    uint64 public constant MAX_SLOTS_PER_WINDOW = 2016;

    address public immutable provider;
    uint64 public immutable slotSeconds;
    uint64 public immutable epochSeconds;

    Host[] public hosts;
    // Per host and slot, what is promised.
    mapping(uint256 => mapping(uint64 => uint32)) public usedVcpus;
    mapping(uint256 => mapping(uint64 => uint64)) public usedRamMb;
    uint256 public requestCount;

    mapping(uint64 => Bid[]) private bidsByEpoch;
    mapping(uint64 => bool) public cleared;

    event HostAdded(uint256 indexed host, uint32 vcpus, uint64 ramMb);
    event Allocated(uint256 indexed request, address indexed tenant, uint256 host, uint64 start, uint64 end, uint256 amount);
    event Rejected(uint256 indexed request, address indexed tenant);
    event BidPlaced(uint256 indexed request, address indexed tenant, uint64 epoch);

    error NotProvider();
    error BadConfig();
    error BadWindow(uint64 start, uint64 end);
    error BadSize();
    error BadAmount();
    error EpochFull(uint64 epoch);
    error EpochNotOver(uint64 epoch);
    error AlreadyCleared(uint64 epoch);

    constructor(uint64 slotSeconds_, uint64 epochSeconds_) {
        if (slotSeconds_ == 0 || epochSeconds_ == 0) revert BadConfig();
        provider = msg.sender;
        slotSeconds = slotSeconds_;
        epochSeconds = epochSeconds_;
    }

    function addHost(uint32 vcpus, uint64 ramMb) external returns (uint256 host) {
        if (msg.sender != provider) revert NotProvider();
        host = hosts.length;
        hosts.push(Host(vcpus, ramMb));
        emit HostAdded(host, vcpus, ramMb);
    }

    function hostCount() external view returns (uint256) {
        return hosts.length;
    }

    /// First fit, now: the first host with room in every slot of the window.
    function request(uint32 vcpus, uint64 ramMb, uint64 start, uint64 end, uint256 amount)
        external
        returns (bool allocated, uint256 host)
    {
        _check(vcpus, start, end, amount);
        uint256 id = requestCount++;
        return _place(id, msg.sender, vcpus, ramMb, start, end, amount);
    }

    /// A bid in the current epoch's auction.
    function bid(uint32 vcpus, uint64 ramMb, uint64 start, uint64 end, uint256 amount) external returns (uint256 id) {
        _check(vcpus, start, end, amount);
        uint64 epoch = uint64(block.timestamp) / epochSeconds;
        if (bidsByEpoch[epoch].length >= MAX_BIDS_PER_EPOCH) revert EpochFull(epoch);
        id = requestCount++;
        bidsByEpoch[epoch].push(Bid(msg.sender, vcpus, ramMb, start, end, amount, id));
        emit BidPlaced(id, msg.sender, epoch);
    }

    /// Serves an epoch's bids once it is over: by bid per vCPU-slot, highest first.
    function clear(uint64 epoch) external {
        if (uint64(block.timestamp) < (epoch + 1) * epochSeconds) revert EpochNotOver(epoch);
        if (cleared[epoch]) revert AlreadyCleared(epoch);
        cleared[epoch] = true;
        Bid[] storage pending = bidsByEpoch[epoch];
        uint256 n = pending.length;
        uint256[] memory order = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) order[i] = i;
        // Insertion sort (stable): an epoch's bids are tens, not thousands.
        for (uint256 i = 1; i < n; ++i) {
            uint256 current = order[i];
            uint256 j = i;
            while (j > 0 && _denser(pending[current], pending[order[j - 1]])) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = current;
        }
        for (uint256 k = 0; k < n; ++k) {
            Bid storage b = pending[order[k]];
            _place(b.id, b.tenant, b.vcpus, b.ramMb, b.start, b.end, b.amount);
        }
        delete bidsByEpoch[epoch];
    }

    function pendingBids(uint64 epoch) external view returns (uint256) {
        return bidsByEpoch[epoch].length;
    }

    // a.amount / (a.vcpus * a's slots) > b.amount / (b.vcpus * b's slots), without division.
    function _denser(Bid storage a, Bid storage b) private view returns (bool) {
        return a.amount * uint256(b.vcpus) * _slots(b.start, b.end) > b.amount * uint256(a.vcpus) * _slots(a.start, a.end);
    }

    function _slots(uint64 start, uint64 end) private view returns (uint256) {
        return uint256((end - 1) / slotSeconds - start / slotSeconds + 1);
    }

    function _check(uint32 vcpus, uint64 start, uint64 end, uint256 amount) private view {
        if (vcpus == 0) revert BadSize();
        if (end <= start || _slots(start, end) > MAX_SLOTS_PER_WINDOW) revert BadWindow(start, end);
        if (amount > type(uint128).max) revert BadAmount();
    }

    function _place(uint256 id, address tenant, uint32 vcpus, uint64 ramMb, uint64 start, uint64 end, uint256 amount)
        private
        returns (bool, uint256)
    {
        uint64 first = start / slotSeconds;
        uint64 last = (end - 1) / slotSeconds;
        uint256 count = start < block.timestamp ? 0 : hosts.length;  // a window already begun: too late
        for (uint256 h = 0; h < count; ++h) {
            Host storage host = hosts[h];
            if (vcpus > host.vcpus || ramMb > host.ramMb) continue;
            bool fits = true;
            for (uint64 s = first; s <= last; ++s) {
                if (usedVcpus[h][s] + vcpus > host.vcpus || usedRamMb[h][s] + ramMb > host.ramMb) {
                    fits = false;
                    break;
                }
            }
            if (!fits) continue;
            for (uint64 s = first; s <= last; ++s) {
                usedVcpus[h][s] += vcpus;
                usedRamMb[h][s] += ramMb;
            }
            emit Allocated(id, tenant, h, start, end, amount);
            return (true, h);
        }
        emit Rejected(id, tenant);
        return (false, 0);
    }
}
