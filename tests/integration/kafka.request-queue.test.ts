// kafkajs 2.2.4's request queue ran a 1 ms timer loop on every idle broker connection (and Node 24
// warned `TimeoutNegativeWarning` about it); src/platform/kafka.request-queue.ts ends the loop.
// Against the real broker: messages still go out and come back, and an idle connection no longer
// wakes up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { Runtime } from '../../src/platform/runtime.ts';
import { ensureTopics, topicName } from '../../src/platform/kafka.ts';
import { testRuntime, uniqueId } from '../support/env.ts';
import { sleep, until } from '../support/wait.ts';

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: { checkPendingRequests(): void } };

let rt: Runtime;
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(w.name);
beforeAll(async () => {
  process.on('warning', onWarning);
  rt = await testRuntime(); // createKafka applies the fix
});
afterAll(async () => {
  process.off('warning', onWarning);
  await rt.close();
});

describe('kafkajs request queue', () => {
  it('a produced message is consumed, and then an idle connection does not poll its empty queue', async () => {
    const topic = topicName(rt.config, 'request-queue-check');
    await ensureTopics(rt.kafka, rt.config, [topic]);
    const producer = rt.kafka.producer();
    const consumer = rt.kafka.consumer({ groupId: `test-${uniqueId()}` });
    const seen: string[] = [];
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value!.toString()); } });
      await producer.send({ topic, messages: [{ value: 'hello' }] });
      await until('the message consumed', () => seen.includes('hello'), 60_000);

      const proto = RequestQueue.prototype;
      const check = proto.checkPendingRequests;
      let checks = 0;
      proto.checkPendingRequests = function (this: unknown) { checks++; return check.call(this); };
      try {
        await producer.send({ topic, messages: [{ value: 'again' }] }); // responses still run the check
        const afterSend = checks;
        expect(afterSend).toBeGreaterThan(0);
        await sleep(2000);
        // Before the fix: about 900 a second per connection (the producer's alone). The consumer's
        // fetches and heartbeats still get responses, each running the check once: a few dozen.
        expect(checks - afterSend).toBeLessThan(300);
      } finally {
        proto.checkPendingRequests = check;
      }
      expect(warnings).not.toContain('TimeoutNegativeWarning');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  }, 120_000);
});
