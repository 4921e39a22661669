// `npm run token -- <userId> [ttlSeconds] [--admin]`: mints a development bearer token signed with
// JWT_SECRET, as the identity provider would. `--admin` adds the `admin` role (in the claim named
// by JWT_ROLES_CLAIM), which opens the organizer API under /api/admin.
import { parseCli } from '../platform/cli.ts';
import { loadConfig } from '../platform/config.ts';
import { signUserToken } from '../api/auth.ts';

const USAGE = 'npm run token -- <userId> [ttlSeconds] [--admin]';
const { values: { admin }, positionals: [userId, ttl] } = parseCli({
  usage: USAGE,
  about: 'Prints a development bearer token (HS256, signed with JWT_SECRET) for a user, as the identity provider would.',
  positionals: { '<userId>': 'the user id (the `sub` claim), a positive integer', '[ttlSeconds]': 'lifetime of the token in seconds (default 86400, a day)' },
  options: { admin: { type: 'boolean', default: false, help: 'add the admin role (opens the organizer API under /api/admin)' } },
});
if (!userId || !/^[1-9]\d*$/.test(userId) || (ttl !== undefined && !/^[1-9]\d*$/.test(ttl))) {
  console.error(`usage: ${USAGE}`);
  process.exit(2);
}
const config = loadConfig();
if (admin && config.JWT_ROLES_CLAIM !== 'roles') {
  // signUserToken writes the `roles` claim; a deployment reading another claim needs its IdP's tokens.
  console.error(`JWT_ROLES_CLAIM is ${config.JWT_ROLES_CLAIM}; this command writes roles into the "roles" claim only`);
  process.exit(2);
}
console.log(await signUserToken(config.JWT_SECRET, Number(userId), ttl ? Number(ttl) : undefined, admin ? ['admin'] : []));
