// Virtual users: `count` loops started evenly over `rampSeconds`, each running `step` then
// sleeping `thinkMs`, until the deadline. This is JMeter's thread group with a constant timer.
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function threadGroup(opts: { count: number; rampSeconds: number; deadline: number; thinkMs: number }, step: (vu: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: opts.count }, async (_, vu) => {
    await sleep((opts.rampSeconds * 1000 * vu) / Math.max(1, opts.count));
    while (Date.now() < opts.deadline) {
      await step(vu);
      if (opts.thinkMs > 0) await sleep(opts.thinkMs);
    }
  }));
}
