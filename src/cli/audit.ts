// `npm run audit`: checks Encore's invariants in SQL; exits 1 on any violation.
import { parseCli } from '../platform/cli.ts';
import { loadConfig } from '../platform/config.ts';
import { createOrm } from '../platform/db.ts';
import { ormModel } from '../domain/model.ts';
import { AUDIT_CHECKS, runAudit } from '../domain/audit/audit.service.ts';

parseCli({
  usage: 'npm run audit',
  about: 'Checks every invariant of the database in SQL (no seat sold twice, balance = ledger, one payment per confirmed\nreservation, ...) and prints each check; exits 1 on a violation. Uses DATABASE_URL.',
  options: {},
});
const config = loadConfig();
const orm = await createOrm(config, ormModel);
try {
  const report = await runAudit(orm.em.fork());
  for (const name of Object.keys(AUDIT_CHECKS)) {
    const bad = report.violations[name];
    console.log(`${bad ? 'FAIL' : 'ok  '}  ${name}${bad ? `\n      ${bad.map((r) => JSON.stringify(r)).join('\n      ')}` : ''}`);
  }
  console.log(report.clean ? 'audit clean' : 'AUDIT FAILED');
  process.exitCode = report.clean ? 0 : 1;
} finally {
  await orm.close(true);
}
