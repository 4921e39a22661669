// The one argument parser of Encore's command-line tools (src/cli, load/): `node:util` parseArgs
// with a `help` text on every option, so `--help` lists each one and a mistake (an unknown option,
// a missing value) ends with one line and the usage, exit 2, before any service is touched.
import { parseArgs, type ParseArgsOptionDescriptor } from 'node:util';

/** An option of parseArgs plus the sentence `--help` prints for it. */
export type CliOption = ParseArgsOptionDescriptor & { help: string; multiple?: false };

export interface CliSpec<O extends Record<string, CliOption>> {
  /** The command line, e.g. `npm run token -- <userId> [ttlSeconds] [--admin]`. */
  usage: string;
  /** What the command does (a sentence or two). */
  about: string;
  /** Positional arguments, name → meaning (printed by `--help`); none means none are accepted. */
  positionals?: Record<string, string>;
  options: O;
  /**
   * Accept options not declared in `options` (the load runner hands them to its scenarios):
   * `--key value`, `--key=value`, or a bare `--flag` (= "true") land in `extra`.
   */
  extra?: { help: string };
  /** Defaults to process.argv.slice(2). */
  argv?: string[];
}

type Values<O extends Record<string, CliOption>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['default'] extends string ? string : string | undefined;
};

export interface CliArgs<O extends Record<string, CliOption>> {
  values: Values<O>;
  positionals: string[];
  extra: Record<string, string>;
}

export function parseCli<O extends Record<string, CliOption>>(spec: CliSpec<O>): CliArgs<O> {
  const argv = spec.argv ?? process.argv.slice(2);
  try {
    const parsed = parseCliOrThrow(spec, argv);
    if (parsed.help) {
      console.log(cliHelp(spec));
      process.exit(0);
    }
    return parsed.args;
  } catch (err) {
    console.error(`${(err as Error).message}\nusage: ${spec.usage} (--help for every option)`);
    process.exit(2);
  }
}

/** parseCli without the process side effects (for tests): throws on a mistake. */
export function parseCliOrThrow<O extends Record<string, CliOption>>(spec: CliSpec<O>, argv: string[]): { help: boolean; args: CliArgs<O> } {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h', help: 'print this help' } } as Record<string, CliOption>;
  const { values, tokens } = parseArgs({
    args: argv, options, strict: !spec.extra, allowPositionals: true, tokens: true,
  });
  const positionals: string[] = [];
  const extra: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const declared = options[t.name];
    if (declared?.type === 'string' && t.value === undefined) throw new Error(`option --${t.name} needs a value`);
    if (declared) continue;
    if (t.value !== undefined) extra[t.name] = t.value;
    else if (tokens[i + 1]?.kind === 'positional') extra[t.name] = (tokens[++i] as { value: string }).value;
    else extra[t.name] = 'true';
  }
  const allowed = Object.keys(spec.positionals ?? {}).length;
  if (positionals.length > allowed) throw new Error(`unexpected argument "${positionals[allowed]}"`);
  const own = Object.fromEntries(Object.keys(spec.options).map((k) => [k, values[k]]));
  return { help: values.help === true, args: { values: own as Values<O>, positionals, extra } };
}

export function cliHelp(spec: CliSpec<Record<string, CliOption>>): string {
  const rows: [string, string][] = [];
  for (const [name, meaning] of Object.entries(spec.positionals ?? {})) rows.push([name, meaning]);
  for (const [name, o] of Object.entries(spec.options)) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    rows.push([flag, `${o.help}${o.default !== undefined && o.type === 'string' ? ` (default ${o.default})` : ''}`]);
  }
  if (spec.extra) rows.push(['--<option> <value>', spec.extra.help]);
  rows.push(['-h, --help', 'print this help']);
  const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2);
  const lines = rows.map(([l, r]) => (l.length + 2 > width ? `  ${l}\n  ${''.padEnd(width)}${r}` : `  ${l.padEnd(width)}${r}`));
  return `usage: ${spec.usage}\n\n${spec.about}\n\n${lines.join('\n')}`;
}
