// `node load/outbox-lag.ts [minutes=10]`: outbox-to-Kafka lag of recent events, read back from the
// broker: the Kafka append time of each message minus the event's occurredAt (its transaction's
// time). Uses KAFKA_BROKERS and KAFKA_TOPIC_PREFIX like the server.
import { Kafka, logLevel } from 'kafkajs';
import { parseCli } from '../src/platform/cli.ts';

const { positionals: [minutesArg = '10'] } = parseCli({
  usage: 'node load/outbox-lag.ts [minutes]',
  about: "Outbox-to-Kafka lag of recent events: each message's Kafka append time minus the event's occurredAt, read back\n"
    + 'from the broker (KAFKA_BROKERS, KAFKA_TOPIC_PREFIX). Prints {events, lagMs: {p50, p95, p99, max}}.',
  positionals: { '[minutes]': 'only events appended in the last this many minutes (default 10)' },
  options: {},
});
const minutes = Number(minutesArg);
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const topics = ['payment.completed', 'reservation.events', 'schedule.sold_out'].map((t) => prefix + t);
const kafka = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const since = Date.now() - minutes * 60_000;
const consumer = kafka.consumer({ groupId: `lag-${Date.now()}` });
await consumer.connect();
await consumer.subscribe({ topics, fromBeginning: true });
const lags: number[] = [];
let last = Date.now();
await consumer.run({
  eachMessage: async ({ message }) => {
    last = Date.now();
    const appended = Number(message.timestamp);
    if (appended < since || !message.value) return;
    const occurred = Date.parse(JSON.parse(message.value.toString()).occurredAt);
    lags.push(appended - occurred);
  },
});
while (Date.now() - last < 3000) await new Promise((r) => setTimeout(r, 500));
await consumer.disconnect();
await admin.disconnect();
lags.sort((a, b) => a - b);
const at = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? NaN;
console.log(JSON.stringify({ events: lags.length, lagMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: lags.at(-1) } }));
