// Recognises errors that mean "a dependency is down or unreachable", so the API can answer 503
// instead of 500 and workers can retry instead of failing the job.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST']);
const REDIS_MESSAGES = [/Connection is closed/i, /Stream isn't writeable/i, /Reached the max retries per request/i, /connect ETIMEDOUT/i];

export function isDependencyError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (name === 'ConnectionException' || name === 'MaxRetriesPerRequestError') return true;
    if (typeof name === 'string' && name.startsWith('KafkaJS') && /Connection|Broker|Timeout/.test(name)) return true;
    if (typeof message === 'string' && REDIS_MESSAGES.some((r) => r.test(message))) return true;
  }
  return false;
}
