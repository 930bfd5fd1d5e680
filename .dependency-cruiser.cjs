/**
 * Layer rules of ../shared/ARCHITECTURE.md ("arrows: may import"), checked by
 * scripts/test.sh. Inner layers never import outer ones; only composition/ (and the CLI
 * that starts it) imports adapters; no cycles.
 */
const layer = (name) => `^src/${name}/`;
const rule = (name, from, to, comment) => ({ name, severity: 'error', comment, from: { path: from }, to: { path: to } });

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    rule('contract-is-a-leaf', layer('contract'), '^src/(?!contract/)', 'contract/ imports nothing internal: sdk/ and web/ build on it'),
    rule('config-is-a-leaf', layer('config'), '^src/(?!config/)', 'config/ reads env and argv and nothing else'),
    rule('domain-stays-pure', layer('domain'), '^src/(?!domain/|contract/)', 'domain/ is the pure model'),
    rule('ports-are-interfaces', layer('ports'), '^src/(?!ports/|domain/|contract/)', 'ports/ only name domain and contract types'),
    rule('platform-has-no-business', layer('platform'), '^src/(?!platform/|domain/|contract/|ports/)', 'platform/ is plumbing'),
    rule('app-is-framework-free', layer('app'), '^src/(?!app/|domain/|contract/|ports/|platform/)', 'use cases shared by HTTP and CLI'),
    rule('app-without-fastify', layer('app'), '^node_modules/(fastify|@fastify)/', 'no HTTP types in use cases'),
    rule('pipeline-without-adapters-or-http', '^src/(pipeline|worker)/', '^src/(http|app|cli|composition|config)/|^node_modules/(fastify|@fastify|bullmq)/', 'the pipeline never sees HTTP or a mode'),
    rule('modules-stay-inner', '^src/(engines|normalisers|renderers|layout)/', '^src/(adapters|http|app|cli|composition|pipeline|worker|config)/', 'engines, normalisers, renderers and layout are modules behind ports'),
    rule('http-without-adapters', layer('http'), '^src/(adapters|composition|pipeline|worker|engines|normalisers|renderers|cli)/', 'the HTTP layer is given its dependencies'),
    rule('only-composition-imports-adapters', '^src/(?!composition/|adapters/)', '^src/adapters/', 'a mode is a kit, wired in composition/'),
    {
      name: 'scaled-drivers-on-demand', severity: 'error',
      comment: 'embedded users never load pg, bullmq or the AWS SDK: the scaled kit is reached only through await import',
      from: { path: '^src/' }, to: { path: '^src/composition/kits/scaled[.]ts$', dynamic: false },
    },
    rule('adapters-never-import-each-other', '^src/adapters/([^/]+)/', '^src/adapters/(?!$1/)', 'one folder per implementation'),
    rule('adapters-stay-outer-only', layer('adapters'), '^src/(http|app|cli|composition|pipeline|worker|engines|normalisers|renderers|config)/', 'adapters implement ports'),
    rule('nothing-imports-the-cli', '^src/(?!cli/)', '^src/cli/', 'the CLI is an entry point'),
    rule('sdk-builds-on-the-contract-only', '^sdk/', '^(src/(?!contract/)|web/)', 'the SDK ships no server code: only src/contract types and constants'),
    rule('web-builds-on-the-sdk-and-contract', '^web/', '^src/(?!contract/)|^sdk/src/node[.]ts$', 'the page runs in a browser: the SDK\'s browser entry and the contract only'),
    {
      name: 'sdk-browser-entry-without-node', severity: 'error', comment: 'the SDK runs in browsers; Node extras live in sdk/src/node.ts',
      from: { path: '^(sdk/src|web)/', pathNot: '^sdk/src/node[.]ts$|^web/vite[.]config[.]ts$' }, to: { dependencyTypes: ['core'] },
    },
    rule('nothing-imports-composition', '^src/(?!cli/|composition/)', '^src/composition/', 'composition roots are entry points'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(test|bench|node_modules)/|^sdk/(examples|dist)/|^web/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
