// The second process of the cross-process burst (started by src/burst.ts): builds the same stack on
// the same Redis (from the REDIS_* variables), prints `ready`, waits for `go` on stdin, sends the
// burst, then prints what it did as one JSON line.
import { createInterface } from 'node:readline';
import { runBurst } from './burst.js';
import { PRICES } from './model.js';
import { buildStack } from './stack.js';

const requests = Number(process.argv[2] ?? 1);
const stack = await buildStack({ kind: 'redis', env: process.env }, { prices: PRICES, clear: false });
try {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write('ready\n');
  await lines.next();
  const side = await runBurst(stack, requests);
  process.stdout.write(`${JSON.stringify(side)}\n`);
  lines.return?.();
} finally {
  await stack.close();
}
