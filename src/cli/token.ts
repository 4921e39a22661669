// `npm run token -- <userId> [ttlSeconds]`: mints a development bearer token signed with JWT_SECRET.
import { loadConfig } from '../platform/config.ts';
import { signUserToken } from '../api/auth.ts';

const [userId, ttl] = process.argv.slice(2);
if (!userId || !/^[1-9]\d*$/.test(userId)) {
  console.error('usage: npm run token -- <userId> [ttlSeconds]');
  process.exit(2);
}
const config = loadConfig();
console.log(await signUserToken(config.JWT_SECRET, Number(userId), ttl ? Number(ttl) : undefined));
