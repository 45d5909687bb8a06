import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `shared/` sits beside the checkout (here /work/main ↔ /work/shared; in CI `<clone>/../shared`). */
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FERNET_FIXTURES_DIR = resolve(packageDir, '../../../shared/fixtures/fernet');

export interface GenerateCase { token: string; now: string; iv: number[]; src: string; secret: string }
export interface VerifyCase { token: string; now: string; ttl_sec: number; src: string; secret: string }
export interface InvalidCase { desc: string; token: string; now: string; ttl_sec: number; secret: string }

/** Reads one vector file; a missing directory fails loudly instead of silently running no case. */
export function loadFernetVectors<T>(name: 'generate' | 'verify' | 'invalid'): T[] {
  const file = resolve(FERNET_FIXTURES_DIR, `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(`Fernet spec vectors not found at ${file}: the shared/ fixtures directory must sit beside the checkout`);
  }
  const cases = JSON.parse(readFileSync(file, 'utf8')) as T[];
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`${file} holds no vectors`);
  return cases;
}

/** Whole Unix seconds of an ISO-8601 time with offset, e.g. `1985-10-26T01:20:00-07:00`. */
export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
