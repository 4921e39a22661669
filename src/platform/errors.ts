/**
 * Base of every expected error: a stable string code, a message a client can show, optional
 * details (e.g. the offending field). No HTTP status here; the API maps codes to statuses in one
 * place (src/api/errors.ts) and workers use the code as the job's failure result.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}
