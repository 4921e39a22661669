// One zod schema over the environment, parsed once at start-up. A bad value stops the process
// with a message naming every offending variable. Secrets have no defaults outside development.
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const csv = z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean));

// --- abuse, limits and secrets (issue 12): helpers -------------------------------------------
/** `points/seconds` (e.g. `30/60`), or `off`: one rate limit of a route class per user or per IP. */
const limit = (def: string) =>
  z.string().default(def).transform((v, ctx) => {
    if (v === 'off' || v === '0') return undefined;
    const m = /^(\d{1,7})\/(\d{1,6})$/.exec(v);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
      ctx.addIssue({ code: 'custom', message: 'must be "points/seconds" (e.g. 30/60) or "off"' });
      return z.NEVER;
    }
    return { points: Number(m[1]), seconds: Number(m[2]) };
  });
const list = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
/** Express `trust proxy`: false, true (any hop: only behind a proxy that overwrites X-Forwarded-For), a hop count, or addresses/subnets. */
const trustProxy = z.string().default('false').transform((v): boolean | number | string[] => {
  if (v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  return v.split(',').map((x) => x.trim()).filter(Boolean);
});
/**
 * Values that were ever public (this repo's development defaults, compose demo values, test
 * fixtures, .env.example): production refuses to start with any of them.
 */
const KNOWN_DEV_SECRETS: readonly string[] = [
  'encore-development-secret-do-not-use-in-production',
  'encore-compose-demo-secret-change-me-please',
  'test-secret-test-secret-test-secret-0123',
  'encore-dev-admin',
  'encore-compose-admin',
  'test-admin-password',
  'encore-dev-ops-token-not-secret-0000',
  'change-me',
  'changeme',
  'password',
];
const KNOWN_DB_PASSWORDS = ['encore', 'root', 'password', ''];
const DEV = {
  JWT_SECRET: 'encore-development-secret-do-not-use-in-production',
  ADMIN_USER: 'admin',
  ADMIN_PASSWORD: 'encore-dev-admin',
};
// ----------------------------------------------------------------------------------------------

const envSchema = z
  .object({
    // Unset means production: a process someone forgot to configure must fail closed, not run with
    // development secrets (`npm run start:*`, the tests and `npm run up` set development/test).
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    PORT: int(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.string().url().optional(),
    DB_DRIVER: z.enum(['mariadb', 'mysql']).default('mariadb'),
    // A Unix socket path to reach MySQL on the same host instead of TCP (DATABASE_URL still gives
    // user, password and database). Loopback TCP cost the workers a third of their CPU in a rush.
    DATABASE_SOCKET: z.string().optional(),
    DB_POOL_MAX: int(20, 1),
    REDIS_URL: z.string().url().optional(),
    // Prefixes every Redis key and BullMQ queue; tests use a random one per file for isolation.
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('encore'),
    // Seed nodes of a Redis Cluster (host:port, comma-separated); when set every client is a
    // Cluster client and REDIS_URL is not used (docs/topologies.md).
    REDIS_CLUSTER_NODES: csv.optional(),
    // Independent Redis masters (redis:// URLs) for Redlock's quorum; unset = the main client.
    REDLOCK_NODES: csv.optional(),
    // API processes per host (node:cluster), sharing PORT.
    API_PROCESSES: int(1, 1),
    KAFKA_BROKERS: z.string().default('127.0.0.1:9092').transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)),
    KAFKA_CLIENT_ID: z.string().default('encore'),
    KAFKA_TOPIC_PREFIX: z.string().default(''),
    KAFKA_TOPIC_PARTITIONS: int(3, 1),
    KAFKA_REPLICATION_FACTOR: int(1, 1),
    // A consumer that vanished (crash, broker restart) is noticed after this; its partitions then move on.
    KAFKA_SESSION_TIMEOUT_MS: int(30_000, 6000),
    // The JWT claim that lists the caller's roles (array or space-separated string); `admin` opens /api/admin.
    JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
    BODY_LIMIT: z.string().default('16kb'),
    // The organizer API's bodies (a schedule with its whole seat map: 1,000 explicit seats ~30 kB).
    ADMIN_BODY_LIMIT: z.string().default('1mb'),
    QUEUE_MAX_ACTIVE: int(100, 1),
    QUEUE_TICK_MS: int(1000, 50),
    QUEUE_ACTIVE_TTL_SECONDS: int(600, 1),
    QUEUE_IDLE_TIMEOUT_SECONDS: int(300, 1),
    // Admission follows what the sale can absorb: ACTIVE fans ≤ this × seats neither sold nor held.
    QUEUE_ADMIT_PER_SEAT: z.coerce.number().positive().default(1.5),
    // Most admissions per second per concert (unset: no cap).
    QUEUE_ADMIT_RATE: z.coerce.number().positive().optional(),
    // Nobody is admitted while more hold jobs than this wait for a worker (0: no such pause), so a
    // rush waits in the line, where waiting is cheap and its ETA honest, not after submitting.
    QUEUE_ADMIT_MAX_HOLD_BACKLOG: int(300, 0),
    // An ACTIVE fan with no request carrying their token for this long loses the slot.
    QUEUE_ACTIVE_IDLE_SECONDS: int(120, 1),
    // HMAC key of the queue tokens (they are signed, not stored); unset: derived from JWT_SECRET.
    QUEUE_TOKEN_SECRET: z.string().min(32, 'QUEUE_TOKEN_SECRET must be at least 32 characters').optional(),
    // How often each API process writes its batch of waiting fans' signs of life.
    QUEUE_HEARTBEAT_FLUSH_MS: int(5000, 100),
    HOLD_TTL_SECONDS: int(300, 1),
    // A hold job that waited longer than this in the queue fails HOLD_REQUEST_STALE instead of
    // holding seats for a fan who has long stopped waiting (its retries after faults included).
    HOLD_JOB_MAX_AGE_SECONDS: int(120, 1),
    MAX_SEATS_PER_USER: int(4, 1),
    WORKER_CONCURRENCY: int(16, 1),
    // How long a worker's lock on a job lasts and how often stalled jobs (whose worker died) are
    // looked for: a killed worker's jobs are picked up by another within about the sum of the two.
    WORKER_LOCK_DURATION_MS: int(30_000, 500),
    WORKER_STALLED_INTERVAL_MS: int(30_000, 500),
    HOLD_SWEEP_INTERVAL_MS: int(30_000, 100),
    // Every worker re-upserts the recurring job schedulers (hold sweep, outbox relay) this often,
    // so they come back by themselves after Redis loses its data (flush, failover, restart
    // without persistence). Upserting an existing scheduler is a no-op.
    SCHEDULERS_ENSURE_INTERVAL_MS: int(15_000, 100),
    OUTBOX_RELAY_INTERVAL_MS: int(200, 20),
    OUTBOX_BATCH_SIZE: int(500, 1),
    OUTBOX_MAX_BACKOFF_MS: int(30_000, 100),
    OUTBOX_RETENTION_HOURS: int(24, 1),
    // Off only in tests that drive consumers themselves.
    RANKING_CONSUMER: bool.default(true),
    WALLET_MAX_CHARGE: int(1_000_000, 1),
    WALLET_MAX_BALANCE: int(10_000_000, 1),
    JOB_WAIT_MAX_MS: int(30_000, 0),
    // Unfinished jobs a user may have at once (0 = no cap); more are refused with 429 before enqueueing.
    MAX_PENDING_JOBS_PER_USER: int(2, 0),
    // Wallet charges a user may submit per minute (0 = no limit).
    WALLET_CHARGES_PER_MINUTE: int(10, 0),
    // Load shedding: a queue whose backlog would take longer than this to drain at its measured
    // completion rate refuses new submits with 503 OVERLOADED (unset = HOLD_TTL_SECONDS: a hold or
    // payment served later than that is useless). A backlog up to OVERLOAD_MIN_BACKLOG is always accepted.
    OVERLOAD_BACKLOG_SECONDS: z.coerce.number().int().min(1).optional(),
    OVERLOAD_MIN_BACKLOG: int(100, 0),
    SHUTDOWN_TIMEOUT_MS: int(10_000, 100),
    TRUST_PROXY: trustProxy,
    // The fans' pages: where the built bundle is (default dist/web), and the identity provider's
    // sign-in page, which sends the fan back to /app/#access_token=<JWT> (docs/fan-pages.md).
    // (An empty value, as in .env.example, means unset.)
    WEB_DIR: z.string().optional().transform((v) => v || undefined),
    WEB_SIGN_IN_URL: z.union([z.literal(''), z.string().url()]).optional().transform((v) => v || undefined),

    // --- abuse, limits and secrets (issue 12); docs/security.md explains each ----------------
    // HS256 secrets of the identity provider, comma-separated (the first signs dev tokens; every
    // one verifies, for rotation). JWT_SECRETS is the same list under a plural name; both merge.
    JWT_SECRET: list,
    JWT_SECRETS: list,
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    // The identity provider's public keys: a JWKS URL, or one PEM key (RS256 / ES256).
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_PUBLIC_KEY: z.string().min(1).optional().transform((v) => v?.replaceAll('\\n', '\n')),
    ADMIN_USER: z.string().min(1).optional(),
    ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
    // /metrics and detailed readiness: on their own port (not published), else behind this token.
    OPS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    OPS_TOKEN: z.string().min(24, 'OPS_TOKEN must be at least 24 characters').optional(),
    KAFKA_SSL: bool.default(false),
    KAFKA_SSL_CA: z.string().optional().transform((v) => v?.replaceAll('\\n', '\n')),
    KAFKA_SSL_REJECT_UNAUTHORIZED: bool.default(true),
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().optional(),
    KAFKA_SASL_PASSWORD: z.string().optional(),
    KAFKA_ALLOW_SINGLE_REPLICA: bool.default(false),
    // `off` turns every rate limit off (load runs driven from one machine).
    RATE_LIMITS: z.enum(['on', 'off']).default('on'),
    RATE_LIMIT_JOIN_PER_USER: limit('10/60'),
    RATE_LIMIT_JOIN_PER_IP: limit('120/60'),
    RATE_LIMIT_POLL_PER_USER: limit('240/60'),
    RATE_LIMIT_POLL_PER_IP: limit('6000/60'),
    RATE_LIMIT_SUBMIT_PER_USER: limit('30/60'),
    RATE_LIMIT_SUBMIT_PER_IP: limit('600/60'),
    RATE_LIMIT_READ_PER_USER: limit('300/60'),
    RATE_LIMIT_READ_PER_IP: limit('6000/60'),
    RATE_LIMIT_CATALOG_PER_IP: limit('1200/60'),
    RATE_LIMIT_ADMIN_LOGIN_PER_IP: limit('10/900'),
    // In-process cache bound (L1 of src/platform/cache.ts): entries and total bytes of bodies.
    CACHE_L1_MAX_ENTRIES: int(5000, 10),
    CACHE_L1_MAX_BYTES: int(64 * 1024 * 1024, 1024),
    // How long "no such concert/schedule" is remembered, so unknown ids do not each reach MySQL.
    CATALOG_NOT_FOUND_TTL_MS: int(10_000, 0),
    // Widest from..to window of a schedules query, in whole days.
    CATALOG_MAX_WINDOW_DAYS: int(366, 1),
    // Proof-of-work on joins (docs/join-challenge.md): leading zero bits; 0 turns it off everywhere.
    JOIN_CHALLENGE_DIFFICULTY: int(0, 0).refine((n) => n <= 32, 'at most 32 bits'),
    JOIN_CHALLENGE_TTL_SECONDS: int(120, 5),
    // Concert ids that require the challenge (added at start to the Redis set; admins may add more).
    JOIN_CHALLENGE_CONCERTS: list,
    // Secret that signs challenges; defaults to the first JWT secret.
    JOIN_CHALLENGE_SECRET: z.string().min(32).optional(),
    // --------------------------------------------------------------------------------------------
  });

/** Every variable Encore reads (.env.example and compose are checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

const schema = envSchema
  .transform((c, ctx) => {
    // --- abuse, limits and secrets (issue 12): fail closed -----------------------------------
    // Development and test get fixed, clearly fake secrets so `npm run services` + start works;
    // production must be given real ones, and refuses any value that was ever public.
    const prod = c.NODE_ENV === 'production';
    const fail = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
    const secrets = [...new Set([...c.JWT_SECRET, ...c.JWT_SECRETS])];
    if (!secrets.length && !prod) secrets.push(DEV.JWT_SECRET);
    for (const s of secrets) if (s.length < 32) fail(c.JWT_SECRET.includes(s) ? 'JWT_SECRET' : 'JWT_SECRETS', 'every secret must be at least 32 characters');
    const adminUser = c.ADMIN_USER ?? (prod ? undefined : DEV.ADMIN_USER);
    const adminPassword = c.ADMIN_PASSWORD ?? (prod ? undefined : DEV.ADMIN_PASSWORD);
    if (prod) {
      if (!secrets.length && !c.JWT_JWKS_URL && !c.JWT_PUBLIC_KEY) fail('JWT_SECRET', 'required in production (or JWT_JWKS_URL / JWT_PUBLIC_KEY)');
      if (!adminUser) fail('ADMIN_USER', 'required in production');
      if (!adminPassword) fail('ADMIN_PASSWORD', 'required in production');
      if (!c.DATABASE_URL) fail('DATABASE_URL', 'required in production');
      if (!c.REDIS_URL) fail('REDIS_URL', 'required in production');
      const known = (v: string | undefined) => v !== undefined && KNOWN_DEV_SECRETS.includes(v);
      if (secrets.some(known)) fail(c.JWT_SECRET.some(known) ? 'JWT_SECRET' : 'JWT_SECRETS', 'is a known development/demo value; set a real secret');
      if (known(adminPassword)) fail('ADMIN_PASSWORD', 'is a known development/demo value; set a real password');
      if (known(c.OPS_TOKEN)) fail('OPS_TOKEN', 'is a known development/demo value');
      if (known(c.JOIN_CHALLENGE_SECRET)) fail('JOIN_CHALLENGE_SECRET', 'is a known development/demo value');
      if (c.DATABASE_URL && KNOWN_DB_PASSWORDS.includes(decodeURIComponent(new URL(c.DATABASE_URL).password))) {
        fail('DATABASE_URL', 'has no password or a known development/demo one');
      }
      const redisPassword = c.REDIS_URL ? decodeURIComponent(new URL(c.REDIS_URL).password) : '';
      if (known(redisPassword)) fail('REDIS_URL', 'has a known development/demo password');
      if (c.KAFKA_REPLICATION_FACTOR < 2 && !c.KAFKA_ALLOW_SINGLE_REPLICA) {
        fail('KAFKA_REPLICATION_FACTOR', 'is 1: one broker loss would lose events; use 3, or set KAFKA_ALLOW_SINGLE_REPLICA=true');
      }
    }
    if (c.KAFKA_SASL_MECHANISM && (!c.KAFKA_SASL_USERNAME || !c.KAFKA_SASL_PASSWORD)) {
      fail('KAFKA_SASL_USERNAME', 'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    }
    const challengeSecret = c.JOIN_CHALLENGE_SECRET ?? secrets[0];
    if (!challengeSecret && c.JOIN_CHALLENGE_DIFFICULTY > 0) fail('JOIN_CHALLENGE_SECRET', 'required when JOIN_CHALLENGE_DIFFICULTY > 0 and no JWT_SECRET is set');
    for (const id of c.JOIN_CHALLENGE_CONCERTS) if (!/^[1-9]\d{0,9}$/.test(id)) fail('JOIN_CHALLENGE_CONCERTS', 'must be comma-separated concert ids');
    return {
      ...c,
      DATABASE_URL: c.DATABASE_URL ?? 'mysql://encore:encore@127.0.0.1:3306/encore',
      REDIS_URL: c.REDIS_URL ?? 'redis://127.0.0.1:6379',
      /** Every accepted HS256 secret; the first signs the tokens that `npm run token` mints. */
      JWT_SECRETS: secrets,
      JWT_SECRET: secrets[0] ?? '',
      ADMIN_USER: adminUser ?? '',
      ADMIN_PASSWORD: adminPassword ?? '',
      JOIN_CHALLENGE_SECRET: challengeSecret ?? '',
    };
    // --------------------------------------------------------------------------------------------
  });

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty value means unset (`.env.example` and compose list optional variables as `NAME=`).
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
