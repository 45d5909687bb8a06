import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy on loopback in front of a server, whose connections can be cut and restored. */
export interface TcpProxy {
  /** Always `'127.0.0.1'`. */
  readonly host: string;
  /** The port clients connect to instead of the target's; stable across cut/restore. */
  readonly port: number;
  /**
   * Destroys every live connection (both sides) and refuses new ones (ECONNREFUSED) until
   * `restore()`. The target keeps running with its data. Idempotent.
   */
  cut(): Promise<void>;
  /**
   * A partial cut: keeps the first `keep` live connections (in the order they were accepted),
   * destroys the others (both sides) and refuses new ones until `restore()` — e.g. an instance's
   * data connection stays up while the connection it opened after it is cut.
   */
  cutAllBut(keep: number): Promise<void>;
  /** Accepts connections again on the same port. Idempotent. */
  restore(): Promise<void>;
  /** True between `cut()` and `restore()`. */
  isCut(): boolean;
  /** Destroys every connection and stops listening for good. Idempotent. */
  close(): Promise<void>;
  /** Same as `close()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const HOST = '127.0.0.1';
const RELISTEN_ATTEMPTS = 20;
const RELISTEN_DELAY_MS = 25;

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a TCP proxy on a free loopback port that forwards each connection to `target`.
 * Use it to inject real network faults: `cut()` breaks live clients, `restore()` lets them reconnect.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  /** Live client-side sockets in accept order (each with its upstream). */
  const accepted: Array<{ client: Socket; upstream: Socket }> = [];
  let state: 'open' | 'cut' | 'closed' = 'open';
  let queue: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void>): Promise<void> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const onConnection = (client: Socket) => {
    if (state !== 'open') {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.host, port: target.port });
    track(client);
    track(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    const pair = { client, upstream };
    accepted.push(pair);
    client.once('close', () => {
      const at = accepted.indexOf(pair);
      if (at !== -1) accepted.splice(at, 1);
    });
  };

  const makeServer = () => createServer({ noDelay: true }, onConnection);
  let server = makeServer();
  await listen(server, 0);
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('@cache-tooling/test-redis: proxy has no port');
  const port = address.port;

  const dropEverything = async () => {
    const closing = closeServer(server);
    for (const socket of sockets) socket.destroy();
    await closing;
  };

  const proxy: TcpProxy = {
    host: HOST,
    port,
    cut: () =>
      serial(async () => {
        if (state !== 'open') return;
        state = 'cut';
        await dropEverything();
      }),
    cutAllBut: (keep: number) =>
      serial(async () => {
        if (state !== 'open') return;
        state = 'cut';
        // Stop listening at once (close() would wait for the kept connections to end).
        server.close();
        for (const { client, upstream } of accepted.slice(keep)) {
          client.destroy();
          upstream.destroy();
        }
      }),
    restore: () =>
      serial(async () => {
        if (state !== 'cut') return;
        server = makeServer();
        for (let attempt = 1; ; attempt++) {
          try {
            await listen(server, port);
            break;
          } catch (error) {
            if (attempt >= RELISTEN_ATTEMPTS) {
              throw new Error(`@cache-tooling/test-redis: proxy could not listen again on port ${port}: ${String(error)}`);
            }
            await pause(RELISTEN_DELAY_MS);
          }
        }
        state = 'open';
      }),
    isCut: () => state === 'cut',
    close: () =>
      serial(async () => {
        if (state === 'closed') return;
        state = 'closed';
        await dropEverything();
      }),
    [Symbol.asyncDispose]: () => proxy.close(),
  };
  return proxy;
}
