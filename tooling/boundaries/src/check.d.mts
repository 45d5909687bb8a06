/** One breach of design.md's dependency table. */
export interface Violation { pkg: string; file: string; line: number; message: string }
/** One package's row of the table. */
export interface Rule { cache: string[]; runtime: string[]; optionalPeers?: string[] }
export function importsOf(text: string): Array<{ specifier: string; line: number }>;
export function checkBoundaries(root: string, rules: Record<string, Rule>): Violation[];
