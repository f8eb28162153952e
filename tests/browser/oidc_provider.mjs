// A real OpenID Connect provider (the certified npm package oidc-provider) for the
// single sign-on browser test, on loopback. Usage:
//   node oidc_provider.mjs PORT REDIRECT_URI [entra]
// One client ("sendplan"), PKCE required, every account's e-mail is <login>@council.example.
// Its development sign-in page accepts any login; its "Cancel" answers access_denied.
// With "entra", the claims are shaped as Microsoft Entra ID sends them: the ID token
// carries oid, tid, preferred_username and email, with no email_verified, and the sub is
// one per app (pairwise). GET /test/disable?login=<login> disables an account: the
// provider then asks it to sign in again, and a silent (prompt=none) request is refused.
// Prints "ready" when listening, and one JSON line per authorization request.
import { createHash } from "node:crypto";

import Provider, { interactionPolicy } from "oidc-provider";

const [port, redirectUri, shape] = process.argv.slice(2);
const entra = shape === "entra";
const issuer = `http://127.0.0.1:${port}`;
const TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
const disabled = new Set();

// A stable GUID per login, as Entra's object id is per person.
function objectId(login) {
  const hex = createHash("sha256").update(login).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function claimsOf(id) {
  const email = `${id}@council.example`;
  const name = id.replace(/\./g, " ");
  if (!entra) {
    return { sub: id, email, email_verified: true, name };
  }
  return { sub: id, oid: objectId(id), tid: TENANT, preferred_username: email, email, name };
}

const policy = interactionPolicy.base();
policy
  .get("login")
  .checks.push(
    new interactionPolicy.Check("account_disabled", "the account is disabled", "login_required", (ctx) =>
      disabled.has(ctx.oidc.session.accountId),
    ),
  );

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "sendplan",
      client_secret: "sendplan-test-secret",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
      ...(entra ? { subject_type: "pairwise" } : {}),
    },
  ],
  pkce: { required: () => true },
  claims: entra
    ? { openid: ["sub", "oid", "tid"], email: ["email"], profile: ["name", "preferred_username"] }
    : { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  subjectTypes: entra ? ["public", "pairwise"] : ["public"],
  pairwiseIdentifier: (ctx, accountId, client) =>
    createHash("sha256").update(`${client.clientId}/${accountId}`).digest("base64url"),
  // Entra ID puts the person's claims in the ID token of the code flow, too.
  conformIdTokenClaims: !entra,
  interactions: { policy },
  findAccount: (ctx, id) => ({ accountId: id, claims: () => claimsOf(id) }),
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  if (ctx.path === "/auth") {
    console.log(JSON.stringify({ authorization: ctx.query }));
  }
  if (ctx.path === "/test/disable") {
    disabled.add(ctx.query.login);
    ctx.body = "disabled";
    return;
  }
  await next();
});

provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
