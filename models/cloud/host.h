#pragma once
// A physical host's capacity and what has been allocated on it. Quantities are
// integers so that allocating and releasing in any order returns a host exactly
// to its previous state (no floating-point drift over long runs).

#include <cstdint>

namespace cbsim::models::cloud {

struct HostSpec {
  std::uint32_t cores = 0;          // physical PEs
  std::uint64_t mips_per_core = 0;
  std::uint64_t ram_mb = 0;
  std::uint64_t bandwidth_mbps = 0;
};

struct VmRequest {
  std::uint32_t vcpus = 0;
  std::uint64_t mips_per_vcpu = 0;
  std::uint64_t ram_mb = 0;
  std::uint64_t bandwidth_mbps = 0;

  std::uint64_t total_mips() const { return std::uint64_t{vcpus} * mips_per_vcpu; }
};

// 1.0 = no over-commit; 2.0 = twice the physical resource may be promised.
// CPU over-commit scales both the PE count and the MIPS; bandwidth is never
// over-committed (a link cannot carry more than its rate, unlike idle vCPUs).
struct Overcommit {
  double cpu = 1.0;
  double ram = 1.0;
};

class Host {
public:
  Host(HostSpec spec, Overcommit overcommit);

  const HostSpec& spec() const { return spec_; }

  // Capacities after over-commit: what "fits" is measured against.
  std::uint64_t pe_capacity() const { return pe_capacity_; }
  std::uint64_t mips_capacity() const { return mips_capacity_; }
  std::uint64_t ram_capacity_mb() const { return ram_capacity_mb_; }
  std::uint64_t bandwidth_capacity_mbps() const { return spec_.bandwidth_mbps; }
  std::uint64_t physical_mips() const { return std::uint64_t{spec_.cores} * spec_.mips_per_core; }

  std::uint64_t allocated_pes() const { return allocated_pes_; }
  std::uint64_t allocated_mips() const { return allocated_mips_; }
  std::uint64_t allocated_ram_mb() const { return allocated_ram_mb_; }
  std::uint64_t allocated_bandwidth_mbps() const { return allocated_bandwidth_mbps_; }

  std::uint64_t free_pes() const { return pe_capacity_ - allocated_pes_; }
  std::uint64_t free_mips() const { return mips_capacity_ - allocated_mips_; }
  std::uint64_t free_ram_mb() const { return ram_capacity_mb_ - allocated_ram_mb_; }
  std::uint64_t free_bandwidth_mbps() const { return spec_.bandwidth_mbps - allocated_bandwidth_mbps_; }

  // A vCPU runs on one PE at a time, so it can be no faster than a physical core.
  bool fits(const VmRequest& vm) const;
  void allocate(const VmRequest& vm);  // precondition: fits(vm)
  void release(const VmRequest& vm);   // precondition: vm was allocated here

  // Allocated over physical (not over-committed) capacity: above 1 when
  // over-committed VMs together ask for more than the hardware has.
  double cpu_utilization() const;
  double ram_utilization() const;

private:
  HostSpec spec_;
  std::uint64_t pe_capacity_;
  std::uint64_t mips_capacity_;
  std::uint64_t ram_capacity_mb_;
  std::uint64_t allocated_pes_ = 0;
  std::uint64_t allocated_mips_ = 0;
  std::uint64_t allocated_ram_mb_ = 0;
  std::uint64_t allocated_bandwidth_mbps_ = 0;
};

}  // namespace cbsim::models::cloud
