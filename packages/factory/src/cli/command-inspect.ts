import { jsonCodec } from '@cache/core';
import { createEncryptionLayerFromEnv } from '@cache/encryption';
import { ValueEnvelope } from '@cache/redis';
import type { Redis } from 'ioredis';
import { parseCommandArgs } from './args.js';
import { closeQuietly, connectionFor } from './connect.js';
import { headerLabel, readEnvelopeHeader, HEADER_BYTES, type EnvelopeHeader } from './envelope-header.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { formatBytes, printJson, table, type CliIo } from './output.js';

/** `cache inspect --help`. */
export const INSPECT_HELP = `Usage: cache inspect <url> [pattern] [--depth N] [--limit N] [--key KEY] [--ca FILE] [--json]

Walks the keys matching pattern (default *) with SCAN (never KEYS) and reports, by key prefix
(the first N ':'-separated segments, default 2), how many keys there are, their value bytes and how
many have no TTL; and how many values are @cache envelopes by version, codec and flags (encrypted,
compressed) — read from each value's public header, no key needed.

--key KEY decrypts that one value with REDIS_ENCRYPTION_KEY (and REDIS_ENCRYPTION_PREVIOUS_KEYS)
from the environment, and prints it with its expiry: the one case where this command prints a
cached value, because you asked. The Fernet key is read from the environment, never from the
command line (which other users can see in ps).

Exit: 0 done, 1 the --key value is missing or does not decrypt, 3 cannot connect, 4 bad key.`;

interface PrefixRow {
  prefix: string;
  keys: number;
  bytes: number;
  noTtl: number;
}

function prefixOf(key: string, depth: number): string {
  const parts = key.split(':');
  return parts.length > depth ? `${parts.slice(0, depth).join(':')}:` : parts.length > 1 ? `${parts.slice(0, -1).join(':')}:` : '(no prefix)';
}

async function survey(client: Redis, pattern: string, depth: number, limit: number) {
  const prefixes = new Map<string, PrefixRow>();
  const formats = new Map<string, number>();
  const types = new Map<string, number>();
  let scanned = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const batch = keys.slice(0, Math.max(0, limit - scanned));
    scanned += batch.length;
    if (batch.length === 0) continue;
    const pipe = client.pipeline();
    for (const key of batch) pipe.type(key).strlen(key).getrangeBuffer(key, 0, HEADER_BYTES - 1).pttl(key);
    const replies = (await pipe.exec()) ?? [];
    batch.forEach((key, i) => {
      const [type, length, head, pttl] = replies.slice(i * 4, i * 4 + 4).map(([error, value]) => (error ? null : value));
      const typeName = typeof type === 'string' ? type : 'unknown';
      if (typeName === 'none') return;
      types.set(typeName, (types.get(typeName) ?? 0) + 1);
      const row = prefixes.get(prefixOf(key, depth)) ?? { prefix: prefixOf(key, depth), keys: 0, bytes: 0, noTtl: 0 };
      row.keys++;
      if (typeName === 'string' && typeof length === 'number') {
        row.bytes += length;
        const label = headerLabel(readEnvelopeHeader(Buffer.isBuffer(head) ? head : Buffer.alloc(0)));
        formats.set(label, (formats.get(label) ?? 0) + 1);
      }
      if (pttl === -1) row.noTtl++;
      prefixes.set(row.prefix, row);
    });
  } while (cursor !== '0' && scanned < limit);
  return {
    scanned,
    truncated: cursor !== '0',
    prefixes: [...prefixes.values()].sort((a, b) => b.keys - a.keys || a.prefix.localeCompare(b.prefix)),
    formats: Object.fromEntries([...formats.entries()].sort((a, b) => b[1] - a[1])),
    types: Object.fromEntries(types),
  };
}

async function decryptOne(client: Redis, key: string, env: CliIo['env']) {
  const bytes = await client.getBuffer(key);
  if (bytes === null) throw new CliError(`no string value at key ${JSON.stringify(key)}`, EXIT.findings, 'List keys with cache inspect <url> <pattern>.');
  const header: EnvelopeHeader = readEnvelopeHeader(bytes);
  if ((env['REDIS_ENCRYPTION_KEY'] ?? '').trim() === '') {
    throw new CliError(`REDIS_ENCRYPTION_KEY is not set, so ${JSON.stringify(key)} cannot be decrypted`, EXIT.configuration, 'Export the key the application uses: export REDIS_ENCRYPTION_KEY=...');
  }
  const envelope = new ValueEnvelope({
    codec: jsonCodec,
    encryption: createEncryptionLayerFromEnv({ env }),
    compressionThreshold: 1000,
    compressionLevel: 6,
    maxValueBytes: 64 * 1024 * 1024,
    readLegacyPythonFormat: true,
  });
  const decoded = await envelope.decode(key, bytes);
  return { key, bytes: bytes.byteLength, header, decoded };
}

/** Key counts and sizes by prefix, value formats by header, and optionally one decrypted value. */
export async function runInspect(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    'inspect',
    argv,
    { depth: { type: 'string' }, limit: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' } },
    { min: 1, max: 2 },
  );
  if (values.help) {
    io.out(INSPECT_HELP);
    return EXIT.ok;
  }
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    if (!/^[1-9]\d*$/.test(raw)) throw new CliError(`--${name} must be a positive whole number, got ${JSON.stringify(raw)}`, EXIT.usage);
    return Number(raw);
  };
  const depth = positive('depth', values.depth, 2);
  const limit = positive('limit', values.limit, 100_000);
  const pattern = positionals[1] ?? '*';
  const conn = connectionFor(positionals[0] ?? '', io.env, { ca: values.ca });
  const client = await conn.open();
  try {
    if (values.key !== undefined) {
      const one = await decryptOne(client, values.key, io.env);
      const ok = one.decoded.ok;
      const result = {
        key: one.key,
        bytes: one.bytes,
        format: headerLabel(one.header),
        header: one.header,
        ...(one.decoded.ok
          ? { value: one.decoded.value, expiresAt: new Date(one.decoded.expiresAt).toISOString(), freshUntil: new Date(one.decoded.freshUntil).toISOString() }
          : { error: one.decoded.reason }),
      };
      if (values.json) printJson(io, result);
      else {
        io.out(`${one.key}: ${one.bytes} bytes, ${result.format}`);
        if (one.decoded.ok) {
          io.out(`  fresh until ${new Date(one.decoded.freshUntil).toISOString()}, expires ${new Date(one.decoded.expiresAt).toISOString()}`);
          io.out(`  value: ${JSON.stringify(one.decoded.value, null, 2)}`);
        } else io.out(`  cannot decode: ${one.decoded.reason} (wrong key, another key's value, or not an @cache value)`);
      }
      return ok ? EXIT.ok : EXIT.findings;
    }
    const report = { url: conn.displayUrl, pattern, depth, ...(await survey(client, pattern, depth, limit)) };
    if (values.json) printJson(io, report);
    else {
      io.out(`${conn.displayUrl}: ${report.scanned} key(s) matching ${JSON.stringify(pattern)}${report.truncated ? ` (stopped at --limit ${limit})` : ''}`);
      if (report.prefixes.length > 0) {
        io.out(table(['prefix', 'keys', 'value bytes', 'avg', 'no TTL'], report.prefixes.map((r) => [r.prefix, String(r.keys), formatBytes(r.bytes), formatBytes(Math.round(r.bytes / r.keys)), String(r.noTtl)])));
      }
      for (const [label, count] of Object.entries(report.formats)) io.out(`  ${String(count).padStart(7)}  ${label}`);
    }
    return EXIT.ok;
  } finally {
    await closeQuietly(client);
  }
}
