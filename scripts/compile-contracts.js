// Compiles every scenarios/contracts/*.sol with solc-js (standard JSON input)
// and writes scenarios/contracts/build/<Contract>.json. Run through
// scripts/compile-contracts.sh, which installs the pinned solc first. The
// output depends only on the sources and the compiler: files sorted, source
// keys are bare file names (not absolute paths, which would change the
// metadata hash in the bytecode), keys in a fixed order, two-space indent.
'use strict';

const fs = require('fs');
const path = require('path');

const [solcDir, expectedVersion] = process.argv.slice(2);
if (!solcDir || !expectedVersion) {
  console.error('usage: node compile-contracts.js SOLC_PREFIX VERSION');
  process.exit(2);
}
const solc = require(path.resolve(solcDir, 'node_modules', 'solc'));
const version = solc.version();
if (!version.startsWith(expectedVersion + '+')) {
  console.error(`compile-contracts: expected solc ${expectedVersion}, found ${version}`);
  process.exit(1);
}

const root = path.resolve(__dirname, '..');
const contractsDir = path.join(root, 'scenarios', 'contracts');
const outDir = path.join(contractsDir, 'build');
const files = fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort();

const input = {
  language: 'Solidity',
  sources: Object.fromEntries(files.map((f) => [f, { content: fs.readFileSync(path.join(contractsDir, f), 'utf8') }])),
  settings: {
    optimizer: { enabled: true, runs: 200 },
    // Explicit, so that a later compiler with another default cannot change the bytecode.
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of output.errors || []) {
  console.error(e.formattedMessage || e.message);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
for (const file of files) {
  for (const name of Object.keys(output.contracts[file] || {}).sort()) {
    const c = output.contracts[file][name];
    const artefact = {
      contract: name,
      compiler: `solc-js ${version}`,
      abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    };
    const target = path.join(outDir, `${name}.json`);
    fs.writeFileSync(target, JSON.stringify(artefact, null, 2) + '\n');
    console.log(`compile-contracts: ${path.relative(root, target)}`);
  }
}
