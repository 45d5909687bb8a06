import { CacheError, detectEnvironment, redactUrl, type Logger } from '@cache/core';
import { createEncryptionLayerFromEnv } from '@cache/encryption';
import { resolveCacheConfig, type CacheConfig } from '@cache/presets';
import { createSecurityConfigFromEnv, type SecurityConfig } from '@cache/security';
import { parseCommandArgs } from './args.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { printJson, type CliIo } from './output.js';

/** `cache validate --help`. */
export const VALIDATE_HELP = `Usage: cache validate [--preset NAME] [--json]

Checks, without connecting, that this environment configures a valid and secure cache:
  preset      CACHE_PRESET (or --preset; auto-detected otherwise), CACHE_REDIS_URL, ENABLE_AI_CACHE,
              CACHE_CUSTOM_CONFIG (@cache/presets)
  security    REDIS_ACL_USERNAME/REDIS_ACL_PASSWORD or REDIS_AUTH, REDIS_USE_TLS, REDIS_TLS_CA_PATH,
              REDIS_VERIFY_CERTIFICATES, … and the rules of the detected environment (@cache/security)
  encryption  REDIS_ENCRYPTION_KEY, REDIS_ENCRYPTION_PREVIOUS_KEYS (@cache/encryption)
Values of secrets are never printed (only whether they are set).

Exit: 0 valid, 1 at least one error.`;

/** One problem, from which part of the configuration. */
interface Problem {
  source: 'preset' | 'security' | 'encryption';
  message: string;
}

function messageOf(error: unknown): string {
  if (CacheError.isCacheError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}

function collectingLogger(source: Problem['source'], warnings: Problem[]): Logger {
  const noop = () => undefined;
  return { debug: noop, info: noop, error: (message) => warnings.push({ source, message }), warn: (message) => warnings.push({ source, message }) };
}

/** Validates preset, security and encryption settings of the environment; prints a report. */
export async function runValidate(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs('validate', argv, { preset: { type: 'string' } }, { min: 0, max: 0 });
  if (values.help) {
    io.out(VALIDATE_HELP);
    return EXIT.ok;
  }
  const env = io.env;
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const environment = detectEnvironment(env);

  let config: CacheConfig | null = null;
  try {
    config = resolveCacheConfig({ env, ...(values.preset === undefined ? {} : { preset: values.preset }), logger: collectingLogger('preset', warnings) });
  } catch (error) {
    errors.push({ source: 'preset', message: messageOf(error) });
  }

  let security: SecurityConfig | null = null;
  try {
    security = createSecurityConfigFromEnv(env, { logger: collectingLogger('security', warnings) });
    security.validateMandatorySecurityRequirements();
  } catch (error) {
    errors.push({ source: 'security', message: messageOf(error) });
  }

  const keySet = (env['REDIS_ENCRYPTION_KEY'] ?? '').trim() !== '';
  const previousKeys = (env['REDIS_ENCRYPTION_PREVIOUS_KEYS'] ?? '').split(',').filter((k) => k.trim() !== '').length;
  try {
    createEncryptionLayerFromEnv({ env, logger: collectingLogger('encryption', warnings) });
  } catch (error) {
    errors.push({ source: 'encryption', message: messageOf(error) });
  }

  const report = {
    valid: errors.length === 0,
    environment: { name: environment.environment, confidence: environment.confidence, reasoning: environment.reasoning },
    preset: config && {
      name: config.presetName,
      strategy: config.strategy,
      defaultTtl: config.defaultTtl,
      redisUrl: config.redisUrl === null ? null : redactUrl(config.redisUrl),
      aiCache: config.enableAiCache,
    },
    security: security && {
      level: security.securityLevel,
      tls: security.useTls,
      verifyCertificates: security.verifyCertificates,
      authentication: security.aclUsername !== null ? 'ACL' : security.redisAuth !== null ? 'AUTH' : null,
      caPath: security.tlsCaPath,
    },
    encryption: { key: keySet ? 'set' : 'missing', previousKeys },
    errors,
    warnings,
  };
  if (values.json) {
    printJson(io, report);
  } else {
    io.out(`environment: ${report.environment.name} (confidence ${report.environment.confidence}; ${report.environment.reasoning})`);
    if (report.preset) {
      io.out(`preset: ${report.preset.name ?? '(none)'} — strategy ${report.preset.strategy}, default TTL ${report.preset.defaultTtl} s, AI cache ${report.preset.aiCache ? 'on' : 'off'}, Redis ${report.preset.redisUrl ?? '(not set)'}`);
    }
    if (report.security) {
      io.out(`security: ${report.security.level} — TLS ${report.security.tls ? 'on' : 'off'}, verification ${report.security.verifyCertificates ? 'on' : 'off'}, authentication ${report.security.authentication ?? 'none'}, CA ${report.security.caPath ?? '(system store)'}`);
    }
    io.out(`encryption: REDIS_ENCRYPTION_KEY ${report.encryption.key}${previousKeys > 0 ? `, ${previousKeys} previous key(s)` : ''}`);
    for (const e of errors) io.out(`error [${e.source}]: ${e.message}`);
    for (const w of warnings) io.out(`warning [${w.source}]: ${w.message}`);
    io.out(report.valid ? 'valid' : `invalid: ${errors.length} error(s)`);
  }
  return report.valid ? EXIT.ok : EXIT.findings;
}
