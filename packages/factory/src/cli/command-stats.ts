import { parseCommandArgs } from './args.js';
import { closeQuietly, connectionFor } from './connect.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { formatBytes, printJson, type CliIo } from './output.js';

/** `cache stats --help`. */
export const STATS_HELP = `Usage: cache stats <url> [--ca FILE] [--json]

Server-side figures of a live Redis from INFO: hit rate (keyspace hits / lookups, 0..1), memory
used and its limit and eviction policy, evicted and expired keys, keys per database, clients,
operations per second, version and uptime. Needs only the INFO command.

Exit: 0 done, 3 cannot connect.`;

/** Parses INFO text into `field → value`. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Prints the server's cache figures. */
export async function runStats(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('stats', argv, { ca: { type: 'string' } }, { min: 1, max: 1 });
  if (values.help) {
    io.out(STATS_HELP);
    return EXIT.ok;
  }
  const conn = connectionFor(positionals[0] ?? '', io.env, { ca: values.ca });
  const client = await conn.open();
  let info: Map<string, string>;
  try {
    info = parseInfo(await client.info('everything'));
  } finally {
    await closeQuietly(client);
  }
  const num = (field: string): number => Number(info.get(field) ?? 0);
  const hits = num('keyspace_hits');
  const misses = num('keyspace_misses');
  const databases = [...info.entries()]
    .filter(([field]) => /^db\d+$/.test(field))
    .map(([db, value]) => ({ db, keys: Number(/keys=(\d+)/.exec(value)?.[1] ?? 0), expires: Number(/expires=(\d+)/.exec(value)?.[1] ?? 0) }));
  const report = {
    url: conn.displayUrl,
    server: { version: info.get('redis_version') ?? 'unknown', mode: info.get('redis_mode') ?? 'unknown', uptimeSeconds: num('uptime_in_seconds') },
    hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
    keyspaceHits: hits,
    keyspaceMisses: misses,
    memory: { usedBytes: num('used_memory'), maxBytes: num('maxmemory'), policy: info.get('maxmemory_policy') ?? 'unknown' },
    evictedKeys: num('evicted_keys'),
    expiredKeys: num('expired_keys'),
    keys: databases.reduce((sum, d) => sum + d.keys, 0),
    databases,
    connectedClients: num('connected_clients'),
    opsPerSecond: num('instantaneous_ops_per_sec'),
    commandsProcessed: num('total_commands_processed'),
  };
  if (values.json) printJson(io, report);
  else {
    io.out(`${report.url}: Redis ${report.server.version} (${report.server.mode}), up ${report.server.uptimeSeconds} s`);
    io.out(`  hit rate     ${report.hitRate.toFixed(3)} (${hits} hits, ${misses} misses)`);
    io.out(`  keys         ${report.keys} (${databases.map((d) => `${d.db}: ${d.keys}, ${d.expires} with TTL`).join('; ') || 'empty'})`);
    io.out(`  memory       ${formatBytes(report.memory.usedBytes)} of ${report.memory.maxBytes === 0 ? 'no limit' : formatBytes(report.memory.maxBytes)}, policy ${report.memory.policy}`);
    io.out(`  evicted      ${report.evictedKeys}, expired ${report.expiredKeys}`);
    io.out(`  clients      ${report.connectedClients}, ${report.opsPerSecond} ops/s, ${report.commandsProcessed} commands`);
  }
  return EXIT.ok;
}
