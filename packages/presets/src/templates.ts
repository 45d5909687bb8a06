import { ConfigurationError } from '@cache/core';

const TEMPLATES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  fast_development: {
    strategy: 'fast', defaultTtl: 600, maxConnections: 3, connectionTimeout: 2, memoryCacheSize: 50,
    compressionThreshold: 2000, compressionLevel: 3, enableAiCache: false, enableMonitoring: true, logLevel: 'DEBUG',
  },
  robust_production: {
    strategy: 'robust', defaultTtl: 7200, maxConnections: 20, connectionTimeout: 10, memoryCacheSize: 500,
    compressionThreshold: 500, compressionLevel: 9, enableAiCache: false, enableMonitoring: true, logLevel: 'INFO',
  },
  ai_optimized: {
    strategy: 'ai_optimized', defaultTtl: 14_400, maxConnections: 25, connectionTimeout: 15, memoryCacheSize: 1000,
    compressionThreshold: 300, compressionLevel: 9, enableAiCache: true, ai: { textHashThreshold: 1000 },
    enableMonitoring: true, logLevel: 'INFO',
  },
};

/** Template names, in order: `fast_development`, `robust_production`, `ai_optimized`. */
export function listTemplates(): string[] {
  return Object.keys(TEMPLATES);
}

/** A fresh copy of a configuration template; unknown name → `ConfigurationError` `UNKNOWN_TEMPLATE`. */
export function getTemplate(name: string): Record<string, unknown> {
  const template = Object.hasOwn(TEMPLATES, name) ? TEMPLATES[name] : undefined;
  if (!template) {
    const available = listTemplates();
    throw new ConfigurationError(`Unknown template ${JSON.stringify(name)}. Available: ${available.join(', ')}`, {
      code: 'UNKNOWN_TEMPLATE',
      context: { requested_template: name, available },
    });
  }
  return structuredClone(template) as Record<string, unknown>;
}
