// Worker processes for end-to-end tests: the real entry point (src/workers/main.ts) as a child
// process, so a test can run several and kill one with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/workers/main.ts', import.meta.url));

export interface WorkerProcess { child: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> }

export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Generous on a busy machine; a worker that never got ready is killed, not left behind.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`worker did not start:\n${output}`)); }, 90_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('"worker ready"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited with ${code}:\n${output}`)); });
  });
  child.stdout!.resume();
  return {
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
