// .env.example, docker-compose.yml, the Dockerfile and the Procfile agree with the config schema
// and fail closed: compose publishes only the API port and demands every secret from the environment.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES } from '../../src/platform/config.ts';

const read = (f: string) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');

describe('deployment files', () => {
  it('.env.example lists exactly the variables of the config schema', () => {
    const listed = read('.env.example').split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect([...listed].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('compose: app variables exist in the schema, secrets are required (${VAR:?}), only the API port is published', () => {
    const compose = read('docker-compose.yml');
    const appEnv = compose.slice(compose.indexOf('environment: &app-env'), compose.indexOf('depends_on:'));
    const names = [...appEnv.matchAll(/^ {4}([A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(names.filter((n) => !CONFIG_VARIABLES.includes(n))).toEqual([]);
    for (const secret of ['JWT_SECRET', 'ADMIN_USER', 'ADMIN_PASSWORD', 'MYSQL_PASSWORD', 'REDIS_PASSWORD', 'MYSQL_ROOT_PASSWORD']) {
      expect(compose).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
    }
    expect(compose).not.toMatch(/:-encore|MYSQL_ROOT_PASSWORD: root|-pencore/);
    expect([...compose.matchAll(/^\s+ports:/gm)]).toHaveLength(1);
    expect(compose).toMatch(/ports: \["\$\{API_PORT:-3000\}:3000"\]/);
    expect(compose).toMatch(/--requirepass/);
    expect(compose).toMatch(/REDIS_URL: redis:\/\/:\$\{REDIS_PASSWORD/);
  });

  it('the Dockerfile runs production; the Procfile leaves NODE_ENV unset, which is production', () => {
    expect(read('Dockerfile')).toMatch(/ENV NODE_ENV=production/);
    expect(read('Procfile')).not.toMatch(/NODE_ENV=(development|test)/);
  });
});
