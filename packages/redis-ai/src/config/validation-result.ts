/**
 * Outcome of checking AI cache parameters (the Python `ValidationResult`, renamed because
 * `@cache/presets` owns another one). Starts valid; `addError` (and `addConflict`) make it invalid;
 * warnings and recommendations never change validity.
 */
export class ParameterValidationResult {
  /** False once any error was added. */
  isValid: boolean;
  /** Error messages, in the order found. */
  readonly errors: string[];
  /** Warnings: accepted, but probably not what was meant. */
  readonly warnings: string[];
  /** Suggestions that change nothing about validity. */
  readonly recommendations: string[];
  /** Conflicting parameter → description. */
  readonly parameterConflicts: Record<string, string>;
  /** Parameter names classified as AI-specific. */
  readonly aiSpecificParams: Set<string>;
  /** Parameter names classified as generic (GenericRedisCache). */
  readonly genericParams: Set<string>;
  /** Free-form details of the check. */
  context: Record<string, unknown>;

  /** A valid result with empty collections, or the given parts (copied). */
  constructor(init: Partial<Omit<ParameterValidationResult, 'addError' | 'addWarning' | 'addRecommendation' | 'addConflict'>> = {}) {
    this.errors = [...(init.errors ?? [])];
    this.isValid = init.isValid ?? this.errors.length === 0;
    this.warnings = [...(init.warnings ?? [])];
    this.recommendations = [...(init.recommendations ?? [])];
    this.parameterConflicts = { ...(init.parameterConflicts ?? {}) };
    this.aiSpecificParams = new Set(init.aiSpecificParams ?? []);
    this.genericParams = new Set(init.genericParams ?? []);
    this.context = { ...(init.context ?? {}) };
  }

  /** Appends an error and marks the result invalid. */
  addError(message: string): void {
    this.errors.push(message);
    this.isValid = false;
  }

  /** Appends a warning. */
  addWarning(message: string): void {
    this.warnings.push(message);
  }

  /** Appends a recommendation. */
  addRecommendation(message: string): void {
    this.recommendations.push(message);
  }

  /** Records a conflict and adds the error `Parameter conflict for '<parameter>': <description>`. */
  addConflict(parameter: string, description: string): void {
    this.parameterConflicts[parameter] = description;
    this.addError(`Parameter conflict for '${parameter}': ${description}`);
  }
}
