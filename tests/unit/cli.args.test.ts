import { describe, expect, it } from 'vitest';
import { cliHelp, parseCliOrThrow, type CliSpec, type CliOption } from '../../src/platform/cli.ts';

const spec = {
  usage: 'tool <file> [--count N] [--dry]',
  about: 'A tool.',
  positionals: { '<file>': 'the input' },
  options: {
    count: { type: 'string', default: '3', help: 'how many' },
    dry: { type: 'boolean', default: false, help: 'change nothing' },
  },
} satisfies CliSpec<Record<string, CliOption>>;

describe('parseCli', () => {
  it('returns declared options (with defaults) and positionals', () => {
    expect(parseCliOrThrow(spec, ['a.txt', '--count', '7']).args).toEqual({ values: { count: '7', dry: false }, positionals: ['a.txt'], extra: {} });
    expect(parseCliOrThrow(spec, ['a.txt']).args.values).toEqual({ count: '3', dry: false });
  });

  it('throws on an unknown option, a missing value and an extra positional', () => {
    expect(() => parseCliOrThrow(spec, ['a.txt', '--bogus'])).toThrow(/bogus/);
    expect(() => parseCliOrThrow(spec, ['a.txt', '--count'])).toThrow(/--count/);
    expect(() => parseCliOrThrow(spec, ['a.txt', 'b.txt'])).toThrow(/unexpected argument "b.txt"/);
  });

  it('reports --help and -h', () => {
    expect(parseCliOrThrow(spec, ['--help']).help).toBe(true);
    expect(parseCliOrThrow(spec, ['-h']).help).toBe(true);
    expect(parseCliOrThrow(spec, ['a.txt']).help).toBe(false);
  });

  it('with extra, hands undeclared options over as strings: --k v, --k=v, and a bare --flag as "true"', () => {
    const open = { ...spec, extra: { help: 'scenario options' } };
    const { args } = parseCliOrThrow(open, ['a.txt', '--api-pid', '42', '--mode=fast', '--keep', '--count', '9']);
    expect(args).toEqual({ values: { count: '9', dry: false }, positionals: ['a.txt'], extra: { 'api-pid': '42', mode: 'fast', keep: 'true' } });
    expect(() => parseCliOrThrow(open, ['a.txt', '--count'])).toThrow(/--count needs a value/);
  });

  it('help lists every positional and option with its default', () => {
    const help = cliHelp(spec);
    for (const text of ['usage: tool <file>', 'A tool.', '<file>', 'the input', '--count <value>', 'how many (default 3)', '--dry', 'change nothing', '--help']) {
      expect(help).toContain(text);
    }
  });
});
