// A private Apache Kafka broker for one test file, from the same Maven jars as `npm run services`,
// so a test can really stop and start a broker without disturbing the shared one.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Consumer } from 'kafkajs';
import { until } from './wait.ts';
import { uniqueId } from './env.ts';
import { topicName } from '../../src/platform/kafka.ts';
import type { Runtime } from '../../src/platform/runtime.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const libs = join(root, '.tools/kafka/libs');

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });

export class PrivateKafka {
  private child?: ChildProcess;
  readonly brokers: string;
  private readonly props: string;
  private readonly port: number;

  constructor(port: number) {
    if (!existsSync(libs)) throw new Error(`Kafka jars missing in ${libs}: run \`npm run services\` first`);
    this.port = port;
    this.brokers = `127.0.0.1:${port}`;
    const dir = mkdtempSync(join(tmpdir(), 'encore-kafka-'));
    this.props = join(dir, 'server.properties');
    const base = readFileSync(join(root, 'services/kafka/server.properties'), 'utf8')
      .replaceAll('127.0.0.1:9092', `127.0.0.1:${port}`)
      .replaceAll('127.0.0.1:19093', `127.0.0.1:${port + 1}`);
    writeFileSync(this.props, `${base}\nlog.dirs=${join(dir, 'data')}\n`);
    execFileSync('java', ['-cp', `${libs}/*`, 'kafka.tools.StorageTool', 'format', '-t', '4L6g3nShT-eMCtK--X86sw', '-c', this.props, '--ignore-formatted'], { stdio: 'ignore' });
  }

  async start(): Promise<void> {
    // C1 only and the serial GC: a broker for one test file needs a fast start (about 45 s with the
    // defaults on a CPU-starved CI machine), not peak throughput.
    this.child = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Dlog4j2.configurationFile=' + join(root, 'services/kafka/log4j2.properties'), '-cp', `${libs}/*`, 'kafka.Kafka', this.props], { stdio: 'ignore' });
    await until(`the private Kafka broker to listen on ${this.port}`, () => portOpen(this.port), 180_000, 250);
  }

  /** SIGSTOP: the broker keeps its sockets open but answers nothing, like a hung or blackholed host. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGCONT'); // a frozen broker cannot act on SIGTERM
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    });
  }
}

/**
 * An outside observer of `topic` (its own consumer group, from the beginning), patient with a
 * broker that is stopped or frozen: hands each message's key and parsed JSON value to `onMessage`.
 */
export async function observeTopic(rt: Runtime, topic: string, onMessage: (key: string, value: unknown) => void): Promise<Consumer> {
  const consumer = rt.kafka.consumer({ groupId: `observer-${uniqueId()}`, sessionTimeout: 6000, heartbeatInterval: 1000, retry: { retries: 1000, initialRetryTime: 200, maxRetryTime: 2000 } });
  await consumer.connect();
  await consumer.subscribe({ topics: [topicName(rt.config, topic)], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => { onMessage(message.key?.toString() ?? '', JSON.parse(message.value!.toString())); } });
  return consumer;
}
