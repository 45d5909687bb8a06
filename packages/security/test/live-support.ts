import { Redis } from 'ioredis';
import { createIoredisConnector } from '../src/index.js';
import type { IoredisConnectOptions, RedisConnector } from '../src/index.js';

/** The connector production code would build: ioredis 6 through the package's adapter. */
export const ioredisConnector: RedisConnector = createIoredisConnector(Redis);

/** A connector whose clients are remembered, to prove that none is left connected. */
export function recordingConnector(): { connector: RedisConnector; created: Redis[] } {
  const created: Redis[] = [];
  class RecordingRedis extends Redis {
    constructor(url: string, options: IoredisConnectOptions) {
      super(url, options);
      created.push(this);
    }
  }
  return { connector: createIoredisConnector(RecordingRedis), created };
}

/** A sleep that records the requested delays and returns at once (the back-off is asserted, not waited). */
export function recordedSleep(): { sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

/** Resolves once every client has reached ioredis' final `end` state (quit/disconnect finish on a later tick). */
export async function allEnded(clients: readonly Redis[]): Promise<boolean> {
  await Promise.all(
    clients.map((c) => (c.status === 'end' ? undefined : new Promise<void>((resolve) => c.once('end', () => resolve())))),
  );
  return clients.every((c) => c.status === 'end');
}
