// A real OpenID Connect provider (the certified npm package oidc-provider) for the
// single sign-on browser test, on loopback. Usage:
//   node oidc_provider.mjs PORT REDIRECT_URI
// One client ("sendplan"), PKCE required, every account's e-mail is <login>@council.example.
// Its development sign-in page accepts any login; its "Cancel" answers access_denied.
// Prints "ready" when listening, and one JSON line per authorization request.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "sendplan",
      client_secret: "sendplan-test-secret",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: () => ({
      sub: id,
      email: `${id}@council.example`,
      email_verified: true,
      name: id.replace(/\./g, " "),
    }),
  }),
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  if (ctx.path === "/auth") {
    console.log(JSON.stringify({ authorization: ctx.query }));
  }
  await next();
});

provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
