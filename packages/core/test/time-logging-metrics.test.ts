import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ManualClock,
  createCoarseClock,
  createConsoleLogger,
  defaultLogger,
  isLogLevelEnabled,
  guardRecorderCall,
  logRecorderFailure,
  silentLogger,
  systemClock,
  monotonicClock,
  type CacheMetricsRecorder,
  type Logger,
} from '../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function spyConsole() {
  return {
    debug: vi.spyOn(console, 'debug').mockImplementation(() => {}),
    info: vi.spyOn(console, 'info').mockImplementation(() => {}),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
  };
}

describe('clocks', () => {
  it('ManualClock starts where told and moves exactly', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(61_000);
    expect(clock.now()).toBe(62_000);
    clock.set(5);
    expect(clock.now()).toBe(5);
    expect(new ManualClock().now()).toBe(0);
  });

  it('systemClock follows vitest fake system time (fake timers)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    expect(systemClock.now()).toBe(Date.UTC(2030, 0, 1));
    vi.advanceTimersByTime(1_500);
    expect(systemClock.now()).toBe(Date.UTC(2030, 0, 1) + 1_500);
  });
});

describe('monotonic clock', () => {
  it('reads epoch-like milliseconds that never go back', () => {
    const first = monotonicClock.now();
    expect(Math.abs(first - Date.now())).toBeLessThan(60_000);
    let previous = first;
    for (let i = 0; i < 1000; i++) {
      const next = monotonicClock.now();
      expect(next).toBeGreaterThanOrEqual(previous);
      previous = next;
    }
  });

  it('does not follow a change of the system time (vi.setSystemTime moves Date only)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const before = monotonicClock.now();
    vi.setSystemTime(Date.now() - 86_400_000);
    const after = monotonicClock.now();
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after - before).toBeLessThan(60_000);
    expect(systemClock.now()).toBeLessThan(before - 86_000_000);
  });
});

describe('coarse clock', () => {
  it('reads the monotonic clock once per resolution window of timer progress', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const clock = createCoarseClock(5);
    const start = clock.now();
    expect(start).toBe(monotonicClock.now());
    vi.advanceTimersByTime(3);
    expect(clock.now()).toBe(start);
    vi.setSystemTime(Date.now() - 86_400_000);
    vi.advanceTimersByTime(2);
    expect(clock.now()).toBe(start + 5);
  });

  it.each([0, -1, 1.5, 1001, Number.NaN])('refuses resolution %o with INVALID_CONFIGURATION', (ms) => {
    expect(() => createCoarseClock(ms)).toThrow(expect.objectContaining({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION' }));
  });
});

describe('loggers', () => {
  it('defaultLogger emits warn and error only', () => {
    const spies = spyConsole();
    defaultLogger.debug('d');
    defaultLogger.info('i');
    defaultLogger.warn('w', { k: 1 });
    defaultLogger.error('e');
    expect(spies.debug).not.toHaveBeenCalled();
    expect(spies.info).not.toHaveBeenCalled();
    expect(spies.warn).toHaveBeenCalledWith('[@cache] w', { k: 1 });
    expect(spies.error).toHaveBeenCalledWith('[@cache] e');
  });

  it('a debug-level console logger emits all four levels', () => {
    const spies = spyConsole();
    const log = createConsoleLogger({ level: 'debug' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    for (const spy of Object.values(spies)) expect(spy).toHaveBeenCalledTimes(1);
  });

  it('isLogLevelEnabled knows which levels core loggers drop and asks pino-style loggers', () => {
    expect(isLogLevelEnabled(defaultLogger, 'debug')).toBe(false);
    expect(isLogLevelEnabled(defaultLogger, 'info')).toBe(false);
    expect(isLogLevelEnabled(defaultLogger, 'warn')).toBe(true);
    expect(isLogLevelEnabled(silentLogger, 'error')).toBe(false);
    expect(isLogLevelEnabled(createConsoleLogger({ level: 'debug' }), 'debug')).toBe(true);
    const custom: Logger = { debug() {}, info() {}, warn() {}, error() {} };
    expect(isLogLevelEnabled(custom, 'debug')).toBe(true);
    const pinoLike = { ...custom, isLevelEnabled: (level: string) => level !== 'debug' };
    expect(isLogLevelEnabled(pinoLike, 'debug')).toBe(false);
    expect(isLogLevelEnabled(pinoLike, 'info')).toBe(true);
  });

  it('silentLogger and level silent emit nothing', () => {
    const spies = spyConsole();
    for (const log of [silentLogger, createConsoleLogger({ level: 'silent' })]) {
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error('e');
    }
    for (const spy of Object.values(spies)) expect(spy).not.toHaveBeenCalled();
  });
});

describe('metrics recorder guard', () => {
  /** A stub caller doing what every cache does around its recorder hooks. */
  async function cachedOperation(recorder: CacheMetricsRecorder, logger: Logger): Promise<string> {
    try {
      guardRecorderCall(recorder.recordOperation('get', 1.5, true), logger);
    } catch (error) {
      logRecorderFailure(logger, error);
    }
    return 'value';
  }

  function recordingLogger(): Logger & { debugs: Array<[string, unknown]> } {
    const debugs: Array<[string, unknown]> = [];
    return { debugs, debug: (m, meta) => debugs.push([m, meta]), info: () => {}, warn: () => {}, error: () => {} };
  }

  it('a recorder that throws does not break the operation and is logged at debug', async () => {
    const logger = recordingLogger();
    const throwing: CacheMetricsRecorder = {
      recordOperation() {
        throw new TypeError('boom');
      },
    };
    await expect(cachedOperation(throwing, logger)).resolves.toBe('value');
    expect(logger.debugs).toEqual([['metrics recorder failed; ignored', { error_type: 'TypeError' }]]);
  });

  it('a recorder that rejects does not break the operation nor leave an unhandled rejection', async () => {
    const logger = recordingLogger();
    const rejecting: CacheMetricsRecorder = { recordOperation: () => Promise.reject(new RangeError('later')) };
    await expect(cachedOperation(rejecting, logger)).resolves.toBe('value');
    await new Promise((r) => setImmediate(r));
    expect(logger.debugs).toEqual([['metrics recorder failed; ignored', { error_type: 'RangeError' }]]);
  });
});
