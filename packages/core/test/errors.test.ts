import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  CacheError,
  ConfigurationError,
  InfrastructureError,
  ValidationError,
  isConfigurationError,
  isInfrastructureError,
  isValidationError,
} from '../src/index.js';

const classes = [
  [ConfigurationError, 'CONFIGURATION_ERROR', isConfigurationError],
  [ValidationError, 'VALIDATION_ERROR', isValidationError],
  [InfrastructureError, 'INFRASTRUCTURE_ERROR', isInfrastructureError],
] as const;

describe('error hierarchy', () => {
  it.each(classes)('%o is an Error and a CacheError with its name and default code', (Cls, code, guard) => {
    const err = new Cls('something went wrong');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(CacheError);
    expect(err).toBeInstanceOf(Cls);
    expect(err.name).toBe(Cls.name);
    expect(err.code).toBe(code);
    expect(err.message).toBe('something went wrong');
    expect(err.context).toEqual({});
    expect(Object.isFrozen(err.context)).toBe(true);
    expect(CacheError.isCacheError(err)).toBe(true);
    expect(guard(err)).toBe(true);
    expect(err.stack).toContain('something went wrong');
  });

  it('keeps an explicit code, a frozen copy of the context and the cause', () => {
    const cause = new Error('socket closed');
    const context = { validation_type: 'ttl', ttl: -1 };
    const err = new ValidationError('bad ttl', { code: 'INVALID_TTL', context, cause });
    expect(err.code).toBe('INVALID_TTL');
    expect(err.context).toEqual(context);
    expect(err.context).not.toBe(context);
    expect(Object.isFrozen(err.context)).toBe(true);
    expect(err.cause).toBe(cause);
    expect(err.message).toBe('bad ttl');
    expect(() => {
      (err.context as Record<string, unknown>)['ttl'] = 5;
    }).toThrow(TypeError);
  });

  it('has no cause property when none is given', () => {
    expect('cause' in new ConfigurationError('x')).toBe(false);
  });

  it('toJSON has name, code, message and context but no stack', () => {
    const json = new InfrastructureError('redis down', { context: { error_type: 'connection' } }).toJSON();
    expect(json).toEqual({
      name: 'InfrastructureError',
      code: 'INFRASTRUCTURE_ERROR',
      message: 'redis down',
      context: { error_type: 'connection' },
    });
    expect(JSON.stringify(new ValidationError('v'))).not.toContain('stack');
  });

  it('guards tell the classes apart and refuse non-errors', () => {
    const v = new ValidationError('v');
    expect(isConfigurationError(v)).toBe(false);
    expect(isInfrastructureError(v)).toBe(false);
    for (const x of [new Error('plain'), null, undefined, 'ValidationError', { name: 'ValidationError', code: 'X' }]) {
      expect(CacheError.isCacheError(x)).toBe(false);
      expect(isValidationError(x)).toBe(false);
    }
  });

  it('a subclass keeps its own name and inherits its parent default code and guard', () => {
    class KeyRotationError extends ConfigurationError {}
    const err = new KeyRotationError('rotate');
    expect(err.name).toBe('KeyRotationError');
    expect(err.code).toBe('CONFIGURATION_ERROR');
    expect(isConfigurationError(err)).toBe(true);
    expect(isValidationError(err)).toBe(false);
  });

  it('guards recognise errors created by a second copy of core (CJS build beside the ESM source)', () => {
    const require = createRequire(import.meta.url);
    const other = require('../dist/index.cjs') as typeof import('../src/index.js');
    expect(other.ConfigurationError).not.toBe(ConfigurationError);
    const foreign = new other.ConfigurationError('from the other copy', { code: 'INVALID_CONFIGURATION' });
    expect(foreign instanceof ConfigurationError).toBe(false);
    expect(isConfigurationError(foreign)).toBe(true);
    expect(CacheError.isCacheError(foreign)).toBe(true);
    expect(isValidationError(foreign)).toBe(false);
    expect(other.isValidationError(new ValidationError('local'))).toBe(true);
  });
});
