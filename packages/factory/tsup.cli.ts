import { defineConfig } from 'tsup';

// The `cache` command: one ESM file with its shebang (the library entries are configured separately).
export default defineConfig([
  {
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: false,
    dts: false,
  },
]);
