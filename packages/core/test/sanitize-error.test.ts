import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InfrastructureError, sanitizeError } from '../src/index.js';

/** Shaped like ioredis' ReplyError for a failed `HELLO 3 AUTH default <password>` (the object ioredis attaches). */
function replyErrorWithCommand(password: string): Error {
  const error = new Error('WRONGPASS invalid username-password pair or user is disabled.');
  error.name = 'ReplyError';
  Object.assign(error, { command: { name: 'hello', args: ['3', 'AUTH', 'default', password] }, previousErrors: [new Error(`AUTH default ${password}`)] });
  return error;
}

const everything = (value: unknown): string => `${inspect(value, { depth: Infinity, showHidden: true })}\n${JSON.stringify(value)}\n${String(value)}`;

describe('sanitizeError', () => {
  it('keeps name, code and message but drops the command object and nested errors carrying the password', () => {
    const raw = replyErrorWithCommand('hunter2-secret');
    expect(everything(raw)).toContain('hunter2-secret');
    const clean = sanitizeError(raw);
    expect(clean).toBeInstanceOf(Error);
    expect(clean.name).toBe('ReplyError');
    expect(clean.message).toBe('WRONGPASS invalid username-password pair or user is disabled.');
    expect(everything(clean)).not.toContain('hunter2-secret');
    expect(Object.keys(clean)).toEqual([]);
    expect(clean.cause).toBeUndefined();
  });

  it('removes credential-bearing command arguments and URL credentials from the message text', () => {
    const cases: Array<[string, string]> = [
      ['ERR failed: AUTH default s3cr3t-pass', 's3cr3t-pass'],
      ['Command failed: HELLO 3 AUTH alice s3cr3t-pass', 's3cr3t-pass'],
      ['connect to redis://alice:s3cr3t-pass@10.0.0.1:6379 failed', 's3cr3t-pass'],
    ];
    for (const [message, secret] of cases) expect(sanitizeError(new Error(message)).message).not.toContain(secret);
    const withArgs = Object.assign(new Error('ERR value s3cr3t-pass is wrong'), { command: { name: 'set', args: ['k', Buffer.from('s3cr3t-pass')] } });
    expect(sanitizeError(withArgs).message).toBe('ERR value *** is wrong');
  });

  it('copies a string code (system errors) and the stack frames, nothing else', () => {
    const raw = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', errno: -111, address: '127.0.0.1' });
    const clean = sanitizeError(raw) as Error & { code?: string };
    expect(clean.code).toBe('ECONNREFUSED');
    expect(Object.keys(clean)).toEqual(['code']);
    expect(clean.stack?.split('\n')[0]).toBe('Error: connect ECONNREFUSED 127.0.0.1:1');
    expect(clean.stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('turns non-errors into errors and returns a CacheError unchanged', () => {
    expect(sanitizeError('plain text')).toMatchObject({ name: 'Error', message: 'plain text' });
    const ours = new InfrastructureError('Redis down', { code: 'X' });
    expect(sanitizeError(ours)).toBe(ours);
  });
});
