// Mints bearer tokens as the identity provider would (HS256 with the server's JWT_SECRET), so the
// load generator can act as thousands of distinct users. Tokens are cached per user.
import { SignJWT } from 'jose';

export class Identity {
  private readonly key: Uint8Array;
  private readonly cache = new Map<number, Promise<string>>();
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }
  token(userId: number): Promise<string> {
    let t = this.cache.get(userId);
    if (!t) {
      t = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(userId)).setIssuedAt().setExpirationTime('6h').sign(this.key);
      this.cache.set(userId, t);
    }
    return t;
  }
}
