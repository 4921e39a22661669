import type { Runtime } from '../platform/runtime.ts';

export interface RunningWorkers { close(): Promise<void> }

/** Starts the processors and schedulers of this process; filled in as job types are added. */
export async function startWorkers(_runtime: Runtime): Promise<RunningWorkers> {
  return { close: async () => {} };
}
