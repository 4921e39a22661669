// Which bearer tokens the API accepts: exp required, issuer/audience when configured, HS256 with a
// rotation list, RS256 via a PEM key, ES256 via a JWKS URL (a real local HTTP server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { tokenVerifier, signUserToken, type AuthConfig } from '../../src/api/auth.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const base: Omit<AuthConfig, 'JWT_ROLES_CLAIM'> = { JWT_SECRETS: [A], JWT_ISSUER: undefined, JWT_AUDIENCE: undefined, JWT_JWKS_URL: undefined, JWT_PUBLIC_KEY: undefined };
const hs = (secret: string) => new TextEncoder().encode(secret);
const rejects = async (p: Promise<unknown>, message: RegExp) => {
  await expect(p).rejects.toMatchObject({ code: 'INVALID_TOKEN', message: expect.stringMatching(message) });
};

describe('HS256', () => {
  it('accepts a token with sub and exp', async () => {
    const payload = await tokenVerifier(base)(await signUserToken(A, 7));
    expect(payload.sub).toBe('7');
  });

  it('rejects a token without exp', async () => {
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('7').sign(hs(A));
    await rejects(tokenVerifier(base)(noExp), /expiry/);
  });

  it('rejects an expired token and one signed with an unknown secret', async () => {
    await rejects(tokenVerifier(base)(await signUserToken(A, 7, -10)), /expired/);
    await rejects(tokenVerifier(base)(await signUserToken(B, 7)), /invalid/);
  });

  it('rotation: every secret of the list verifies, a removed one no longer does', async () => {
    const both = tokenVerifier({ ...base, JWT_SECRETS: [B, A] });
    expect((await both(await signUserToken(A, 1))).sub).toBe('1');
    expect((await both(await signUserToken(B, 2))).sub).toBe('2');
    await rejects(tokenVerifier({ ...base, JWT_SECRETS: [B] })(await signUserToken(A, 1)), /invalid/);
  });

  it('checks issuer and audience when set', async () => {
    const strict = tokenVerifier({ ...base, JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'encore' });
    expect((await strict(await signUserToken(A, 3, 60, [], { issuer: 'https://idp.example', audience: 'encore' }))).sub).toBe('3');
    await rejects(strict(await signUserToken(A, 3, 60, [], { issuer: 'https://evil.example', audience: 'encore' })), /issuer/);
    await rejects(strict(await signUserToken(A, 3, 60, [], { issuer: 'https://idp.example', audience: 'other' })), /audience/);
    await rejects(strict(await signUserToken(A, 3)), /issuer/);
  });

  it('rejects alg "none" and garbage', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"1","exp":9999999999}').toString('base64url')}.`;
    await rejects(tokenVerifier(base)(none), /not accepted|invalid/);
    await rejects(tokenVerifier(base)('not-a-jwt'), /invalid/);
  });
});

describe('public keys of an identity provider', () => {
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
  let jwksServer: Server;
  let jwksUrl: string;
  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => jwksServer.close(() => r())));

  const sign = (key: CryptoKey, alg: string, kid?: string, exp = '1h') =>
    new SignJWT({}).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).setSubject('42').setExpirationTime(exp).sign(key);

  it('RS256 via JWT_PUBLIC_KEY (PEM) is accepted beside HS256; a foreign key is not', async () => {
    const verify = tokenVerifier({ ...base, JWT_PUBLIC_KEY: await exportSPKI(rsa.publicKey) });
    expect((await verify(await sign(rsa.privateKey, 'RS256'))).sub).toBe('42');
    expect((await verify(await signUserToken(A, 5))).sub).toBe('5');
    const other = await generateKeyPair('RS256');
    await rejects(verify(await sign(other.privateKey, 'RS256')), /invalid/);
  });

  it('ES256 via JWT_JWKS_URL is accepted; without exp it is not', async () => {
    const verify = tokenVerifier({ ...base, JWT_SECRETS: [], JWT_JWKS_URL: jwksUrl });
    expect((await verify(await sign(ec.privateKey, 'ES256', 'k1'))).sub).toBe('42');
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('42').sign(ec.privateKey);
    await rejects(verify(noExp), /expiry/);
    await rejects(verify(await signUserToken(A, 5)), /not accepted/);
  });
});
