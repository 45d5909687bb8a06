// Serves the Prometheus text format of the stack's monitor, as a service would at /metrics.
import { createServer, type Server } from 'node:http';
import type { CachePerformanceMonitor } from '@cache/monitoring';
import { registerPrometheusMetrics } from '@cache/monitoring/prometheus';
import { Registry } from 'prom-client';

/** A running /metrics endpoint. */
export interface MetricsEndpoint {
  readonly url: string;
  /** The current exposition text (what a scrape gets). */
  scrape(): Promise<string>;
  close(): Promise<void>;
}

/** Starts `GET /metrics` on 127.0.0.1:`port` (0 = any free port) for `monitor`'s series, labelled `cache="<name>"`. */
export async function startMetricsEndpoint(monitor: CachePerformanceMonitor, name: string, port = 0): Promise<MetricsEndpoint> {
  const registry = new Registry();
  registerPrometheusMetrics(monitor, registry, { cache: name });
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('try /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/metrics`;
  return {
    url,
    scrape: async () => (await fetch(url)).text(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
