import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const fixture = fileURLToPath(new URL('./fixtures/leave-running.ts', import.meta.url));

interface Started {
  ports: number[];
  tlsDir: string;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function runFixture(mode: 'exit' | 'wait'): Promise<{ started: Started; end: (signal?: NodeJS.Signals) => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, fixture, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    expect(existsSync(started.tlsDir)).toBe(false);
  }, 20_000);

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`servers are killed and temp dirs removed when the process dies of ${signal}`, async () => {
      const { started, end } = await runFixture('wait');
      for (const port of started.ports) expect(await refused(port)).toBe(false);
      await end(signal);
      // The watchdog reacts to the closed pipe asynchronously: wait for its effect.
      await expect.poll(async () => (await Promise.all(started.ports.map(refused))).every(Boolean)).toBe(true);
      await expect.poll(() => existsSync(started.tlsDir)).toBe(false);
    }, 20_000);
  }
});
