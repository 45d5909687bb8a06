import { describe, expect, expectTypeOf, it } from 'vitest';
import { CacheInterface, isCacheInterface, type Duration, type SetOptions } from '../src/index.js';

describe('CacheInterface', () => {
  it('cannot be instantiated directly: a type error and a runtime TypeError', () => {
    const Abstract = CacheInterface as unknown as new () => unknown;
    expect(() => new Abstract()).toThrow(TypeError);
    // @ts-expect-error CacheInterface is abstract
    expect(() => new CacheInterface()).toThrow(/abstract/);
  });

  it('a subclass missing a method does not compile', () => {
    // @ts-expect-error exists() is not implemented
    class Incomplete extends CacheInterface {
      async get<T>(): Promise<T | null> {
        return null;
      }
      async set(): Promise<void> {}
      async delete(): Promise<boolean> {
        return false;
      }
      async getOrSet<T>(): Promise<T> {
        throw new Error('unused');
      }
    }
    expect(typeof Incomplete).toBe('function');
  });

  it('a subclass without getOrSet does not compile', () => {
    // @ts-expect-error getOrSet() is not implemented
    class NoReadThrough extends CacheInterface {
      async get<T>(): Promise<T | null> {
        return null;
      }
      async set(): Promise<void> {}
      async delete(): Promise<boolean> {
        return false;
      }
      async exists(): Promise<boolean> {
        return false;
      }
    }
    expect(typeof NoReadThrough).toBe('function');
  });

  it('types every method as returning a Promise', () => {
    expectTypeOf<CacheInterface['get']>().returns.toEqualTypeOf<Promise<unknown>>();
    expectTypeOf<CacheInterface['delete']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<CacheInterface['exists']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<CacheInterface['getOrSet']>().returns.toEqualTypeOf<Promise<unknown>>();
    expectTypeOf<CacheInterface['set']>().parameters.toEqualTypeOf<[string, unknown, (Duration | SetOptions | null)?]>();
  });

  it('isCacheInterface is structural', () => {
    const conforming = { get: async () => null, set: async () => {}, delete: async () => false, exists: async () => false, getOrSet: async () => 1 };
    expect(isCacheInterface(conforming)).toBe(true);
    expect(isCacheInterface({ ...conforming, getOrSet: undefined })).toBe(false);
    expect(isCacheInterface({ someMethod() {} })).toBe(false);
    expect(isCacheInterface({ ...conforming, exists: true })).toBe(false);
    expect(isCacheInterface(null)).toBe(false);
    expect(isCacheInterface('cache')).toBe(false);
  });
});
