// One zod schema over the environment, parsed once at start-up. A bad value stops the process
// with a message naming every offending variable. Secrets have no defaults outside development.
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const list = z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.string().url().default('mysql://encore:encore@127.0.0.1:3306/encore'),
    DB_DRIVER: z.enum(['mariadb', 'mysql']).default('mariadb'),
    // A Unix socket path to reach MySQL on the same host instead of TCP (DATABASE_URL still gives
    // user, password and database). Loopback TCP cost the workers a third of their CPU in a rush.
    DATABASE_SOCKET: z.string().optional(),
    DB_POOL_MAX: int(20, 1),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    // Prefixes every Redis key and BullMQ queue; tests use a random one per file for isolation.
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('encore'),
    // Seed nodes of a Redis Cluster (host:port, comma-separated); when set every client is a
    // Cluster client and REDIS_URL is not used (docs/topologies.md).
    REDIS_CLUSTER_NODES: list.optional(),
    // Independent Redis masters (redis:// URLs) for Redlock's quorum; unset = the main client.
    REDLOCK_NODES: list.optional(),
    // API processes per host (node:cluster), sharing PORT.
    API_PROCESSES: int(1, 1),
    KAFKA_BROKERS: z.string().default('127.0.0.1:9092').transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)),
    KAFKA_CLIENT_ID: z.string().default('encore'),
    KAFKA_TOPIC_PREFIX: z.string().default(''),
    KAFKA_TOPIC_PARTITIONS: int(3, 1),
    KAFKA_REPLICATION_FACTOR: int(1, 1),
    // A consumer that vanished (crash, broker restart) is noticed after this; its partitions then move on.
    KAFKA_SESSION_TIMEOUT_MS: int(30_000, 6000),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    // The JWT claim that lists the caller's roles (array or space-separated string); `admin` opens /api/admin.
    JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
    ADMIN_USER: z.string().min(1).optional(),
    ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
    BODY_LIMIT: z.string().default('16kb'),
    QUEUE_MAX_ACTIVE: int(100, 1),
    QUEUE_TICK_MS: int(1000, 50),
    QUEUE_ACTIVE_TTL_SECONDS: int(600, 1),
    QUEUE_IDLE_TIMEOUT_SECONDS: int(300, 1),
    // Admission follows what the sale can absorb: ACTIVE fans ≤ this × seats neither sold nor held.
    QUEUE_ADMIT_PER_SEAT: z.coerce.number().positive().default(1.5),
    // Most admissions per second per concert (unset: no cap).
    QUEUE_ADMIT_RATE: z.coerce.number().positive().optional(),
    // An ACTIVE fan with no request carrying their token for this long loses the slot.
    QUEUE_ACTIVE_IDLE_SECONDS: int(120, 1),
    // HMAC key of the queue tokens (they are signed, not stored); unset: derived from JWT_SECRET.
    QUEUE_TOKEN_SECRET: z.string().min(32, 'QUEUE_TOKEN_SECRET must be at least 32 characters').optional(),
    // How often each API process writes its batch of waiting fans' signs of life.
    QUEUE_HEARTBEAT_FLUSH_MS: int(5000, 100),
    HOLD_TTL_SECONDS: int(300, 1),
    MAX_SEATS_PER_USER: int(4, 1),
    WORKER_CONCURRENCY: int(16, 1),
    // How long a worker's lock on a job lasts and how often stalled jobs (whose worker died) are
    // looked for: a killed worker's jobs are picked up by another within about the sum of the two.
    WORKER_LOCK_DURATION_MS: int(30_000, 500),
    WORKER_STALLED_INTERVAL_MS: int(30_000, 500),
    HOLD_SWEEP_INTERVAL_MS: int(30_000, 100),
    OUTBOX_RELAY_INTERVAL_MS: int(200, 20),
    OUTBOX_BATCH_SIZE: int(500, 1),
    OUTBOX_MAX_BACKOFF_MS: int(30_000, 100),
    OUTBOX_RETENTION_HOURS: int(24, 1),
    // Off only in tests that drive consumers themselves.
    RANKING_CONSUMER: bool.default(true),
    WALLET_MAX_CHARGE: int(1_000_000, 1),
    WALLET_MAX_BALANCE: int(10_000_000, 1),
    JOB_WAIT_MAX_MS: int(30_000, 0),
    SHUTDOWN_TIMEOUT_MS: int(10_000, 100),
    TRUST_PROXY: bool.default(false),
    // The fans' pages: where the built bundle is (default dist/web), and the identity provider's
    // sign-in page, which sends the fan back to /app/#access_token=<JWT> (docs/fan-pages.md).
    // (An empty value, as in .env.example, means unset.)
    WEB_DIR: z.string().optional().transform((v) => v || undefined),
    WEB_SIGN_IN_URL: z.union([z.literal(''), z.string().url()]).optional().transform((v) => v || undefined),
  })
  .transform((c, ctx) => {
    // Development and test get fixed, clearly fake secrets so `npm run services` + start works;
    // production must be given real ones.
    const dev = c.NODE_ENV !== 'production';
    const jwtSecret = c.JWT_SECRET ?? (dev ? 'encore-development-secret-do-not-use-in-production' : undefined);
    const adminUser = c.ADMIN_USER ?? (dev ? 'admin' : undefined);
    const adminPassword = c.ADMIN_PASSWORD ?? (dev ? 'encore-dev-admin' : undefined);
    if (!jwtSecret) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required in production' });
    if (!adminUser) ctx.addIssue({ code: 'custom', path: ['ADMIN_USER'], message: 'required in production' });
    if (!adminPassword) ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'required in production' });
    return { ...c, JWT_SECRET: jwtSecret ?? '', ADMIN_USER: adminUser ?? '', ADMIN_PASSWORD: adminPassword ?? '' };
  });

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
