import type { LoadClient } from './http.ts';
import type { Recorder } from './recorder.ts';
import type { Identity } from './identity.ts';
import type { RunReport } from './report.ts';

export interface ScenarioContext {
  url: string;
  client: LoadClient;
  recorder: Recorder;
  identity: Identity;
  args: Record<string, string | undefined>;
  num(name: string, fallback: number): number;
}

export type ScenarioResult = Pick<RunReport, 'parameters' | 'extra' | 'goals'> & { durationSeconds: number };
export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;

export function goal(name: string, goalText: string, value: number, met: boolean) {
  return { name, goal: goalText, value: Math.round(value * 100) / 100, met };
}
