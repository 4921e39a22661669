import { Kafka, logLevel, type Admin, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { stopIdleRequestQueueLoop } from './kafka.request-queue.ts';

export type { Kafka, Producer, Admin };

type KafkaSecurity = Partial<Pick<Config, 'KAFKA_SSL' | 'KAFKA_SSL_CA' | 'KAFKA_SSL_REJECT_UNAUTHORIZED' | 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'>>;

/** kafkajs `ssl` and `sasl` options from the environment (TLS with an optional private CA; SASL PLAIN or SCRAM). */
export function kafkaSecurity(config: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (config.KAFKA_SSL) {
    out.ssl = config.KAFKA_SSL_CA || config.KAFKA_SSL_REJECT_UNAUTHORIZED === false
      ? { rejectUnauthorized: config.KAFKA_SSL_REJECT_UNAUTHORIZED !== false, ...(config.KAFKA_SSL_CA ? { ca: [config.KAFKA_SSL_CA] } : {}) }
      : true;
  }
  if (config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD) {
    out.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD } as SASLOptions;
  }
  return out;
}

export function createKafka(config: Pick<Config, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID'> & KafkaSecurity, logger: Logger): Kafka {
  stopIdleRequestQueueLoop(logger);
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    ...kafkaSecurity(config),
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }) => {
      const { message, ...extra } = log;
      const fn = level <= logLevel.ERROR ? 'error' : 'warn';
      logger[fn]({ namespace, ...extra }, `kafka: ${message}`);
    },
  });
}

export function topicName(config: Pick<Config, 'KAFKA_TOPIC_PREFIX'>, name: string): string {
  return `${config.KAFKA_TOPIC_PREFIX}${name}`;
}

/**
 * How topics are replicated on a cluster of `brokers`: from three brokers on, at least three
 * copies with `min.insync.replicas` a majority (2 of 3), so that an acks=all write survives one
 * broker's loss and producers keep going while one broker is down. Below three brokers (a
 * development broker) the configured factor, and acks=all means the one copy there is.
 */
export function topicReplication(brokers: number, configured: number): { replicationFactor: number; minInsyncReplicas?: number } {
  if (brokers < 3) return { replicationFactor: configured };
  const replicationFactor = Math.max(configured, 3);
  return { replicationFactor, minInsyncReplicas: Math.floor(replicationFactor / 2) + 1 };
}

/** Creates the topics that do not exist yet; existing ones are left alone. */
export async function ensureTopics(
  kafka: Kafka,
  config: Pick<Config, 'KAFKA_TOPIC_PARTITIONS' | 'KAFKA_REPLICATION_FACTOR'>,
  topics: string[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    const { brokers } = await admin.describeCluster();
    const { replicationFactor, minInsyncReplicas } = topicReplication(brokers.length, config.KAFKA_REPLICATION_FACTOR);
    await admin.createTopics({
      // kafkajs' own wait gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a broker whose
      // metadata has not caught up with the controller answers on a three-broker cluster.
      waitForLeaders: false,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: config.KAFKA_TOPIC_PARTITIONS,
        replicationFactor,
        configEntries: minInsyncReplicas ? [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }] : [],
      })),
    });
    await waitForLeaders(admin, missing);
  } finally {
    await admin.disconnect();
  }
}

/** Polls until every partition of `topics` has a leader (30 s at most), through stale metadata. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics without a leader after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Cheap liveness probe: a metadata round trip with the broker. */
export async function pingKafka(admin: Admin): Promise<void> {
  await admin.describeCluster();
}

/**
 * An idempotent producer (acks=all) that connects on first use and reconnects after a failure,
 * so a process can start, and keep working, while Kafka is down.
 */
export class LazyProducer {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private readonly kafka: Kafka;
  constructor(kafka: Kafka) { this.kafka = kafka; }

  async send(topic: string, messages: { key: string; value: string }[]): Promise<void> {
    const producer = await this.get();
    try {
      await producer.send({ topic, acks: -1, messages });
    } catch (err) {
      await this.reset();
      throw err;
    }
  }

  private async get(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const p = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      try {
        await p.connect();
        this.producer = p;
        return p;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
