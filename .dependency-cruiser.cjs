// Architecture rules, checked by `npm run lint` (and so by `npm run check` and CI through
// tests/architecture.test.ts). The layers, from the inside out:
//   src/advisor/   the pure core: questionnaire, sessions, decisions, and the ports (advisor/ports/) it owns
//   src/digest/    digest use cases and pure builders, on the core's ports
//   src/store/     SQLite and PostgreSQL adapters of the core's ports: the only place that knows SQL
//   src/slack/     the Slack edge: Bolt listeners, Block Kit builders, Web API helpers
//   src/ops/       logs, metrics, probes, retention
//   src/standin/   a Slack Web API stand-in: independent of the app, so it can catch the app's mistakes
//   src/evidence/  the read-only evidence command (its own entry) and the evidence file's schema and analysis
//   src/playground/, src/compose.ts, src/main.ts, src/config.ts: composition and start-up
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere: each module can be read, tested and loaded on its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'advisor-is-pure',
      severity: 'error',
      comment:
        'The core knows nothing of Slack, HTTP, databases or the layers around it: it imports only itself, ' +
        'yaml and zod (the questionnaire), and node:fs/node:crypto (reading that file, ids).',
      from: { path: '^src/advisor/' },
      to: { pathNot: ['^src/advisor/', '^node_modules/(yaml|zod)/', '^(node:)?(fs|crypto)$'] },
    },
    {
      name: 'digest-on-the-core',
      severity: 'error',
      comment: 'Digests depend on the core and its ports, never on the store, the Slack edge or start-up.',
      from: { path: '^src/digest/' },
      to: { path: '^src/', pathNot: ['^src/(advisor|digest)/'] },
    },
    {
      name: 'slack-not-store',
      severity: 'error',
      comment:
        'The Slack edge reaches data through the core (its ports and services), never through the store.',
      from: { path: '^src/slack/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'store-implements-core-ports',
      severity: 'error',
      comment: 'Adapters import only the core (its ports and domain types) and themselves.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/(store|advisor)/'] },
    },
    {
      name: 'store-uses-core-types-only',
      severity: 'error',
      comment:
        'What the store takes from the core are the port interfaces and domain types, nothing that runs.',
      from: { path: '^src/store/' },
      to: { path: '^src/advisor/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'standin-independent',
      severity: 'error',
      comment:
        "The stand-in checks the app against Slack's documented behaviour; sharing the app's code would let a " +
        'mistake pass on both sides.',
      from: { path: '^src/standin/' },
      to: { path: '^src/', pathNot: '^src/standin/' },
    },
    {
      name: 'evidence-stands-alone',
      severity: 'error',
      comment:
        'The evidence command runs on a laptop against a cluster, without the app: it imports only itself.',
      from: { path: '^src/evidence/' },
      to: { path: '^src/', pathNot: '^src/evidence/' },
    },
    {
      name: 'evidence-schema-is-pure',
      severity: 'error',
      comment:
        'What the app takes from the evidence module (index.ts and what it reaches) parses and summarises a file: ' +
        'no Kubernetes client, no processes, no files.',
      from: { path: '^src/evidence/(index|schema|summary|limits|literal).ts$' },
      to: { path: '^(node_modules/@kubernetes|(node:)?(child_process|fs|http|https|net))' },
    },
    {
      name: 'app-not-on-test-tools',
      severity: 'error',
      comment: 'Only the playground (a local try-out) runs on the stand-in; the app itself never does.',
      from: { path: '^src/(advisor|digest|store|slack|ops)/' },
      to: { path: '^src/(standin|playground)/' },
    },
    {
      name: 'edges-not-on-start-up',
      severity: 'error',
      comment: 'main.ts and compose.ts wire everything together; nothing inside the layers imports them.',
      from: { path: '^src/(advisor|digest|store|slack|ops|standin)/' },
      to: { path: '^src/(main|compose)\\.ts$' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code, unless it is an entry point.',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          // Entry points: the app, the key rotation command, the evidence command, the browser page.
          '^src/main\\.ts$',
          '^src/ops/reencrypt\\.ts$',
          '^src/evidence/cli\\.ts$',
          '^src/playground/page/',
          // The stand-in's payload builder for App Home clicks, used by tests as payloads.ts is.
          '^src/standin/view-action\\.ts$',
        ],
      },
      to: {},
    },
    {
      name: 'reachable-from-an-entry',
      severity: 'error',
      comment:
        'Every module is used: reachable from the app (main.ts) or the key rotation command. An orphan that ' +
        'still imports something is dead code all the same.',
      from: { path: '^src/(main|ops/reencrypt|evidence/cli)\\.ts$' },
      to: {
        path: '^src/',
        pathNot: [
          '\\.d\\.ts$',
          '^src/(main|ops/reencrypt|evidence/cli)\\.ts$',
          '^src/playground/page/',
          '^src/standin/view-action\\.ts$',
        ],
        reachable: false,
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'declared-dependencies',
      severity: 'error',
      comment: 'Every package src/ imports is in package.json, not merely installed as a dependency of one.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'Production code runs without devDependencies; only type imports (erased) may name them.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too: a type from the store is still the store.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
