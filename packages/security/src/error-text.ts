/** The message of a thrown value, for error messages and logs (never its stack). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The class name of a thrown value (`typeof` for non-errors), for structured log fields. */
export function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
