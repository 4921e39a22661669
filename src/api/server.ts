// API process entry point: thin. Build the runtime, mount the app, listen, own the shutdown.
import { loadConfig } from '../platform/config.ts';
import { createRuntime } from '../platform/runtime.ts';
import { ensureTopics } from '../platform/kafka.ts';
import { onShutdown } from '../platform/shutdown.ts';
import { ormModel } from '../domain/model.ts';
import { allTopics } from '../domain/events/events.topics.ts';
import { createApp, createOpsApp } from './app.ts';
import { buildApi } from './routes.ts';
import { drainOnClose } from './drain.ts';

const config = loadConfig();
const runtime = await createRuntime(config, ormModel, 'api');
const { logger } = runtime;
await ensureTopics(runtime.kafka, config, allTopics(config)).catch((err: Error) =>
  logger.warn({ err: err.message }, 'could not ensure Kafka topics at start; /health/ready reports kafka'),
);
const api = buildApi(runtime);
await api.start();
const app = createApp({ runtime, apiRouters: api.apiRouters, rootRouters: api.rootRouters });
// A deep accept backlog: at an on-sale thousands of fans connect within a second (Node's default
// of 511 dropped connections in the rush load run).
const server = app.listen({ port: config.PORT, backlog: 4096 }, () => logger.info({ port: config.PORT }, 'api listening'));
server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts
const drain = drainOnClose(server);
// Metrics and detailed readiness on their own port, which compose and the Dockerfile never publish.
const ops = config.OPS_PORT === undefined ? undefined
  : createOpsApp(runtime).listen(config.OPS_PORT, () => logger.info({ port: config.OPS_PORT }, 'ops listening'));

onShutdown(
  logger,
  [
    { name: 'http', run: () => { ops?.close(); return drain(); } },
    { name: 'api', run: () => api.stop() },
    { name: 'runtime', run: () => runtime.close() },
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);
