/** Severity of a {@link ValidationMessage}: only `error` makes a result invalid. */
export type ValidationSeverity = 'error' | 'warning' | 'info';

/** One finding of a validation, with the field it concerns (`''` for the whole object) and structured context. */
export interface ValidationMessage {
  severity: ValidationSeverity;
  message: string;
  fieldPath: string;
  context: Record<string, unknown>;
}

/** Options of `addError` / `addWarning` / `addInfo`. */
export interface ValidationMessageOptions {
  fieldPath?: string;
  context?: Record<string, unknown>;
}

/**
 * Outcome of a validation: starts valid; `addError` makes it invalid, warnings and info never do.
 * Messages keep insertion order, field path and context.
 */
export class ValidationResult {
  /** False once any error has been added. */
  isValid: boolean;
  /** Every message, in insertion order. */
  readonly messages: ValidationMessage[] = [];
  /** What was validated (`preset`, `configuration`, `custom_overrides`, …); default `unknown`. */
  validationType: string;
  /** Version of the rules applied; default `1.0`. */
  schemaVersion: string;

  constructor(init: { isValid?: boolean; validationType?: string; schemaVersion?: string } = {}) {
    this.isValid = init.isValid ?? true;
    this.validationType = init.validationType ?? 'unknown';
    this.schemaVersion = init.schemaVersion ?? '1.0';
  }

  /** Error texts, in insertion order. */
  get errors(): string[] {
    return this.#texts('error');
  }

  /** Warning texts, in insertion order. */
  get warnings(): string[] {
    return this.#texts('warning');
  }

  /** Info texts, in insertion order. */
  get info(): string[] {
    return this.#texts('info');
  }

  /** Records an error and marks the result invalid. */
  addError(message: string, o: ValidationMessageOptions = {}): void {
    this.#add('error', message, o);
    this.isValid = false;
  }

  /** Records a warning (validity unchanged). */
  addWarning(message: string, o: ValidationMessageOptions = {}): void {
    this.#add('warning', message, o);
  }

  /** Records an informational note (validity unchanged). */
  addInfo(message: string, o: ValidationMessageOptions = {}): void {
    this.#add('info', message, o);
  }

  #add(severity: ValidationSeverity, message: string, o: ValidationMessageOptions): void {
    this.messages.push({ severity, message, fieldPath: o.fieldPath ?? '', context: o.context ?? {} });
  }

  #texts(severity: ValidationSeverity): string[] {
    return this.messages.filter((m) => m.severity === severity).map((m) => m.message);
  }
}
