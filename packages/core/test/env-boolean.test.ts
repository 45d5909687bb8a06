import { describe, expect, it } from 'vitest';
import { parseEnvBoolean } from '../src/index.js';

describe('parseEnvBoolean', () => {
  it.each(['true', '1', 'yes', 'on', ' TRUE ', 'Yes'])('%o → true', (raw) => {
    expect(parseEnvBoolean('FLAG', raw)).toBe(true);
  });
  it.each(['false', '0', 'no', 'off', ' Off'])('%o → false', (raw) => {
    expect(parseEnvBoolean('FLAG', raw)).toBe(false);
  });
  it.each([undefined, '', '   '])('%o → undefined (unset)', (raw) => {
    expect(parseEnvBoolean('FLAG', raw)).toBeUndefined();
  });
  it.each(['maybe', 'enabled', '2', 'y'])('%o → ConfigurationError naming the variable', (raw) => {
    expect(() => parseEnvBoolean('CACHE_ENABLED', raw)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', code: 'INVALID_ENV_BOOLEAN', message: expect.stringContaining('CACHE_ENABLED') }),
    );
  });
});
