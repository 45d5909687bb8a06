import { defineConfig } from 'vitest/config';

// Room for a loaded 2-core machine: tests that spawn processes or servers, and property tests, can exceed vitest's 5 s default there.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
