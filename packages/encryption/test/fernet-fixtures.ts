import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Fernet spec's own vectors, copied into the repository (source and licence: fixtures/fernet/README.md). */
const FERNET_FIXTURES_DIR = new URL('./fixtures/fernet/', import.meta.url);

export interface GenerateCase { token: string; now: string; iv: number[]; src: string; secret: string }
export interface VerifyCase { token: string; now: string; ttl_sec: number; src: string; secret: string }
export interface InvalidCase { desc: string; token: string; now: string; ttl_sec: number; secret: string }

/** Reads one vector file; an empty file fails loudly instead of silently running no case. */
export function loadFernetVectors<T>(name: 'generate' | 'verify' | 'invalid'): T[] {
  const file = fileURLToPath(new URL(`${name}.json`, FERNET_FIXTURES_DIR));
  const cases = JSON.parse(readFileSync(file, 'utf8')) as T[];
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`${file} holds no vectors`);
  return cases;
}

/** Whole Unix seconds of an ISO-8601 time with offset, e.g. `1985-10-26T01:20:00-07:00`. */
export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
