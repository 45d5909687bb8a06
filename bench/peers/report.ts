// Turns the measured rounds into the markdown report: a ratio table (as in issue 15), an absolute
// table with the spread, footnotes (read-back failures, errors, notes) and every configuration.
import type { ColumnId, Row } from './rows.js';

/** What one contender produced in one row. */
export interface Cell {
  status: 'ok' | 'na' | 'failed';
  /** One value per completed round (ops/s, µs or factory calls). */
  values: number[];
  /** value / floor value, per round where both exist. */
  ratios: number[];
  /** Wall-clock rows run by one process: its CPU µs per operation, per round. */
  cpu: number[];
  /** cpu / the floor's cpu, per round where both exist (lower is better). */
  cpuRatios: number[];
  /** Why this contender's read-back failed, or null. */
  readBack: string | null;
  notes: string[];
  /** `n/a (…)` text or the error. */
  reason: string | null;
  config: string | null;
}

export interface RowResult {
  row: Row;
  floor: Cell | null;
  cells: Map<ColumnId, Cell>;
}

export interface ReportMeta {
  title: string;
  intro: string[];
  columns: Array<{ id: ColumnId; heading: string }>;
  /** Heading of the contender whose config is listed, per column id, plus 'floor'. */
  configHeading: (id: ColumnId | 'floor', row: Row) => string;
  rounds: number;
}

export const emptyCell = (): Cell => ({ status: 'ok', values: [], ratios: [], cpu: [], cpuRatios: [], readBack: null, notes: [], reason: null, config: null });

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const trim = (x: number, digits: number): string => x.toFixed(digits);

/** `8.31 M/s`, `412 k/s`, `95.2 k/s`, `112 µs`, `2`. */
export function formatValue(metric: Row['metric'], v: number): string {
  if (metric === 'p50') return `${v < 10 ? trim(v, 1) : Math.round(v)} µs`;
  if (metric === 'calls') return String(Math.round(v * 10) / 10);
  if (v >= 1e6) return `${trim(v / 1e6, 2)} M/s`;
  if (v >= 1e5) return `${Math.round(v / 1e3)} k/s`;
  if (v >= 1e3) return `${trim(v / 1e3, 1)} k/s`;
  return `${Math.round(v)} /s`;
}

const bare = (metric: Row['metric'], v: number): string => formatValue(metric, v).replace(/ (M\/s|k\/s|\/s|µs)$/, '');

function spread(values: readonly number[], show: (v: number) => string): string {
  if (values.length < 2) return '';
  const lo = show(Math.min(...values));
  const hi = show(Math.max(...values));
  return lo === hi ? '' : ` (${lo}–${hi})`;
}

/** Collects footnotes; returns ` ✗n` / ` ⁿ` marks. */
class Footnotes {
  readonly lines: string[] = [];
  mark(text: string, failed: boolean): string {
    let n = this.lines.indexOf(text) + 1;
    if (n === 0) n = this.lines.push(text);
    return failed ? ` ✗[${n}]` : ` [${n}]`;
  }
}

/** Read-back failures and notes are shared by every cell they apply to; a failure names the cell. */
function marks(cell: Cell, who: string, notes: Footnotes): string {
  let out = cell.status === 'failed' ? notes.mark(`${who}: ${cell.reason ?? 'failed'}`, true) : '';
  if (cell.readBack) out += notes.mark(`Read-back check failed before timing: ${cell.readBack.replace(/ \(key \d+\)$/, '')} (the cell is still timed).`, true);
  for (const note of new Set(cell.notes)) out += notes.mark(`${note[0]?.toUpperCase()}${note.slice(1)}.`, false);
  return out;
}

function unavailable(cell: Cell, who: string, notes: Footnotes): string | null {
  if (cell.status === 'na') return cell.reason ?? 'n/a';
  if (cell.status === 'failed' && cell.values.length === 0) return `failed${notes.mark(`${who}: ${cell.reason ?? 'failed'}`, true)}`;
  return null;
}

function ratioCell(r: RowResult, cell: Cell | undefined, who: string, notes: Footnotes): string {
  if (!cell) return '–';
  const na = unavailable(cell, who, notes);
  if (na) return na;
  const m = marks(cell, who, notes);
  if (r.row.metric === 'calls') return `${formatValue('calls', median(cell.values))}${spread(cell.values, (v) => formatValue('calls', v))}${m}`;
  if (cell.ratios.length === 0) return `${formatValue(r.row.metric, median(cell.values))}${m}`;
  return `${median(cell.ratios).toFixed(2)}×${spread(cell.ratios, (v) => v.toFixed(2))}${m}`;
}

function absoluteCell(r: RowResult, cell: Cell | undefined, who: string, notes: Footnotes): string {
  if (!cell) return '–';
  const na = unavailable(cell, who, notes);
  if (na) return na;
  return `${formatValue(r.row.metric, median(cell.values))}${spread(cell.values, (v) => bare(r.row.metric, v))}${marks(cell, who, notes)}`;
}

function floorCell(r: RowResult, absolute: boolean, notes: Footnotes): string {
  const { floor, row } = r;
  if (!row.floor || !floor) return row.metric === 'calls' ? 'ideal: 1' : '–';
  const na = unavailable(floor, `${row.floor.label} (${row.id})`, notes);
  if (na) return `${row.floor.label}: ${na}`;
  const value = formatValue(row.metric, median(floor.values));
  const range = absolute ? spread(floor.values, (v) => bare(row.metric, v)) : '';
  return `${row.floor.label} ${value}${range}${marks(floor, `${row.floor.label} (${row.id})`, notes)}`;
}

function table(results: RowResult[], meta: ReportMeta, notes: Footnotes, absolute: boolean): string[] {
  const heads = ['workload', 'floor', ...meta.columns.map((c) => c.heading)];
  const lines = [`| ${heads.join(' | ')} |`, `|${heads.map(() => '---').join('|')}|`];
  for (const r of results) {
    const cells = meta.columns.map((c) => {
      const who = `${c.heading} (${r.row.id})`;
      return absolute ? absoluteCell(r, r.cells.get(c.id), who, notes) : ratioCell(r, r.cells.get(c.id), who, notes);
    });
    lines.push(`| ${r.row.title} | ${floorCell(r, absolute, notes)} | ${cells.join(' | ')} |`);
  }
  return lines;
}

const cpuText = (xs: readonly number[]): string => `${median(xs).toFixed(1)} µs${spread(xs, (v) => v.toFixed(1))}`;

/** Wall-clock rows: each contender's own CPU per operation, as a ratio to the floor's and in µs. */
function cpuTable(results: RowResult[], meta: ReportMeta): string[] {
  const rows = results.filter((r) => r.floor !== null && r.floor.cpu.length > 0);
  if (rows.length === 0) return [];
  const heads = ['workload', 'floor', ...meta.columns.map((c) => c.heading)];
  const lines = [`| ${heads.join(' | ')} |`, `|${heads.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = meta.columns.map((c) => {
      const cell = r.cells.get(c.id);
      if (!cell || cell.cpu.length === 0) return '–';
      return cell.cpuRatios.length ? `${median(cell.cpuRatios).toFixed(2)}× (${median(cell.cpu).toFixed(1)} µs)` : cpuText(cell.cpu);
    });
    lines.push(`| ${r.row.title} | ${r.row.floor?.label ?? ''} ${cpuText(r.floor?.cpu ?? [])} | ${cells.join(' | ')} |`);
  }
  return [
    '## Client CPU per operation (wall-clock rows)',
    '',
    "The same rounds, counted in each contender's own process CPU time (user + system) per operation: steadier than wall time on a shared machine, but it leaves out the Redis server's work (which batching also cuts). Median ratio to the floor's CPU per operation — **lower is better** — with the median µs in brackets.",
    '',
    ...lines,
    '',
  ];
}

/** The whole report, markdown. */
export function renderReport(results: RowResult[], meta: ReportMeta, extra: string[]): string {
  const notes = new Footnotes();
  const spreadText = meta.rounds > 1 ? ' In brackets: min–max over the rounds.' : '';
  const out = [
    `# ${meta.title}`,
    '',
    ...meta.intro,
    '',
    '## Ratios to the floor',
    '',
    `Median of the per-round ratios; higher is better for ops/s rows, lower for µs (p50) rows; factory calls: lower is better, 1 is ideal.${spreadText}`,
    '',
    ...table(results, meta, notes, false),
    '',
    '## Absolute figures',
    '',
    `Medians over the rounds.${spreadText}`,
    '',
    ...table(results, meta, notes, true),
    '',
    ...cpuTable(results, meta),
  ];
  if (extra.length) out.push(...extra, '');
  if (notes.lines.length) out.push('## Notes', '', ...notes.lines.map((line, i) => `${i + 1}. ${line}`), '');
  const configs = new Map<string, string>();
  for (const r of results) {
    if (r.floor?.config) configs.set(meta.configHeading('floor', r.row), r.floor.config);
    for (const [id, cell] of r.cells) if (cell.config) configs.set(meta.configHeading(id, r.row), cell.config);
  }
  out.push('## How each contender is configured', '', ...[...configs].map(([who, config]) => `- **${who}**: ${config}`), '');
  return out.join('\n');
}
