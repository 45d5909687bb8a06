// Reads one stored value straight from Redis, bypassing @cache, to show what Redis holds: ciphertext.
import { readFileSync } from 'node:fs';
import { LLM_KEY_NAMESPACE, LLM_KEY_VERSION } from '@cache/redis-ai';
import { Redis } from 'ioredis';

/** One raw value as Redis stores it. */
export interface RawValue {
  readonly key: string;
  readonly bytes: number;
  /** The public envelope header (magic CA CE, version, codec, flags), hex. */
  readonly headerHex: string;
  /** The start of the Fernet token after the header (stored as raw bytes), shown as URL-safe base64 like a Fernet token. */
  readonly tokenStart: string;
}

/** The first stored LLM response under `prefix`, read with a plain ioredis client using the same environment (TLS CA, ACL user). */
export async function readRawValue(env: Readonly<Record<string, string | undefined>>, prefix: string): Promise<RawValue | null> {
  const ca = env['REDIS_TLS_CA_PATH'];
  const client = new Redis(env['REDIS_URL'] ?? '', {
    username: env['REDIS_ACL_USERNAME'],
    password: env['REDIS_ACL_PASSWORD'] ?? env['REDIS_AUTH'],
    ...(ca ? { tls: { ca: readFileSync(ca) } } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    let key: string | undefined;
    do {
      let keys: string[];
      [cursor, keys] = await client.scan(cursor, 'MATCH', `${prefix}${LLM_KEY_NAMESPACE}:v${LLM_KEY_VERSION}:*`, 'COUNT', 1000);
      key = keys[0];
    } while (key === undefined && cursor !== '0');
    if (key === undefined) return null;
    const bytes = await client.getBuffer(key);
    if (bytes === null) return null;
    return { key, bytes: bytes.byteLength, headerHex: bytes.subarray(0, 5).toString('hex'), tokenStart: bytes.subarray(5, 50).toString('base64url') };
  } finally {
    client.disconnect();
  }
}
