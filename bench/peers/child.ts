// A contender's child process (worker.ts under tsx), driven by request/response over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job, ParentMessage, WorkerMessage } from './contract.js';

const here = dirname(fileURLToPath(import.meta.url));
const live = new Set<ChildProcess>();

/** Kills every child still running (the parent is exiting). */
export function killAllChildren(): void {
  for (const proc of live) proc.kill('SIGKILL');
}

export class Child {
  readonly #proc: ChildProcess;
  #output = '';
  #waiting: { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void } | null = null;
  #exited = false;

  constructor(readonly name: string) {
    this.#proc = fork(join(here, 'worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      cwd: join(here, '..'),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    live.add(this.#proc);
    const keep = (chunk: Buffer) => void (this.#output = (this.#output + chunk.toString()).slice(-2000));
    this.#proc.stdout?.on('data', keep);
    this.#proc.stderr?.on('data', keep);
    this.#proc.on('message', (message: WorkerMessage) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.resolve(message);
    });
    this.#proc.on('exit', (code, signal) => {
      this.#exited = true;
      live.delete(this.#proc);
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.reject(new Error(`${name} exited (${signal ?? code})${this.#output ? `: ${this.#output.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
    });
  }

  /** Sends `message` and resolves the child's answer; rejects after `timeoutMs` (the child is killed) or if it dies. */
  request(message: ParentMessage, timeoutMs: number): Promise<WorkerMessage> {
    if (this.#exited || !this.#proc.connected) return Promise.reject(new Error(`${this.name} is not running`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null;
        this.#proc.kill('SIGKILL');
        reject(new Error(`${this.name} did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.#waiting = {
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.#proc.send(message);
    });
  }

  /** Asks the child to close its connections and exit; kills it after 5 s. */
  async close(): Promise<void> {
    if (this.#exited) return;
    if (!this.#proc.connected) {
      this.#proc.kill('SIGKILL');
      return;
    }
    const exited = new Promise<void>((resolve) => this.#proc.once('exit', () => resolve()));
    this.#proc.send({ type: 'close' } satisfies ParentMessage);
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** Starts a child and hands it `job`; resolves its first answer (ready, unavailable or failed). */
export async function startChild(name: string, job: Job, timeoutMs: number): Promise<{ child: Child; answer: WorkerMessage }> {
  const child = new Child(name);
  try {
    return { child, answer: await child.request({ type: 'job', job }, timeoutMs) };
  } catch (error) {
    return { child, answer: { type: 'failed', error: error instanceof Error ? error.message : String(error) } };
  }
}
