/** Where a command writes; injectable so the commands can be driven in-process too. */
export interface CliIo {
  /** Standard output: the result (text or one JSON document). */
  out(text: string): void;
  /** Standard error: notices and errors. */
  err(text: string): void;
  /** Variables the command reads (credentials, presets, keys). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The process's streams and environment. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  env: process.env,
};

/** Writes `data` as one JSON document (pretty, stable order as built). */
export function printJson(io: CliIo, data: unknown): void {
  io.out(JSON.stringify(data, null, 2));
}

/** Formats a byte count for people (B, KiB, MiB, GiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Left-aligned text table with a header row. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
