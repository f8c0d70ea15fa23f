#include "models/cloud/host.h"

#include <cmath>
#include <stdexcept>

namespace cbsim::models::cloud {

namespace {

// Floor: a ratio of 1.5 on 3 cores promises 4 PEs, not 5 (never more than asked).
std::uint64_t scaled(std::uint64_t amount, double ratio) {
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(amount) * ratio));
}

}  // namespace

Host::Host(HostSpec spec, Overcommit overcommit)
    : spec_(spec),
      pe_capacity_(scaled(spec.cores, overcommit.cpu)),
      mips_capacity_(scaled(std::uint64_t{spec.cores} * spec.mips_per_core, overcommit.cpu)),
      ram_capacity_mb_(scaled(spec.ram_mb, overcommit.ram)) {
  if (!(overcommit.cpu >= 1.0) || !(overcommit.ram >= 1.0))  // NaN too
    throw std::invalid_argument("Host: over-commit ratios must be at least 1");
}

bool Host::fits(const VmRequest& vm) const {
  return vm.vcpus > 0 && vm.mips_per_vcpu <= spec_.mips_per_core && vm.vcpus <= free_pes() &&
         vm.total_mips() <= free_mips() && vm.ram_mb <= free_ram_mb() &&
         vm.bandwidth_mbps <= free_bandwidth_mbps();
}

void Host::allocate(const VmRequest& vm) {
  if (!fits(vm)) throw std::logic_error("Host::allocate: the VM does not fit");
  allocated_pes_ += vm.vcpus;
  allocated_mips_ += vm.total_mips();
  allocated_ram_mb_ += vm.ram_mb;
  allocated_bandwidth_mbps_ += vm.bandwidth_mbps;
}

void Host::release(const VmRequest& vm) {
  if (vm.vcpus > allocated_pes_ || vm.total_mips() > allocated_mips_ || vm.ram_mb > allocated_ram_mb_ ||
      vm.bandwidth_mbps > allocated_bandwidth_mbps_)
    throw std::logic_error("Host::release: more than was allocated");
  allocated_pes_ -= vm.vcpus;
  allocated_mips_ -= vm.total_mips();
  allocated_ram_mb_ -= vm.ram_mb;
  allocated_bandwidth_mbps_ -= vm.bandwidth_mbps;
}

double Host::cpu_utilization() const {
  const auto physical = physical_mips();
  return physical == 0 ? 0.0 : static_cast<double>(allocated_mips_) / static_cast<double>(physical);
}

double Host::ram_utilization() const {
  return spec_.ram_mb == 0 ? 0.0 : static_cast<double>(allocated_ram_mb_) / static_cast<double>(spec_.ram_mb);
}

}  // namespace cbsim::models::cloud
