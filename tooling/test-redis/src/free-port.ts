import { createServer } from 'node:net';

/** Returns a TCP port on 127.0.0.1 that was free when checked (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((error) => {
        if (error) reject(error);
        else if (port === 0) reject(new Error('@cache-tooling/test-redis: the OS returned no port'));
        else resolve(port);
      });
    });
  });
}
