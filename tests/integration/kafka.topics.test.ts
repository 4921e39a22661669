// Topic creation against the real broker(s): one copy on a development broker; on a cluster of
// three or more, three copies and min.insync.replicas=2, so acks=all survives a broker's loss.
// CI runs this file against both the single broker and the three-broker cluster (.ci/run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes } from 'kafkajs';
import type { Runtime } from '../../src/platform/runtime.ts';
import { ensureTopics, topicName, topicReplication } from '../../src/platform/kafka.ts';
import { testRuntime } from '../support/env.ts';
import { eventually } from '../support/wait.ts';

let rt: Runtime;
beforeAll(async () => { rt = await testRuntime(); });
afterAll(async () => { await rt.close(); });

describe('topic replication', () => {
  it('a topic created at start has as many replicas per partition as the cluster calls for', async () => {
    const topic = topicName(rt.config, 'replication-check');
    await ensureTopics(rt.kafka, rt.config, [topic]);
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      const brokers = (await admin.describeCluster()).brokers.length;
      const expected = topicReplication(brokers, rt.config.KAFKA_REPLICATION_FACTOR);
      // A new topic reaches every broker's metadata a moment after its leaders exist.
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
