#include "models/evm/interpreter.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "models/crypto/keccak.h"
#include "models/evm/memory.h"
#include "models/evm/opcodes.h"
#include "models/evm/precompiles.h"
#include "models/evm/rlp.h"
#include "models/evm/stack.h"

namespace cbsim::models::evm {

namespace {

Address to_address(const uint256& w) {
  const Bytes32 b = to_bytes32(w);
  Address a;
  std::copy(b.end() - 20, b.end(), a.begin());
  return a;
}

uint256 from_address(const Address& a) {
  Bytes32 b{};
  std::copy(a.begin(), a.end(), b.end() - 20);
  return from_bytes32(b);
}

Bytes32 to_hash(const crypto::Hash256& h) {
  Bytes32 b;
  std::copy(h.begin(), h.end(), b.begin());
  return b;
}

// EIP-150: a call may pass on all but one 64th of the gas left.
std::int64_t all_but_one_64th(std::int64_t gas) { return gas - gas / 64; }

std::int64_t words(std::uint64_t bytes) { return static_cast<std::int64_t>((bytes + 31) / 32); }

bool is_call(CallKind k) { return k != CallKind::create && k != CallKind::create2; }

// The budget's work (ExecutionBudget::max_work) is counted in gas units at
// checkpoints, every kCheckpointWork of gas at most, so that the instructions
// themselves pay nothing for it (see Frame::withheld). Where gas underprices
// this interpreter's time, a surcharge is added, measured as the time of the
// simplest loop (JUMPDEST PUSH0 JUMP, ~1.1 Ggas/s) takes:
constexpr std::int64_t kCheckpointWork = std::int64_t{1} << 20;
constexpr std::int64_t kWorkPerCallEntry = 5'000;    // a frame, a snapshot, a warm call costs 100 gas
constexpr std::int64_t kWorkPerKeccak = 250;         // KECCAK256 of a word: ~140 Mgas/s
constexpr std::int64_t kWorkPerStateChange = 600;    // a journal entry (TSTORE, SSTORE: ~160 Mgas/s)
constexpr std::int64_t kWorkPerPrecompileGas = 16;   // blake2f, the slowest per gas: ~70 Mgas/s
// The memory of a journal entry and its share of the maps it undoes (~300
// bytes measured, vector growth included).
constexpr std::uint64_t kBytesPerStateChange = 512;

bool over_budget_failure(Failure f) { return f == Failure::over_work_budget || f == Failure::over_memory_budget; }

// PUSHn's immediate as a word: big-endian bytes right-aligned in 32, read as
// four 64-bit limbs.
uint256 load_push_data(const std::uint8_t* data, int n) {
  std::uint8_t buf[32] = {};
  std::memcpy(buf + 32 - n, data, static_cast<std::size_t>(n));
  std::uint64_t limb[4];
  for (int i = 0; i < 4; ++i) {
    std::uint64_t v;
    std::memcpy(&v, buf + 8 * (3 - i), 8);
    limb[i] = __builtin_bswap64(v);
  }
  return uint256::from_limbs(limb[0], limb[1], limb[2], limb[3]);
}

}  // namespace

std::string_view failure_message(Failure failure) {
  switch (failure) {
    case Failure::none: return "";
    case Failure::out_of_gas: return "out of gas";
    case Failure::invalid_opcode: return "invalid opcode";
    case Failure::stack_underflow: return "stack underflow";
    case Failure::stack_overflow: return "stack overflow";
    case Failure::invalid_jump: return "invalid jump destination";
    case Failure::static_state_change: return "state change in a static call";
    case Failure::return_data_out_of_bounds: return "return data out of bounds";
    case Failure::init_code_too_large: return "init code too large";
    case Failure::code_too_large: return "code too large";
    case Failure::invalid_code_prefix: return "code starting with 0xef";
    case Failure::address_collision: return "contract address collision";
    case Failure::precompile_failure: return "precompile failed";
    case Failure::over_work_budget: return "exceeds the runner's work budget";
    case Failure::over_memory_budget: return "exceeds the runner's memory budget";
  }
  return "unknown failure";
}

Address create_address(const Address& sender, std::uint64_t nonce) {
  Bytes payload;
  rlp_append_bytes(payload, BytesView(sender));
  rlp_append_uint(payload, nonce);
  const crypto::Hash256 h = crypto::keccak256(rlp_list(payload));
  Address a;
  std::copy(h.end() - 20, h.end(), a.begin());
  return a;
}

Address create2_address(const Address& sender, const Bytes32& salt, BytesView init_code) {
  const crypto::Hash256 code_hash = crypto::keccak256(init_code);
  Bytes buf;
  buf.reserve(85);
  buf.push_back(0xff);
  buf.insert(buf.end(), sender.begin(), sender.end());
  buf.insert(buf.end(), salt.begin(), salt.end());
  buf.insert(buf.end(), code_hash.begin(), code_hash.end());
  const crypto::Hash256 h = crypto::keccak256(buf);
  Address a;
  std::copy(h.end() - 20, h.end(), a.begin());
  return a;
}

struct Interpreter::Frame {
  Message msg;
  std::shared_ptr<const Code> code;
  std::uint64_t pc = 0;
  // The gas counter the instructions charge. While the frame runs, `withheld`
  // of its gas is kept out of it, so that the counter goes below zero at the
  // next checkpoint of the budget (kCheckpointWork, or the work left) as it
  // does when the gas runs out, on the one test every charge already makes:
  // the budget costs the instructions nothing. The frame's gas is gas + withheld.
  std::int64_t gas = 0;
  std::int64_t withheld = 0;
  std::int64_t gas_at_checkpoint = 0;  // the counter when armed: what it lost since is work
  std::uint64_t input_bytes = 0;       // call data or init code held for this frame
  Stack stack;
  Memory memory;
  Bytes return_data;  // output of the last call this frame made
  std::size_t snapshot = 0;
  // The call or creation this frame waits for, and where its output goes.
  Message pending;
  bool awaiting_creation = false;  // the child is a CREATE/CREATE2: its result is an address
  std::uint64_t ret_offset = 0;
  std::uint64_t ret_size = 0;
  // How the frame ended.
  Bytes output;
  Failure failure = Failure::none;
};

Interpreter::Interpreter(WorldState& state, const BlockEnv& block, const TxContext& tx, Fork fork,
                         const ExecutionBudget& budget)
    : state_(state), block_(block), tx_(tx), fork_(fork), budget_(budget) {}

Interpreter::~Interpreter() = default;

ExecResult Interpreter::execute(const Message& m) {
  frames_.clear();
  work_ = 0;
  held_bytes_ = m.input.size();
  journal_counted_ = state_.snapshot();
  ExecResult result;
  if (!enter(m, result)) {
    release(result.output.size());
    return result;
  }
  for (;;) {
    Frame& f = frames_.back();
    if (const Failure over = over_budget(); over != Failure::none) return abort(over);
    arm(f);
    const Status status = run(f);
    disarm(f);
    if (over_budget_failure(f.failure)) return abort(f.failure);
    if (status == Status::success && f.pending.depth > f.msg.depth) {
      // run() stopped at a CALL or CREATE: start the child.
      Message child = std::move(f.pending);
      f.pending = Message{};
      ExecResult immediate;
      if (!enter(std::move(child), immediate)) {
        if (immediate.status == Status::aborted) return abort(immediate.failure);
        deliver(std::move(immediate));
      }
      continue;
    }
    ExecResult done = leave(status, std::move(f.output));
    if (frames_.empty()) {
      release(done.output.size());
      return done;
    }
    deliver(std::move(done));
  }
}

// Work is counted up to the most an int64 holds (an unlimited budget's).
void Interpreter::add_work(std::int64_t work) {
  constexpr std::int64_t kMost = std::numeric_limits<std::int64_t>::max();
  work_ = work > kMost - work_ ? kMost : work_ + work;
}

// Ends the whole execution beyond the budget: every frame's changes undone.
ExecResult Interpreter::abort(Failure why) {
  state_.revert(frames_.front().snapshot);
  frames_.clear();
  held_bytes_ = 0;
  return {Status::aborted, why, 0, {}, {}};
}

// Lets the counter of the frame about to run reach the next checkpoint, at
// most: the work left, or kCheckpointWork (the caller checked the budget).
void Interpreter::arm(Frame& f) {
  const std::int64_t until_checkpoint = std::min(kCheckpointWork, budget_.max_work - work_);
  f.withheld = f.gas > until_checkpoint ? f.gas - until_checkpoint : 0;
  f.gas -= f.withheld;
  f.gas_at_checkpoint = f.gas;
}

// The frame stopped running (it ended, or waits for a call): its work counts,
// its whole gas is back in its counter.
void Interpreter::disarm(Frame& f) {
  add_work(f.gas_at_checkpoint - f.gas);
  // A change reverted and made again was work twice.
  const std::size_t journal = state_.snapshot();
  if (journal > journal_counted_) add_work(static_cast<std::int64_t>(journal - journal_counted_) * kWorkPerStateChange);
  journal_counted_ = journal;
  f.gas += f.withheld;
  f.withheld = 0;
  f.gas_at_checkpoint = f.gas;
}

// The counter went below zero: either the gas ran out, or a checkpoint was
// reached, where the work is counted, the budget checked and the counter
// armed again. False: the frame stops, f.failure says why.
bool Interpreter::checkpoint(Frame& f) {
  if (f.gas + f.withheld < 0) {
    // Out of gas: the failed charge was not carried out, so it is no work;
    // the counter held at most kCheckpointWork before it.
    add_work(f.gas_at_checkpoint);
    f.gas_at_checkpoint = f.gas;
    f.failure = Failure::out_of_gas;
    return false;
  }
  disarm(f);
  if (const Failure over = over_budget(); over != Failure::none) {
    f.failure = over;
    return false;
  }
  arm(f);
  return true;
}

// Which budget the execution has gone beyond, if any.
Failure Interpreter::over_budget() const {
  if (work_ > budget_.max_work) return Failure::over_work_budget;
  const std::uint64_t state_bytes = static_cast<std::uint64_t>(state_.snapshot()) * kBytesPerStateChange;
  if (held_bytes_ > budget_.max_memory_bytes || state_bytes > budget_.max_memory_bytes - held_bytes_)
    return Failure::over_memory_budget;
  return Failure::none;
}

// Counts `bytes` more as held; false (f.failure set) beyond the memory budget.
bool Interpreter::hold(Frame& f, std::uint64_t bytes) {
  held_bytes_ += bytes;
  if (over_budget() != Failure::over_memory_budget) return true;
  f.failure = Failure::over_memory_budget;
  return false;
}

// Charges for and grows the frame's memory to `end` bytes; false (f.failure
// set) when its gas cannot pay (out of gas) or the budget cannot hold it.
bool Interpreter::grow_memory(Frame& f, std::uint64_t end) {
  const unsigned __int128 cost = Memory::cost(Memory::words(end)) - Memory::cost(f.memory.size() / 32);
  if (cost > static_cast<unsigned __int128>(std::max<std::int64_t>(f.gas + f.withheld, 0))) {
    f.failure = Failure::out_of_gas;
    return false;
  }
  if (!hold(f, Memory::words(end) * 32 - f.memory.size())) return false;
  f.gas -= static_cast<std::int64_t>(cost);
  if (f.gas < 0 && !checkpoint(f)) return false;
  f.memory.expand(end);
  return true;
}

// Sets the message up (value transfer, a new contract's account); returns
// false with `immediate` filled when it ends at once (a precompile, no code,
// a failed set-up), true with a frame pushed otherwise.
bool Interpreter::enter(Message m, ExecResult& immediate) {
  const std::size_t snapshot = state_.snapshot();
  // The caller has held m.input; a frame keeps it, an immediate result drops it.
  add_work(kWorkPerCallEntry + gas::kCopyWord * words(m.input.size()));
  const auto end_at_once = [&](ExecResult r) {
    release(m.input.size());
    held_bytes_ += r.output.size();
    immediate = std::move(r);
    return false;
  };
  std::shared_ptr<const Code> code;
  if (is_call(m.kind)) {
    state_.touch(m.recipient);
    if ((m.kind == CallKind::call || m.kind == CallKind::callcode) && m.value != uint256{}) {
      state_.sub_balance(m.sender, m.value);
      state_.add_balance(m.recipient, m.value);
    }
    if (is_precompile(m.code_address, fork_)) {
      // Given no more gas than the work left allows: a precompile that fails
      // with less than its gas may have needed more work than that.
      const bool unlimited = budget_.max_work == ExecutionBudget{}.max_work;
      const std::int64_t affordable = (budget_.max_work - std::min(work_, budget_.max_work)) / kWorkPerPrecompileGas;
      const std::int64_t gas = unlimited ? m.gas : std::min(m.gas, affordable);
      PrecompileResult p = run_precompile(m.code_address, m.input, static_cast<std::uint64_t>(gas));
      if (!p.success) {
        state_.revert(snapshot);
        if (gas < m.gas) return end_at_once({Status::aborted, Failure::over_work_budget, 0, {}, {}});
        return end_at_once({Status::failure, Failure::precompile_failure, 0, {}, {}});
      }
      constexpr std::uint64_t kMostCountable = std::numeric_limits<std::int64_t>::max() / kWorkPerPrecompileGas;
      add_work(static_cast<std::int64_t>(std::min(p.gas_used, kMostCountable)) * kWorkPerPrecompileGas);
      return end_at_once(
          {Status::success, Failure::none, m.gas - static_cast<std::int64_t>(p.gas_used), std::move(p.output), {}});
    }
    code = state_.code(m.code_address);
    if (!code || code->size() == 0) return end_at_once({Status::success, Failure::none, m.gas, {}, {}});
  } else {
    // A creation: the address must be unused (no code, no nonce, no storage).
    const Account* existing = state_.find(m.recipient);
    if (existing && (existing->nonce != 0 || (existing->code && existing->code->size() != 0) ||
                     !existing->storage.empty())) {
      return end_at_once({Status::failure, Failure::address_collision, 0, {}, {}});
    }
    state_.create_account(m.recipient);
    state_.set_nonce(m.recipient, 1);  // EIP-161
    if (m.value != uint256{}) {
      state_.sub_balance(m.sender, m.value);
      state_.add_balance(m.recipient, m.value);
    }
    state_.mark_created(m.recipient);
    code = std::make_shared<const Code>(m.input);
  }
  Frame f;
  f.input_bytes = m.input.size();
  f.msg = std::move(m);
  if (!is_call(f.msg.kind)) f.msg.input.clear();  // init code sees no call data
  f.code = std::move(code);
  f.gas = f.msg.gas;
  f.snapshot = snapshot;
  frames_.push_back(std::move(f));
  return true;
}

// Ends the top frame: a creation deposits its code; failures roll back.
ExecResult Interpreter::leave(Status status, Bytes output) {
  Frame& f = frames_.back();
  const std::size_t output_size = output.size();
  ExecResult r{status, f.failure, status == Status::failure ? 0 : f.gas, std::move(output), {}};
  if (status == Status::failure) r.output.clear();
  if (status == Status::success && !is_call(f.msg.kind)) {
    const std::int64_t deposit = gas::kCodeDepositPerByte * static_cast<std::int64_t>(r.output.size());
    const bool invalid = r.output.size() > kMaxCodeSize || (!r.output.empty() && r.output[0] == 0xef);  // EIP-3541
    if (invalid || deposit > r.gas_left) {
      const Failure why = !invalid                         ? Failure::out_of_gas
                          : r.output.size() > kMaxCodeSize ? Failure::code_too_large
                                                           : Failure::invalid_code_prefix;
      r = {Status::failure, why, 0, {}, {}};
    } else {
      r.gas_left -= deposit;
      state_.set_code(f.msg.recipient, r.output);
      r.created = f.msg.recipient;
      r.output.clear();
    }
  }
  if (r.status != Status::success) state_.revert(f.snapshot);
  // The output leaves with the result (the frame held it since RETURN);
  // a failure's output and a new contract's code are dropped.
  release(f.memory.size() + f.input_bytes + f.return_data.size() + (output_size - r.output.size()));
  frames_.pop_back();
  return r;
}

// Hands a finished child's result to the frame that called it; its output
// becomes the return data.
void Interpreter::deliver(ExecResult child) {
  Frame& f = frames_.back();
  f.gas += child.gas_left;
  const bool ok = child.status == Status::success;
  if (f.awaiting_creation) {
    f.stack.push(ok ? from_address(child.created) : uint256{});
    if (child.status != Status::revert) {
      release(child.output.size());
      child.output.clear();
    }
  } else {
    f.stack.push(uint256{ok ? 1u : 0u});
    const std::size_t n = std::min<std::uint64_t>(f.ret_size, child.output.size());
    if (n > 0) std::memcpy(f.memory.data() + f.ret_offset, child.output.data(), n);
  }
  release(f.return_data.size());
  f.return_data = std::move(child.output);
}

Status Interpreter::run(Frame& f) {
  const auto& table = opcode_table(fork_);
  const std::uint8_t* code = f.code->data();
  const std::size_t code_size = f.code->size();
  auto& stack = f.stack;
  const Address self = f.msg.recipient;

  const auto pop = [&]() { return stack.pop(); };
  // An exceptional halt, and why.
  const auto fail = [&f](Failure why) {
    f.failure = why;
    return Status::failure;
  };
  // The frame's gas (its counter holds some of it back: see Frame::withheld).
  const auto gas_left = [&f]() { return f.gas + f.withheld; };
  // Gas passed to or taken back from a child is no work of this frame.
  const auto pass_gas = [&f](std::int64_t gas) {
    f.gas -= gas;
    f.gas_at_checkpoint -= gas;
  };
  // Charges for and expands memory over [offset, offset + size); false (f.failure
  // set): out of gas, or beyond the budget.
  const auto memory_range = [&](const uint256& offset, const uint256& size, std::uint64_t& off,
                                std::uint64_t& len) {
    if (size == uint256{}) {
      off = len = 0;
      return true;
    }
    if (!fits_u64(offset) || !fits_u64(size) || to_u64(size) > ~to_u64(offset)) {
      f.failure = Failure::out_of_gas;  // an end beyond 2^64 bytes costs more than 2^100 gas
      return false;
    }
    off = to_u64(offset);
    len = to_u64(size);
    return off + len <= f.memory.size() || grow_memory(f, off + len);
  };
  // Copies `len` bytes of `src` from `src_off` (zero beyond its end) to memory at `dst`.
  const auto copy_padded = [&](std::uint64_t dst, BytesView src, const uint256& src_off, std::uint64_t len) {
    std::uint8_t* out = f.memory.data() + dst;
    std::uint64_t from = fits_u64(src_off) ? to_u64(src_off) : src.size();
    from = std::min<std::uint64_t>(from, src.size());
    const std::uint64_t n = std::min<std::uint64_t>(len, src.size() - from);
    if (n > 0) std::memcpy(out, src.data() + from, n);
    if (len > n) std::memset(out + n, 0, len - n);
  };
  const auto access_cost = [&](const Address& a) {
    return state_.warm_address(a) ? gas::kColdAccountAccess : gas::kWarmAccess;
  };

  while (f.pc < code_size) {
    const std::uint8_t opcode = code[f.pc];
    const OpcodeInfo& info = table[opcode];
    if (info.name == nullptr) return fail(Failure::invalid_opcode);
    if (stack.size() < info.inputs) return fail(Failure::stack_underflow);
    if (stack.size() - info.inputs + info.outputs > kStackLimit) return fail(Failure::stack_overflow);
    f.gas -= info.gas;
    if (f.gas < 0 && !checkpoint(f)) return Status::failure;

    switch (opcode) {
      case op::STOP:
        return Status::success;
      case op::ADD: { const uint256 a = pop(); stack.top() = a + stack.top(); break; }
      case op::MUL: { const uint256 a = pop(); stack.top() = a * stack.top(); break; }
      case op::SUB: { const uint256 a = pop(); stack.top() = a - stack.top(); break; }
      case op::DIV: { const uint256 a = pop(); stack.top() = evm_div(a, stack.top()); break; }
      case op::SDIV: { const uint256 a = pop(); stack.top() = evm_sdiv(a, stack.top()); break; }
      case op::MOD: { const uint256 a = pop(); stack.top() = evm_mod(a, stack.top()); break; }
      case op::SMOD: { const uint256 a = pop(); stack.top() = evm_smod(a, stack.top()); break; }
      case op::ADDMOD: {
        const uint256 a = pop(), b = pop();
        stack.top() = addmod(a, b, stack.top());
        break;
      }
      case op::MULMOD: {
        const uint256 a = pop(), b = pop();
        stack.top() = mulmod(a, b, stack.top());
        break;
      }
      case op::EXP: {
        const uint256 base = pop();
        const uint256& exponent = stack.top();
        f.gas -= gas::kExpPerByte * static_cast<std::int64_t>(exp_byte_length(exponent));
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        stack.top() = exp(base, exponent);
        break;
      }
      case op::SIGNEXTEND: { const uint256 b = pop(); stack.top() = signextend(b, stack.top()); break; }
      case op::LT: { const uint256 a = pop(); stack.top() = uint256{a < stack.top() ? 1u : 0u}; break; }
      case op::GT: { const uint256 a = pop(); stack.top() = uint256{stack.top() < a ? 1u : 0u}; break; }
      case op::SLT: { const uint256 a = pop(); stack.top() = uint256{slt(a, stack.top()) ? 1u : 0u}; break; }
      case op::SGT: { const uint256 a = pop(); stack.top() = uint256{slt(stack.top(), a) ? 1u : 0u}; break; }
      case op::EQ: { const uint256 a = pop(); stack.top() = uint256{a == stack.top() ? 1u : 0u}; break; }
      case op::ISZERO: stack.top() = uint256{stack.top() == uint256{} ? 1u : 0u}; break;
      case op::AND: { const uint256 a = pop(); stack.top() = a & stack.top(); break; }
      case op::OR: { const uint256 a = pop(); stack.top() = a | stack.top(); break; }
      case op::XOR: { const uint256 a = pop(); stack.top() = a ^ stack.top(); break; }
      case op::NOT: stack.top() = ~stack.top(); break;
      case op::BYTE: { const uint256 i = pop(); stack.top() = byte(i, stack.top()); break; }
      case op::SHL: { const uint256 s = pop(); stack.top() = shl(s, stack.top()); break; }
      case op::SHR: { const uint256 s = pop(); stack.top() = shr(s, stack.top()); break; }
      case op::SAR: { const uint256 s = pop(); stack.top() = sar(s, stack.top()); break; }
      case op::KECCAK256: {
        const uint256 offset = pop();
        std::uint64_t off, len;
        if (!memory_range(offset, stack.top(), off, len)) return Status::failure;
        f.gas -= gas::kKeccakWord * words(len);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        add_work(kWorkPerKeccak);
        stack.top() = from_bytes32(to_hash(crypto::keccak256(BytesView(f.memory.data() + off, len))));
        break;
      }
      case op::ADDRESS: stack.push(from_address(self)); break;
      case op::BALANCE: {
        const Address a = to_address(stack.top());
        f.gas -= access_cost(a);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        stack.top() = state_.balance(a);
        break;
      }
      case op::ORIGIN: stack.push(from_address(tx_.origin)); break;
      case op::CALLER: stack.push(from_address(f.msg.sender)); break;
      case op::CALLVALUE: stack.push(f.msg.value); break;
      case op::CALLDATALOAD: {
        std::uint8_t word[32] = {};
        const BytesView input(f.msg.input);
        if (fits_u64(stack.top()) && to_u64(stack.top()) < input.size()) {
          const std::uint64_t from = to_u64(stack.top());
          std::memcpy(word, input.data() + from, std::min<std::uint64_t>(32, input.size() - from));
        }
        Bytes32 b;
        std::memcpy(b.data(), word, 32);
        stack.top() = from_bytes32(b);
        break;
      }
      case op::CALLDATASIZE: stack.push(uint256{f.msg.input.size()}); break;
      case op::CALLDATACOPY:
      case op::CODECOPY:
      case op::RETURNDATACOPY: {
        const uint256 dst = pop(), src = pop(), size = pop();
        BytesView source = opcode == op::CALLDATACOPY ? BytesView(f.msg.input)
                           : opcode == op::CODECOPY   ? f.code->bytes()
                                                      : BytesView(f.return_data);
        if (opcode == op::RETURNDATACOPY) {
          // Reading past the return data is an exceptional halt, not zero padding.
          if (!fits_u64(src) || !fits_u64(size) || to_u64(src) + to_u64(size) < to_u64(src) ||
              to_u64(src) + to_u64(size) > source.size())
            return fail(Failure::return_data_out_of_bounds);
        }
        std::uint64_t off, len;
        if (!memory_range(dst, size, off, len)) return Status::failure;
        f.gas -= gas::kCopyWord * words(len);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        if (len > 0) copy_padded(off, source, src, len);
        break;
      }
      case op::CODESIZE: stack.push(uint256{code_size}); break;
      case op::GASPRICE: stack.push(tx_.gas_price); break;
      case op::EXTCODESIZE: {
        const Address a = to_address(stack.top());
        f.gas -= access_cost(a);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        const auto c = state_.code(a);
        stack.top() = uint256{c ? c->size() : 0u};
        break;
      }
      case op::EXTCODECOPY: {
        const Address a = to_address(pop());
        const uint256 dst = pop(), src = pop(), size = pop();
        std::uint64_t off, len;
        if (!memory_range(dst, size, off, len)) return Status::failure;
        f.gas -= access_cost(a) + gas::kCopyWord * words(len);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        const auto c = state_.code(a);
        if (len > 0) copy_padded(off, c ? c->bytes() : BytesView{}, src, len);
        break;
      }
      case op::RETURNDATASIZE: stack.push(uint256{f.return_data.size()}); break;
      case op::EXTCODEHASH: {
        const Address a = to_address(stack.top());
        f.gas -= access_cost(a);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        stack.top() = state_.is_dead(a) ? uint256{} : from_bytes32(state_.code_hash(a));
        break;
      }
      case op::BLOCKHASH: {
        const uint256& n = stack.top();
        Bytes32 h{};
        if (fits_u64(n) && to_u64(n) < block_.number && block_.number - to_u64(n) <= 256 && block_.block_hash)
          h = block_.block_hash(to_u64(n));
        stack.top() = from_bytes32(h);
        break;
      }
      case op::COINBASE: stack.push(from_address(block_.coinbase)); break;
      case op::TIMESTAMP: stack.push(uint256{block_.timestamp}); break;
      case op::NUMBER: stack.push(uint256{block_.number}); break;
      case op::PREVRANDAO: stack.push(from_bytes32(block_.prev_randao)); break;
      case op::GASLIMIT: stack.push(uint256{block_.gas_limit}); break;
      case op::CHAINID: stack.push(block_.chain_id); break;
      case op::SELFBALANCE: stack.push(state_.balance(self)); break;
      case op::BASEFEE: stack.push(block_.base_fee); break;
      case op::BLOBHASH: {
        const uint256& i = stack.top();
        stack.top() = fits_u64(i) && to_u64(i) < tx_.blob_hashes.size() ? from_bytes32(tx_.blob_hashes[to_u64(i)])
                                                                         : uint256{};
        break;
      }
      case op::BLOBBASEFEE: stack.push(block_.blob_base_fee); break;
      case op::POP: stack.pop(); break;
      case op::MLOAD: {
        std::uint64_t off, len;
        if (!memory_range(stack.top(), uint256{32u}, off, len)) return Status::failure;
        Bytes32 b;
        std::memcpy(b.data(), f.memory.data() + off, 32);
        stack.top() = from_bytes32(b);
        break;
      }
      case op::MSTORE: {
        const uint256 offset = pop(), value = pop();
        std::uint64_t off, len;
        if (!memory_range(offset, uint256{32u}, off, len)) return Status::failure;
        const Bytes32 b = to_bytes32(value);
        std::memcpy(f.memory.data() + off, b.data(), 32);
        break;
      }
      case op::MSTORE8: {
        const uint256 offset = pop(), value = pop();
        std::uint64_t off, len;
        if (!memory_range(offset, uint256{1u}, off, len)) return Status::failure;
        f.memory.data()[off] = to_bytes32(value)[31];
        break;
      }
      case op::SLOAD: {
        const Bytes32 key = to_bytes32(stack.top());
        f.gas -= state_.warm_slot(self, key) ? gas::kColdSload : gas::kWarmAccess;
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        stack.top() = state_.storage(self, key);
        break;
      }
      case op::SSTORE: {
        if (f.msg.is_static) return fail(Failure::static_state_change);
        if (gas_left() <= gas::kCallStipend) return fail(Failure::out_of_gas);  // EIP-2200's sentry
        const Bytes32 key = to_bytes32(pop());
        const uint256 value = pop();
        std::int64_t cost = state_.warm_slot(self, key) ? gas::kColdSload : 0;
        const uint256 original = state_.original_storage(self, key);
        const uint256 current = state_.storage(self, key);
        const uint256 zero{};
        if (original == current && current != value)
          cost += original == zero ? gas::kSstoreSet : gas::kSstoreReset;
        else
          cost += gas::kWarmAccess;
        if (current != value) {
          if (original != zero && current != zero && value == zero) state_.add_refund(gas::kSstoreClearsRefund);
          if (original != zero && current == zero) state_.add_refund(-gas::kSstoreClearsRefund);
          if (original == value)
            state_.add_refund(original == zero ? gas::kSstoreSet - gas::kWarmAccess
                                               : gas::kSstoreReset - gas::kWarmAccess);
        }
        f.gas -= cost;
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        state_.set_storage(self, key, value);
        break;
      }
      case op::JUMP: {
        const uint256 dest = pop();
        if (!fits_u64(dest) || !f.code->is_jumpdest(to_u64(dest))) return fail(Failure::invalid_jump);
        f.pc = to_u64(dest);
        continue;
      }
      case op::JUMPI: {
        const uint256 dest = pop(), condition = pop();
        if (condition != uint256{}) {
          if (!fits_u64(dest) || !f.code->is_jumpdest(to_u64(dest))) return fail(Failure::invalid_jump);
          f.pc = to_u64(dest);
          continue;
        }
        break;
      }
      case op::PC: stack.push(uint256{f.pc}); break;
      case op::MSIZE: stack.push(uint256{f.memory.size()}); break;
      case op::GAS: stack.push(uint256{static_cast<std::uint64_t>(gas_left())}); break;
      case op::JUMPDEST: break;
      case op::TLOAD: stack.top() = state_.transient(self, to_bytes32(stack.top())); break;
      case op::TSTORE: {
        if (f.msg.is_static) return fail(Failure::static_state_change);
        const Bytes32 key = to_bytes32(pop());
        state_.set_transient(self, key, pop());
        break;
      }
      case op::MCOPY: {
        const uint256 dst = pop(), src = pop(), size = pop();
        std::uint64_t off, len, src_off, src_len;
        // Memory grows to cover both ranges.
        if (!memory_range(src, size, src_off, src_len) || !memory_range(dst, size, off, len)) return Status::failure;
        f.gas -= gas::kCopyWord * words(len);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        if (len > 0) std::memmove(f.memory.data() + off, f.memory.data() + src_off, len);
        break;
      }
      case op::PUSH0: stack.push(uint256{}); break;
      case op::CREATE:
      case op::CREATE2: {
        if (f.msg.is_static) return fail(Failure::static_state_change);
        const uint256 value = pop(), offset = pop(), size = pop();
        const uint256 salt = opcode == op::CREATE2 ? pop() : uint256{};
        std::uint64_t off, len;
        if (!memory_range(offset, size, off, len)) return Status::failure;
        if (len > kMaxInitcodeSize) return fail(Failure::init_code_too_large);  // EIP-3860
        f.gas -= gas::kInitcodeWord * words(len);
        if (opcode == op::CREATE2) f.gas -= gas::kKeccakWord * words(len);
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        release(f.return_data.size());
        f.return_data.clear();
        ++f.pc;
        const std::int64_t child_gas = all_but_one_64th(gas_left());
        if (f.msg.depth + 1 > kMaxCallDepth || state_.balance(self) < value ||
            state_.nonce(self) == std::numeric_limits<std::uint64_t>::max()) {
          stack.push(uint256{});
          continue;
        }
        pass_gas(child_gas);
        const std::uint64_t nonce = state_.nonce(self);
        state_.set_nonce(self, nonce + 1);
        if (!hold(f, len)) return Status::failure;
        const BytesView init(f.memory.data() + off, len);
        const Address target =
            opcode == op::CREATE ? create_address(self, nonce) : create2_address(self, to_bytes32(salt), init);
        state_.warm_address(target);
        Message child;
        child.kind = opcode == op::CREATE ? CallKind::create : CallKind::create2;
        child.depth = f.msg.depth + 1;
        child.gas = child_gas;
        child.sender = self;
        child.recipient = child.code_address = target;
        child.value = value;
        child.input.assign(init.begin(), init.end());
        f.pending = std::move(child);
        f.awaiting_creation = true;
        return Status::success;
      }
      case op::CALL:
      case op::CALLCODE:
      case op::DELEGATECALL:
      case op::STATICCALL: {
        const uint256 gas_arg = pop();
        const Address target = to_address(pop());
        const uint256 value = (opcode == op::CALL || opcode == op::CALLCODE) ? pop() : uint256{};
        const uint256 in_offset = pop(), in_size = pop(), out_offset = pop(), out_size = pop();
        if (opcode == op::CALL && f.msg.is_static && value != uint256{}) return fail(Failure::static_state_change);
        std::uint64_t in_off, in_len, out_off, out_len;
        if (!memory_range(in_offset, in_size, in_off, in_len) || !memory_range(out_offset, out_size, out_off, out_len))
          return Status::failure;
        std::int64_t cost = access_cost(target);
        const bool transfers = value != uint256{};
        if (transfers) cost += gas::kCallValue;
        if (opcode == op::CALL && transfers && state_.is_dead(target)) cost += gas::kNewAccount;
        f.gas -= cost;
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        const std::int64_t cap = all_but_one_64th(gas_left());
        std::int64_t child_gas =
            fits_u64(gas_arg) && to_u64(gas_arg) < static_cast<std::uint64_t>(cap) ? static_cast<std::int64_t>(to_u64(gas_arg)) : cap;
        pass_gas(child_gas);
        if (transfers) child_gas += gas::kCallStipend;
        release(f.return_data.size());
        f.return_data.clear();
        ++f.pc;
        if (f.msg.depth + 1 > kMaxCallDepth || (transfers && state_.balance(self) < value)) {
          pass_gas(-child_gas);
          stack.push(uint256{});
          continue;
        }
        if (!hold(f, in_len)) return Status::failure;
        Message child;
        child.depth = f.msg.depth + 1;
        child.gas = child_gas;
        child.code_address = target;
        child.input.assign(f.memory.data() + in_off, f.memory.data() + in_off + in_len);
        child.is_static = f.msg.is_static;
        switch (opcode) {
          case op::CALL:
            child.kind = CallKind::call;
            child.sender = self;
            child.recipient = target;
            child.value = value;
            break;
          case op::CALLCODE:
            child.kind = CallKind::callcode;
            child.sender = self;
            child.recipient = self;
            child.value = value;
            break;
          case op::DELEGATECALL:
            child.kind = CallKind::delegatecall;
            child.sender = f.msg.sender;
            child.recipient = self;
            child.value = f.msg.value;
            break;
          default:
            child.kind = CallKind::staticcall;
            child.sender = self;
            child.recipient = target;
            child.is_static = true;
            break;
        }
        f.pending = std::move(child);
        f.awaiting_creation = false;
        f.ret_offset = out_off;
        f.ret_size = out_len;
        return Status::success;
      }
      case op::RETURN:
      case op::REVERT: {
        const uint256 offset = pop(), size = pop();
        std::uint64_t off, len;
        if (!memory_range(offset, size, off, len)) return Status::failure;
        if (!hold(f, len)) return Status::failure;
        add_work(gas::kCopyWord * words(len));  // copied out, and again into the caller's memory
        f.output.assign(f.memory.data() + off, f.memory.data() + off + len);
        return opcode == op::RETURN ? Status::success : Status::revert;
      }
      case op::SELFDESTRUCT: {
        if (f.msg.is_static) return fail(Failure::static_state_change);
        const Address beneficiary = to_address(pop());
        std::int64_t cost = state_.warm_address(beneficiary) ? gas::kColdAccountAccess : 0;
        const uint256 balance = state_.balance(self);
        if (state_.is_dead(beneficiary) && balance != uint256{}) cost += gas::kNewAccount;
        f.gas -= cost;
        if (f.gas < 0 && !checkpoint(f)) return Status::failure;
        state_.sub_balance(self, balance);
        state_.add_balance(beneficiary, balance);
        // EIP-6780 (Cancun): only a contract created in this transaction is
        // deleted (its balance burnt if it named itself); before, every one was.
        if (fork_ == Fork::shanghai || state_.created_in_transaction(self)) {
          state_.sub_balance(self, state_.balance(self));
          state_.mark_destroyed(self);
        }
        return Status::success;
      }
      default:
        if (opcode >= op::PUSH1 && opcode <= op::PUSH32) {
          const int n = opcode - op::PUSH1 + 1;
          stack.push(load_push_data(code + f.pc + 1, n));  // code is padded: reading n bytes is safe
          f.pc += static_cast<std::uint64_t>(n) + 1;
          continue;
        }
        if (opcode >= op::DUP1 && opcode <= op::DUP16) {
          stack.push(stack.peek(opcode - op::DUP1));
          break;
        }
        if (opcode >= op::SWAP1 && opcode <= op::SWAP16) {
          std::swap(stack.top(), stack.peek(opcode - op::SWAP1 + 1));
          break;
        }
        if (opcode >= op::LOG0 && opcode <= op::LOG4) {
          if (f.msg.is_static) return fail(Failure::static_state_change);
          const uint256 offset = pop(), size = pop();
          Log log;
          log.address = self;
          for (int i = 0; i < opcode - op::LOG0; ++i) log.topics.push_back(to_bytes32(pop()));
          std::uint64_t off, len;
          if (!memory_range(offset, size, off, len)) return Status::failure;
          f.gas -= gas::kLogByte * static_cast<std::int64_t>(len);
          if (f.gas < 0 && !checkpoint(f)) return Status::failure;
          if (!hold(f, len)) return Status::failure;  // until the transaction ends, even if reverted
          log.data.assign(f.memory.data() + off, f.memory.data() + off + len);
          state_.add_log(std::move(log));
          break;
        }
        return fail(Failure::invalid_opcode);  // INVALID (0xfe) and undefined opcodes
    }
    ++f.pc;
  }
  return Status::success;  // ran off the end: STOP
}

}  // namespace cbsim::models::evm
