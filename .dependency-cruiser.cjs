/**
 * The layers, as rules `npm run lint` checks (README, "Where things live"):
 *
 *   shared/domain  ←  shared/schemas, shared/data, shared/security  ←  shared/services  ←  shared/http, shared/web  ←  functions/<name>
 *
 * An arrow points from a layer to the ones allowed to import it. `shared/deps.ts` (the Deps
 * interface every app is built from) is the composition root's type and may be imported from
 * services up. `shared/` never imports the dev and deploy roots (local/, bench/, infra/, test/)
 * nor functions/; a function never imports another function (the files at functions/'s root, the
 * catalogue and the Lambda entry helpers, are shared by all); no import cycles, type-only
 * imports included.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles, type-only ones included, blur which module is the lower one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-not-to-roots',
      severity: 'error',
      comment: 'shared/ is what functions are built from: it never imports functions, dev tools, benchmarks, infra or tests.',
      from: { path: '^shared/' },
      to: { path: '^(functions|local|bench|infra|test)/' },
    },
    {
      name: 'functions-not-to-dev-roots',
      severity: 'error',
      comment: 'A deployed function never imports dev tools, benchmarks, infra or tests.',
      from: { path: '^functions/' },
      to: { path: '^(local|bench|infra|test)/' },
    },
    {
      name: 'no-function-to-function',
      severity: 'error',
      comment: 'A function never imports another function: move what both need into shared/.',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/[^/]+/', pathNot: '^functions/$1/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'shared/domain is pure rules: it imports only itself, never data access, services, HTTP or pages.',
      from: { path: '^shared/domain/' },
      to: { path: '^shared/', pathNot: '^shared/domain/' },
    },
    {
      name: 'domain-without-platform',
      severity: 'error',
      comment: 'shared/domain does not know AWS, hono or Lambda (pure libraries such as zod and csv-parse are fine).',
      from: { path: '^shared/domain/' },
      to: { path: '^node_modules/(@aws-sdk|@smithy|hono|@hono|@middy|@aws-lambda-powertools)/' },
    },
    {
      name: 'schemas-on-domain',
      severity: 'error',
      comment: "zod schemas describe requests with the domain's enums and rules, not with repositories.",
      from: { path: '^shared/schemas/' },
      to: { path: '^shared/', pathNot: '^shared/(domain|schemas)/' },
    },
    {
      name: 'data-on-domain',
      severity: 'error',
      comment: 'Repositories know the domain and DynamoDB, not services, schemas, HTTP or pages.',
      from: { path: '^shared/(data|security)/' },
      to: { path: '^shared/', pathNot: '^shared/(domain|data|security)/' },
    },
    {
      name: 'services-below-edge',
      severity: 'error',
      comment: 'Use cases are called by the API and the pages alike: they never import HTTP or page code.',
      from: { path: '^shared/services/' },
      to: { path: '^shared/(http|web)/' },
    },
    {
      name: 'http-below-pages',
      severity: 'error',
      comment: 'The API plumbing does not know the pages or the use cases.',
      from: { path: '^shared/http/' },
      to: { path: '^shared/(web|services)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  // run by local/check-layers.ts (npm run lint), which hands dependency-cruiser transpiled sources
};
