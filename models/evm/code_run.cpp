#include "models/evm/code_run.h"

namespace cbsim::models::evm {

CodeRun run_code(BytesView code, BytesView input, std::int64_t gas, Fork fork, const ExecutionBudget& budget) {
  CodeRun run;
  Account acc;
  acc.code = std::make_shared<const Code>(code);
  acc.nonce = 1;
  run.state.put_account(kCodeRunContract, std::move(acc));
  run.state.begin_transaction();
  const BlockEnv block;
  const TxContext tx{kCodeRunCaller, {}, {}};
  Interpreter vm(run.state, block, tx, fork, budget);
  Message m;
  m.gas = gas;
  m.sender = kCodeRunCaller;
  m.recipient = m.code_address = kCodeRunContract;
  m.input.assign(input.begin(), input.end());
  run.result = vm.execute(m);
  return run;
}

}  // namespace cbsim::models::evm
