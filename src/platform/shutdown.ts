import type { Logger } from './logger.ts';

type Step = { name: string; run: () => Promise<unknown> | unknown };

/**
 * Ordered shutdown for an entry point: on SIGTERM/SIGINT, run each step in the order registered
 * (stop taking work first, close clients last), bounded by a deadline so a hung close cannot keep
 * a process alive forever. A second signal exits at once.
 */
export function onShutdown(logger: Logger, steps: Step[], timeoutMs: number): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const deadline = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown deadline passed; exiting');
        process.exit(1);
      }, timeoutMs);
      deadline.unref();
      for (const step of steps) {
        try {
          await step.run();
        } catch (err) {
          logger.warn({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(deadline);
      logger.info('shutdown complete');
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    logger.info({ signal }, 'shutting down');
    void stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return stop;
}
