import type { Logger } from '@cache/core';

/** Security relaxations that are warned about once per process. */
export type OptOutKind = 'tls_disabled' | 'certificate_verification_disabled';

const MESSAGES: Readonly<Record<OptOutKind, string>> = {
  tls_disabled:
    'Redis TLS is disabled (useTls: false): commands, data and AUTH credentials travel in plain text. ' +
    'Only acceptable for local development or tests; set useTls: true (REDIS_TLS_ENABLED=true) elsewhere.',
  certificate_verification_disabled:
    'Redis TLS certificate verification is disabled (verifyCertificates: false): the connection is open to ' +
    'man-in-the-middle attacks. Set verifyCertificates: true and provide tlsCaPath instead.',
};

const warned = new Set<OptOutKind>();

/** Logs the warning for `kind` the first time it is seen in this process; later calls are silent. */
export function warnOptOutOnce(kind: OptOutKind, logger: Logger): void {
  if (warned.has(kind)) return;
  warned.add(kind);
  logger.warn(MESSAGES[kind], { security_opt_out: kind });
}
