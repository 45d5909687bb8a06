// `pnpm bench:peers [--quick] [--only <row>[,<row>…]] [--rounds N] [--time MS] [--list]`
// @cache side by side with BentoCache, cacheable, cache-manager, lru-cache, raw ioredis and raw
// node-redis. Starts its own plain and TLS redis-server, runs every contender of a row in its own
// child process (rounds in rotated order, one contender at a time), prints the markdown report and
// writes it to bench/results/peers-<date>.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateFernetKey } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { killAllChildren, startChild, type Child } from './child.js';
import type { Job, LibId, RedisTarget, WorkerMessage } from './contract.js';
import { emptyCell, formatValue, median, renderReport, type Cell, type RowResult } from './report.js';
import { COLUMNS, ROWS, type ColumnId, type Row } from './rows.js';
import { VALUE_BYTES } from './values.js';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const PASSWORD = 'peers-bench-password';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    time: { type: 'string' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help || args.list) {
  console.log('pnpm bench:peers [--quick] [--only <row id or part>[,…]] [--rounds N] [--time MS] [--list]\n\nrows:');
  for (const row of ROWS) console.log(`  ${row.id.padEnd(18)} ${row.title}`);
  process.exit(0);
}
const rounds = Number(args.rounds ?? (args.quick ? 1 : 5));
const timeMs = Number(args.time ?? (args.quick ? 100 : 400));
const warmupMs = args.quick ? 50 : 300;
/**
 * Warm-up also runs at least this many operations: equal time would give a contender whose calls
 * are slower before V8 has optimised them fewer warm-up calls (@cache's encrypted set costs ≈ 400 µs
 * of CPU for its first 1 000 calls, ≈ 56 µs from about the 6 000th on).
 */
const warmupOps = args.quick ? 500 : 8000;
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isFinite(timeMs) || timeMs < 10) {
  console.error('--rounds must be a positive integer and --time at least 10 (ms)');
  process.exit(2);
}
const filters = (args.only ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
// A filter that is a row id selects that row; any other filter selects the rows whose id contains it.
const matches = (row: Row, f: string): boolean => (ROWS.some((r) => r.id === f) ? row.id === f : row.id.includes(f));
const rows = ROWS.filter((row) => filters.length === 0 || filters.some((f) => matches(row, f)));
if (rows.length === 0) {
  console.error(`no row matches ${filters.join(', ')} (see --list)`);
  process.exit(2);
}

/** Installed version of a package of the bench (read from its package.json). */
function version(pkg: string): string {
  const file = pkg.startsWith('@cache/') ? join(benchDir, '..', 'packages', pkg.slice(7), 'package.json') : join(benchDir, 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
const shell = (cmd: string, argv: string[]): string => {
  try {
    return execFileSync(cmd, argv, { cwd: benchDir, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
};

const headingOf = (id: ColumnId): string => {
  const column = COLUMNS.find((c) => c.id === id);
  if (!column) throw new Error(`unknown column ${id}`);
  return column.lib === 'cache' ? column.title : `${column.title} ${version(column.pkg)}`;
};

// Servers: started only when a selected row needs them; killed on any exit by test-redis.
const servers: { plain?: RedisTestServer; tls?: RedisTestServer } = {};
const targets: { plain?: RedisTarget; tls?: RedisTarget } = {};
const admins: Redis[] = [];
async function startServers(): Promise<void> {
  for (const kind of ['plain', 'tls'] as const) {
    if (!rows.some((row) => row.server === kind)) continue;
    const server = await startRedis({ password: PASSWORD, tls: kind === 'tls' });
    servers[kind] = server;
    targets[kind] = { url: server.url(), password: PASSWORD, tls: kind === 'tls', ca: server.tls?.ca ?? null, caPath: server.tls?.caPath ?? null };
    const admin = new Redis(server.url(), { ...(server.tls ? { tls: { ca: server.tls.ca } } : {}), maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined);
    admins.push(admin);
  }
}

interface Contender {
  /** 'floor' or a column id. */
  slot: ColumnId | 'floor';
  name: string;
  job: Job;
  /** Its running processes (none between rounds of a row that starts them per round). */
  children: Child[];
  cell: Cell;
}

/** One Fernet key per run, shared by every @cache process (never written anywhere). */
const RUN_ENCRYPTION_KEY = generateFernetKey();

function jobFor(row: Row, lib: LibId, slot: ColumnId | 'floor', variant: Job['setup']['variant'], mode: Job['setup']['mode']): Job {
  const redis = row.server === 'none' || mode === 'memory' ? null : (targets[row.server] ?? null);
  return {
    lib,
    setup: { mode, variant, redis, capacity: row.capacity, crossProcess: row.processes > 1, encryptionKey: RUN_ENCRYPTION_KEY },
    operation: row.operation,
    keys: row.keys,
    inFlight: row.inFlight,
    batch: row.batch,
    metric: row.metric,
    clock: row.clock,
    callers: row.callers,
    factoryMs: row.factoryMs,
    prefix: `${row.id}:${slot}:`,
    warmupMs,
    warmupOps,
  };
}

const fail = (cell: Cell, reason: string): void => {
  cell.status = 'failed';
  cell.reason = reason;
};

/**
 * In-process rows (CPU-timed) start fresh processes for every round: one process can settle in a
 * fast or a slow optimisation state for its whole life (the same build measured 0.40× in one
 * process and 0.87× in another), so a process per round turns that into spread between rounds
 * instead of one draw for the whole row. Rows touching Redis keep their processes for the row.
 */
const freshPerRound = (row: Row): boolean => row.clock === 'cpu';

/** Starts a contender's processes (prepared and warmed up, not timed) and records their setup answers. */
async function spawn(c: Contender, processes: number): Promise<void> {
  const started = await Promise.all(Array.from({ length: processes }, (_, p) => startChild(`${c.name} #${p + 1}`, c.job, 180_000)));
  c.children = started.map((s) => s.child);
  for (const { answer } of started) absorbSetup(c.cell, answer);
}

async function retire(contenders: Contender[]): Promise<void> {
  await Promise.all(contenders.flatMap((c) => c.children.map((child) => child.close())));
  for (const c of contenders) c.children = [];
}

async function runRow(row: Row): Promise<RowResult> {
  const contenders: Contender[] = [];
  if (row.floor) contenders.push({ slot: 'floor', name: row.floor.label, job: jobFor(row, row.floor.lib, 'floor', 'default', row.floor.mode), children: [], cell: emptyCell() });
  for (const id of row.columns) {
    const column = COLUMNS.find((c) => c.id === id);
    if (!column) continue;
    const variant = column.lib === 'cache' && row.cacheVariant ? row.cacheVariant : column.variant;
    contenders.push({ slot: id, name: column.title, job: jobFor(row, column.lib, id, variant, row.mode), children: [], cell: emptyCell() });
  }
  const fresh = freshPerRound(row);
  const ok = (c: Contender): boolean => c.cell.status === 'ok';
  try {
    // Every contender's processes start and prepare together (not timed); then one contender runs at a time.
    if (!fresh) await Promise.all(contenders.map((c) => spawn(c, row.processes)));
    for (let round = 0; round < rounds; round++) {
      if (fresh) await Promise.all(contenders.filter(ok).map((c) => spawn(c, row.processes)));
      const ready = contenders.filter(ok);
      const shift = round % Math.max(1, ready.length);
      for (const c of [...ready.slice(shift), ...ready.slice(0, shift)]) await measureRound(c, round);
      if (fresh) await retire(contenders);
      const floor = contenders.find((c) => c.slot === 'floor');
      const floorValue = floor?.cell.values[round];
      if (floorValue === undefined || row.metric === 'calls') continue;
      const floorCpu = floor?.cell.cpu[round];
      for (const c of contenders) {
        const value = c.cell.values[round];
        if (c === floor || value === undefined || c.cell.values.length !== round + 1) continue;
        c.cell.ratios.push(value / floorValue);
        const cpu = c.cell.cpu[round];
        if (floorCpu !== undefined && cpu !== undefined && c.cell.cpu.length === round + 1) c.cell.cpuRatios.push(cpu / floorCpu);
      }
    }
  } finally {
    await retire(contenders);
    await Promise.all(admins.map((admin) => admin.flushall().catch(() => undefined)));
  }
  const result: RowResult = { row, floor: null, cells: new Map() };
  for (const c of contenders) {
    if (c.slot === 'floor') result.floor = c.cell;
    else result.cells.set(c.slot, c.cell);
  }
  return result;
}

function absorbSetup(cell: Cell, answer: WorkerMessage): void {
  if (answer.type === 'failed') fail(cell, `setup failed: ${answer.error}`);
  else if (answer.type === 'unavailable') {
    cell.config = answer.config;
    if (cell.status === 'ok') Object.assign(cell, { status: 'na', reason: answer.reason });
  } else if (answer.type === 'ready') {
    cell.config = answer.config;
    cell.readBack ??= answer.readBack;
  }
}

async function measureRound(c: Contender, round: number): Promise<void> {
  try {
    const answers = await Promise.all(c.children.map((child) => child.request({ type: 'measure', timeMs, round }, timeMs + 120_000)));
    let total = 0;
    let cpu: number | null = null;
    for (const answer of answers) {
      if (answer.type !== 'result') throw new Error(answer.type === 'failed' ? answer.error : `unexpected ${answer.type}`);
      total += answer.value;
      cpu = answers.length === 1 ? answer.cpuUsPerOp : null;
      if (answer.note) c.cell.notes.push(answer.note);
    }
    // Several processes (the cross-process stampede) add up their factory calls.
    c.cell.values.push(total);
    if (cpu !== null) c.cell.cpu.push(cpu);
  } catch (error) {
    fail(c.cell, `round ${round + 1} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function progress(r: RowResult): void {
  const parts = [r.floor ? `${r.row.floor?.label} ${r.floor.values.length ? formatValue(r.row.metric, median(r.floor.values)) : (r.floor.reason ?? '?')}` : ''];
  for (const [id, cell] of r.cells) {
    const shown =
      cell.status === 'na' || cell.values.length === 0
        ? (cell.reason ?? 'n/a')
        : cell.ratios.length
          ? `${median(cell.ratios).toFixed(2)}×`
          : formatValue(r.row.metric, median(cell.values));
    parts.push(`${id} ${shown}${cell.readBack ? ' ✗read-back' : ''}`);
  }
  console.error(`  ${r.row.id}: ${parts.filter(Boolean).join(' | ')}`);
}

function gitDescription(): string {
  const sha = shell('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = shell('git', ['status', '--porcelain', '--', '../packages']) !== '';
  return `${sha}${dirty ? ' + uncommitted changes in packages/' : ''}`;
}

// Interrupted: children die now; test-redis's exit hook stops the servers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

const started = Date.now();
const loadBefore = loadavg()[0] ?? 0;
const date = new Date().toISOString().slice(0, 10);
const command = `pnpm bench:peers${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
console.error(`${command}: ${rows.length} rows, ${rounds} round(s) × ${timeMs} ms per cell`);
await startServers();
const results: RowResult[] = [];
try {
  for (const row of rows) {
    const result = await runRow(row);
    results.push(result);
    progress(result);
  }
} finally {
  await Promise.all(admins.map((admin) => admin.quit().catch(() => undefined)));
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}

const usedColumns = COLUMNS.filter((c) => rows.some((row) => row.columns.includes(c.id))).map((c) => ({ id: c.id, heading: headingOf(c.id) }));
const cpu = cpus();
const libs = ['lru-cache', 'ioredis', 'redis', 'bentocache', 'cache-manager', 'keyv', '@keyv/redis', 'cacheable'].map((p) => `${p} ${version(p)}`).join(', ');
const intro = [
  `Command: \`${command}\` (${args.quick ? 'quick smoke run' : 'full run'}; ${rounds} round(s) × ${timeMs} ms per cell after a warm-up of at least ${warmupMs} ms and ${warmupOps} operations; ${Math.round((Date.now() - started) / 1000)} s in all).`,
  `Machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, 1-minute load average ${loadBefore.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end, Node ${process.version}, ${shell('redis-server', ['--version']).split(' ').slice(0, 3).join(' ')} on loopback. @cache at ${gitDescription()}. Peers: ${libs}.`,
  '',
  `- Values: ${VALUE_BYTES} bytes of JSON each, object keys deliberately not in sorted order, generated before timing. Before timing, every contender reads every key back through the operation the row times and is compared with a freshly generated copy (deep equality and key order at every level); a failure is marked ✗ and explained in the notes (the cell is still timed).`,
  '- Every call goes through one `await` (lru-cache and the raw clients behind a one-line async function), except in the sync rows; every write carries a 1 h TTL (lru-cache too).',
  '- Each contender runs in its own child process: started fresh for every round in the in-process (memory) rows, for each row elsewhere (two processes in the cross-process row); one contender is timed at a time; rounds run in rotated order.',
  '- In-process rows (memory) count operations per second of the child\'s CPU time (read about every 2 ms of work, not per operation), so time spent descheduled on a busy machine is not charged; rows that touch Redis (and the two-tier L1 row) use wall time. p50 rows time single requests one after another. Sync rows call the synchronous API in a plain loop (no await); `n/a (no such API)` where a library has none.',
  '- Redis: the benchmark starts its own `redis-server` (password) and a TLS-only one with certificates generated at start; every client verifies the server against that CA. Both are flushed between rows.',
  '- `n/a (not implemented)`: @cache has no such method in this build (detected at run time); the cell fills itself once it lands.',
];
const report = renderReport(
  results,
  {
    title: `@cache vs peers, side by side (${date})`,
    intro,
    columns: usedColumns,
    configHeading: (id, row) => `${id === 'floor' ? (row.floor?.label ?? 'floor') : headingOf(id)} (${id === 'floor' ? (row.floor?.mode ?? '') : row.mode}${row.server === 'tls' ? ', TLS' : ''})`,
    rounds,
  },
  hitPathNote(results),
);

/** Issue 12's target: @cache getOrSet on a hit within 10 % of its get. */
function hitPathNote(all: RowResult[]): string[] {
  const get = all.find((r) => r.row.id === 'mem-get')?.cells.get('@cache');
  const getOrSet = all.find((r) => r.row.id === 'mem-getorset-hit')?.cells.get('@cache');
  if (!get?.values.length || !getOrSet?.values.length) return [];
  const ratio = median(getOrSet.values) / median(get.values);
  return [`@cache getOrSet on a hit runs at ${ratio.toFixed(2)}× its get hit (issue 12's target: within 10 %, i.e. ≥ 0.90×).`];
}

console.log(`\n${report}`);
const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const suffix = `${args.quick ? '-quick' : ''}${filters.length ? '-partial' : ''}`;
// A second run on the same day keeps the first: its file gets the start time (UTC) in its name.
const sameDay = join(resultsDir, `peers-${date}${suffix}.md`);
const file = existsSync(sameDay) ? join(resultsDir, `peers-${date}-${new Date(started).toISOString().slice(11, 16).replace(':', '')}${suffix}.md`) : sameDay;
writeFileSync(file, report);
console.error(`written to ${file}`);
// A contender that could not run (setup error, crash, timeout) fails the run; a read-back ✗ does not.
const failed = results.flatMap((r) => [r.floor, ...r.cells.values()]).filter((cell) => cell?.status === 'failed').length;
if (failed > 0) console.error(`${failed} cell(s) failed (see the notes)`);
process.exitCode = failed > 0 ? 1 : 0;
