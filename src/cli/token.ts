// `npm run token -- <userId> [ttlSeconds] [--admin]`: mints a development bearer token signed with
// JWT_SECRET, as the identity provider would. `--admin` adds the `admin` role (in the claim named
// by JWT_ROLES_CLAIM), which opens the organizer API under /api/admin.
import { loadConfig } from '../platform/config.ts';
import { signUserToken } from '../api/auth.ts';

const USAGE = 'usage: npm run token -- <userId> [ttlSeconds] [--admin]';
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const admin = args.includes('--admin');
const [userId, ttl] = args.filter((a) => a !== '--admin');
if (!userId || !/^[1-9]\d*$/.test(userId) || (ttl !== undefined && !/^[1-9]\d*$/.test(ttl))) {
  console.error(USAGE);
  process.exit(2);
}
const config = loadConfig();
if (admin && config.JWT_ROLES_CLAIM !== 'roles') {
  // signUserToken writes the `roles` claim; a deployment reading another claim needs its IdP's tokens.
  console.error(`JWT_ROLES_CLAIM is ${config.JWT_ROLES_CLAIM}; this command writes roles into the "roles" claim only`);
  process.exit(2);
}
console.log(await signUserToken(config.JWT_SECRET, Number(userId), ttl ? Number(ttl) : undefined, admin ? ['admin'] : []));
