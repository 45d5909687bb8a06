import { ConfigurationError } from '@cache/core';
import type { SecurityConfigValues } from './config-validation.js';
import { messageOf } from './error-text.js';

/** PEM buffers for the TLS client: certificate + key (mutual TLS) and CA. */
export interface TlsMaterial {
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly ca?: Buffer;
}

function read(path: string, readFile: (path: string) => Buffer): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    throw new ConfigurationError(
      `Failed to load TLS material from ${path}: ${messageOf(error)}. ` +
        'Fix: make the file readable by this process or correct the configured path.',
      { code: 'TLS_CONTEXT_FAILED', context: { validation_type: 'tls_context', path }, cause: error },
    );
  }
}

/**
 * Reads the TLS files of a configuration (nothing without TLS): cert + key only when both are
 * set, the CA when set. A read failure throws `ConfigurationError` `TLS_CONTEXT_FAILED`.
 */
export function loadTlsMaterial(config: SecurityConfigValues, readFile: (path: string) => Buffer): TlsMaterial {
  if (!config.useTls) return {};
  const material: { cert?: Buffer; key?: Buffer; ca?: Buffer } = {};
  if (config.tlsCertPath !== null && config.tlsKeyPath !== null) {
    material.cert = read(config.tlsCertPath, readFile);
    material.key = read(config.tlsKeyPath, readFile);
  }
  if (config.tlsCaPath !== null) material.ca = read(config.tlsCaPath, readFile);
  return Object.freeze(material);
}
