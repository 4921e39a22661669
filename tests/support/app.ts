import { createApp } from '../../src/api/app.ts';
import { buildApi, type Api } from '../../src/api/routes.ts';
import { signUserToken } from '../../src/api/auth.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import type { Config } from '../../src/platform/config.ts';
import { testRuntime } from './env.ts';
import { listen, type TestServer } from './http.ts';

export interface TestApi { rt: Runtime; api: Api; url: string; token(userId: number): Promise<string>; close(): Promise<void> }

/** A real API (own runtime, own Redis/Kafka prefixes unless given) listening on an ephemeral port. */
export async function startTestApi(env: Record<string, string> = {}, after: Partial<Config> = {}): Promise<TestApi> {
  const rt = await testRuntime(env, after);
  const api = buildApi(rt);
  await api.start();
  const srv: TestServer = await listen(createApp({ runtime: rt, apiRouters: api.apiRouters, rootRouters: api.rootRouters }));
  return {
    rt, api, url: srv.url,
    token: (userId) => signUserToken(rt.config.JWT_SECRET, userId),
    async close() {
      await srv.close();
      await api.stop();
      await rt.close();
    },
  };
}
