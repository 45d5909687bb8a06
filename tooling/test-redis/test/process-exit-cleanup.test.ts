import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { refused, sentinelDirs } from './probes.js';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const fixture = fileURLToPath(new URL('./fixtures/leave-running.ts', import.meta.url));

interface Started {
  ports: number[];
  tlsDir?: string;
  sentinelPorts?: number[];
}



async function runFixture(
  mode: 'exit' | 'wait',
  what: 'servers' | 'sentinels' = 'servers',
): Promise<{ started: Started; end: (signal?: NodeJS.Signals) => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, fixture, mode, what], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let output = '';
  child.stdout.setEncoding('utf8');
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve(output.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`fixture exited early with ${String(code)}`)));
  });
  return {
    started: JSON.parse(line) as Started,
    end: async (signal) => {
      if (signal) child.kill(signal);
      await exited;
    },
  };
}

describe('nothing outlives the process that started it', () => {
  it('servers are killed and temp dirs removed when the process exits without stopping them', async () => {
    const { started, end } = await runFixture('exit');
    await end();
    for (const port of started.ports) expect(await refused(port)).toBe(true);
    expect(existsSync(started.tlsDir as string)).toBe(false);
  }, 20_000);

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`servers are killed and temp dirs removed when the process dies of ${signal}`, async () => {
      const { started, end } = await runFixture('wait');
      for (const port of started.ports) expect(await refused(port)).toBe(false);
      await end(signal);
      // The watchdog reacts to the closed pipe asynchronously: wait for its effect.
      await expect.poll(async () => (await Promise.all(started.ports.map(refused))).every(Boolean)).toBe(true);
      await expect.poll(() => existsSync(started.tlsDir as string)).toBe(false);
    }, 20_000);
  }

  it('a Sentinel set (sentinels, master, replica, config dirs) is cleaned up by the watchdog when the process dies of SIGKILL', async () => {
    const { started, end } = await runFixture('wait', 'sentinels');
    const sentinelPorts = started.sentinelPorts ?? [];
    expect(sentinelPorts).toHaveLength(3);
    expect(await sentinelDirs(sentinelPorts)).toHaveLength(3);
    for (const port of started.ports) expect(await refused(port)).toBe(false);
    await end('SIGKILL');
    await expect.poll(async () => (await Promise.all(started.ports.map(refused))).every(Boolean)).toBe(true);
    await expect.poll(() => sentinelDirs(sentinelPorts)).toEqual([]);
  }, 30_000);

  it('a Sentinel set is cleaned up on a normal exit without stop()', async () => {
    const { started, end } = await runFixture('exit', 'sentinels');
    await end();
    for (const port of started.ports) expect(await refused(port)).toBe(true);
    expect(await sentinelDirs(started.sentinelPorts ?? [])).toEqual([]);
  }, 30_000);
});
