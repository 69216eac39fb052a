// A real OpenID Connect provider for styr's sign-in tests: npm `oidc-provider` (installed with the
// browser tests' packages; nothing is downloaded when it runs) with one confidential client,
// `styr`, and two test accounts, listening on a free port of 127.0.0.1.
//
//   node provider.mjs REDIRECT_URI POST_LOGOUT_URI [MODE]
//
// prints `ISSUER=http://127.0.0.1:PORT` on its first line once it listens. MODE:
//   normal          as a provider should be
//   wrong-audience  the token endpoint answers an ID token for another client (`aud` is
//                   `annan-klient`), signed with the provider's own key
//   expired         ID tokens live one second and the token endpoint answers after two
//
// Logins on its login page are the account ids below; any password is taken (oidc-provider's
// development interactions). Consent is implied for the test client.

import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [redirectUri, postLogoutUri, mode = 'normal'] = process.argv.slice(2);
if (!redirectUri || !postLogoutUri) {
  console.error('usage: node provider.mjs REDIRECT_URI POST_LOGOUT_URI [normal|wrong-audience|expired]');
  process.exit(2);
}

export const CLIENT_SECRET = 'testhemlighet-for-styr';

const accounts = {
  // Known to styr (the test adds a user with this e-mail).
  anna: { email: 'anna.lindqvist@haninge.se', email_verified: true, name: 'Anna Lindqvist' },
  // Known to the provider only.
  okand: { email: 'okand.person@haninge.se', email_verified: true, name: 'Okänd Person' },
  // An e-mail the provider has not verified.
  overifierad: { email: 'anna.lindqvist@haninge.se', email_verified: false, name: 'Overifierad' },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig', alg: 'RS256' };

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'styr',
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  // The ID token carries the scopes' claims (e-mail), as Entra ID's and Google's do.
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  // The test client is first party: no consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
  jwks: { keys: [jwk] },
  ...(mode === 'expired' ? { ttl: { IdToken: 1 } } : {}),
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['styr-test-cookie-key'] },
});

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  if (mode === 'wrong-audience') {
    // The same token, for another client, signed with the provider's key.
    const [, payload] = ctx.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    claims.aud = 'annan-klient';
    const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: jwk.kid })}.${b64(claims)}`;
    ctx.body.id_token = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  } else if (mode === 'expired') {
    await new Promise((resolve) => setTimeout(resolve, 2100));
  }
});

server.on('request', provider.callback());
console.log(`ISSUER=${issuer}`);
