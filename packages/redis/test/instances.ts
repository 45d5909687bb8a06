import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./fixtures/coherence-instance.mjs', import.meta.url));

/** What an instance child is started with. */
export interface InstanceConfig {
  redisUrl?: string;
  clusterNodes?: Array<{ host: string; port: number }>;
  password?: string | null;
  keyPrefix: string;
  encryptionKey: string;
  options?: Record<string, unknown>;
}

/** The coherence section a child reports. */
export interface InstanceStatus {
  state: string;
  coherence: { mode: string; trusted: boolean; connections: number; confirmed: number };
  l1Size: number;
}

/** One cache instance in its own Node process, driven over stdin/stdout (see fixtures/coherence-instance.mjs). */
export class Instance {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #next = 0;
  #stderr = '';

  constructor(readonly name: string, config: InstanceConfig) {
    this.#child = spawn(process.execPath, [CHILD, JSON.stringify(config)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const { id, result, error } = JSON.parse(line) as { id: number; result?: unknown; error?: string };
      const waiter = this.#pending.get(id);
      this.#pending.delete(id);
      if (error !== undefined) waiter?.reject(new Error(`${this.name}: ${error}`));
      else waiter?.resolve(result);
    });
    this.#child.on('exit', (code) => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`${this.name} exited (${String(code)}): ${this.#stderr}`));
      this.#pending.clear();
    });
  }

  #call<T>(op: string, ...args: unknown[]): Promise<T> {
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  connect(): Promise<boolean> {
    return this.#call('connect');
  }
  set(key: string, value: unknown, tags?: string[]): Promise<string> {
    return this.#call('set', key, value, tags);
  }
  invalidateTags(tags: string[]): Promise<number> {
    return this.#call('invalidateTags', tags);
  }
  getOrSet(key: string, value: unknown, tags: string[]): Promise<unknown> {
    return this.#call('getOrSet', key, value, tags);
  }
  exists(key: string): Promise<boolean> {
    return this.#call('exists', key);
  }
  delete(key: string): Promise<boolean> {
    return this.#call('delete', key);
  }
  /** The value and the tier that answered (`'l1'`, `'redis'` or `'miss'`). */
  get(key: string): Promise<{ value: unknown; tier: string }> {
    return this.#call('get', key);
  }
  invalidatePattern(pattern: string): Promise<number> {
    return this.#call('invalidatePattern', pattern);
  }
  clear(): Promise<number> {
    return this.#call('clear');
  }
  status(): Promise<InstanceStatus> {
    return this.#call('status');
  }

  /** Disconnects and waits for the process to exit (killed after 5 s). */
  stop(): Promise<void> {
    if (this.#child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const guard = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      this.#child.once('exit', () => {
        clearTimeout(guard);
        resolve();
      });
      this.#child.stdin.end();
    });
  }
}
