// Topic creation against the real broker(s): one copy on a development broker; on a cluster of
// three or more, three copies and min.insync.replicas=2, so acks=all survives a broker's loss.
// CI runs this file against both the single broker and the three-broker cluster (.ci/run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes } from 'kafkajs';
import type { Runtime } from '../../src/platform/runtime.ts';
import { ensureTopics, topicName, topicReplication } from '../../src/platform/kafka.ts';
import { testRuntime } from '../support/env.ts';

let rt: Runtime;
beforeAll(async () => { rt = await testRuntime(); });
afterAll(async () => { await rt.close(); });

describe('topic replication', () => {
  it('follows the number of brokers: the configured factor below three, three copies with a majority in sync from three on', () => {
    expect(topicReplication(1, 1)).toEqual({ replicationFactor: 1 });
    expect(topicReplication(2, 2)).toEqual({ replicationFactor: 2 });
    expect(topicReplication(3, 1)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(topicReplication(5, 5)).toEqual({ replicationFactor: 5, minInsyncReplicas: 3 });
  });

  it('a topic created at start has as many replicas per partition as the cluster calls for', async () => {
    const topic = topicName(rt.config, 'replication-check');
    await ensureTopics(rt.kafka, rt.config, [topic]);
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      const brokers = (await admin.describeCluster()).brokers.length;
      const expected = topicReplication(brokers, rt.config.KAFKA_REPLICATION_FACTOR);
      // A new topic reaches every broker's metadata a moment after its leaders exist.
      const eventually = async <T>(fn: () => Promise<T>): Promise<T> => {
        for (let i = 0; ; i++) {
          try { return await fn(); } catch (err) { if (i >= 60) throw err; }
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      const [meta] = (await eventually(() => admin.fetchTopicMetadata({ topics: [topic] }))).topics;
      expect(meta!.partitions).toHaveLength(rt.config.KAFKA_TOPIC_PARTITIONS);
      for (const p of meta!.partitions) expect(p.replicas).toHaveLength(expected.replicationFactor);
      const { resources } = await eventually(() => admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      }));
      const minIsr = resources[0]!.configEntries.find((e) => e.configName === 'min.insync.replicas')!.configValue;
      if (expected.minInsyncReplicas) expect(Number(minIsr)).toBe(expected.minInsyncReplicas);
      await admin.deleteTopics({ topics: [topic] });
    } finally {
      await admin.disconnect();
    }
  });
});
