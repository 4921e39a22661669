// API_PROCESSES=2: the host entry point (src/api/main.ts) forks two server processes that share
// one port, both answer, and SIGTERM to the primary stops both gracefully, then the primary.
import { describe, expect, it } from 'vitest';
import { testEnv } from '../support/env.ts';
import { spawnApi } from '../support/processes.ts';

describe('several API processes on one host', () => {
  it('two processes share the port and answer; SIGTERM to the primary stops both gracefully', async () => {
    const api = await spawnApi(testEnv({ API_PROCESSES: '2' }), { entry: 'main', processes: 2 });
    try {
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${api.origin}/health/live`);
        expect(res.status).toBe(200);
      }
      api.child.kill('SIGTERM');
      expect((await api.exited).code).toBe(0);
      expect(api.pidsOf('shutdown complete')).toEqual(api.pidsOf('api listening'));
      expect(api.lines('all API processes stopped')).toHaveLength(1);
    } finally {
      api.kill();
    }
  }, 300_000);
});
