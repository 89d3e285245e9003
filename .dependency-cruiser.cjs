/**
 * Import rules of the repository, checked by `npm run check:deps` (dependency-cruiser) in `npm test`.
 *
 * The layers point one way:
 *   page (src/ui, src/state, src/main.tsx, src/selftest.tsx)
 *     -> engine client (src/engine/client.ts, src/engine/protocol.ts, src/engine/selftest-api.ts)
 *     -> worker (src/engine/engine.worker.ts) -> sessions: each kind of model (src/kinds/<kind>/: its model files,
 *        trainer, evaluation, worker session and network words) on the shared pieces (the rest of src/engine), and
 *        src/bench, src/conformance.
 * A kind's view (src/kinds/<kind>/view/) belongs to the page; the shared page code (src/ui) knows no kind but through
 * the list of views (src/ui/views.tsx).
 *     -> src/train, src/nets -> src/bfn, src/data, src/settings (every user setting declared as data, no TF.js).
 * A layer may skip layers below it (the page reads plain constants and types of src/train or src/bfn), never
 * import one above it. src/ never imports tests/ or scripts/; scripts/ (the Node tools) never import tests/.
 * Type-only imports count too: a type names a layer as much as a value does.
 */
const WORKER_SIDE = '^src/engine/(?!(client|protocol|selftest-api)\\.ts$)';
// The page: the shared views and page state, the entry points, and each kind's view (src/kinds/<kind>/view/).
const PAGE = '^src/(ui|state)/|^src/kinds/[^/]+/view/|^src/[^/]+$';
// A kind's worker side: everything in its folder but its view and its TF-free words.
const KIND_WORKER_SIDE = '^src/kinds/(?![^/]+/(view/|network\\.ts$))';

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Import cycles (type-only imports included) make the layers meaningless: move the shared part down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-to-tests-or-scripts',
      severity: 'error',
      comment: 'The app and the library must not depend on the tests or the Node tools.',
      from: { path: '^src/' },
      to: { path: '^(tests|scripts)/' },
    },
    {
      name: 'no-tool-imports-a-test',
      severity: 'error',
      comment: 'A Node tool that needs a helper of the tests: move the helper into src/ or scripts/lib/.',
      from: { path: '^scripts/' },
      to: { path: '^tests/' },
    },
    {
      name: 'bfn-data-are-the-bottom',
      severity: 'error',
      comment: 'src/bfn (the maths), src/data (datasets) and src/settings (the declared settings) import nothing above them.',
      from: { path: '^src/(bfn|data|settings)/' },
      to: { path: '^src/(train|nets|kinds|engine|state|ui|bench|conformance)/|^src/[^/]+$' },
    },
    {
      name: 'train-nets-below-the-engine',
      severity: 'error',
      comment: 'src/train and src/nets know nothing of the worker, its sessions, benchmarks, checks or the page.',
      from: { path: '^src/(train|nets)/' },
      to: { path: '^src/(kinds|engine|state|ui|bench|conformance)/|^src/[^/]+$' },
    },
    {
      name: 'kinds-below-the-worker',
      severity: 'error',
      comment: 'A kind of model (src/kinds/<kind>/) is its model files, trainer, evaluation and worker session, built on the shared session pieces (src/engine/session.ts, qualityGrid.ts) and the protocol; it never imports the worker entry, the client or the page.',
      from: { path: KIND_WORKER_SIDE },
      to: { path: `^src/engine/(engine\\.worker|client)\\.ts$|${PAGE}|^src/(bench|conformance)/` },
    },
    {
      name: 'sessions-below-the-worker',
      severity: 'error',
      comment: 'Benchmarks and conformance checks run inside the worker: they may use the protocol types, not the rest of src/engine.',
      from: { path: '^src/(bench|conformance)/' },
      to: { path: `${WORKER_SIDE}|^src/(state|ui)/|^src/[^/]+$` },
    },
    {
      name: 'worker-not-to-page',
      severity: 'error',
      comment: 'The worker side of src/engine (everything but the client, the protocol and the self-test API types) never imports the page (src/state, src/ui).',
      from: { path: WORKER_SIDE },
      to: { path: '^src/(state|ui)/|^src/[^/]+$' },
    },
    {
      name: 'worker-not-to-client',
      severity: 'error',
      comment: 'The worker answers the client; it never imports it.',
      from: { path: WORKER_SIDE },
      to: { path: '^src/engine/client\\.ts$' },
    },
    {
      name: 'nothing-imports-the-worker',
      severity: 'error',
      comment: 'The worker is started by URL (new Worker(new URL(...))) from the client, never imported.',
      from: {},
      to: { path: '^src/engine/engine\\.worker\\.ts$' },
    },
    {
      name: 'protocol-below-the-client',
      severity: 'error',
      comment: 'The protocol (types and plain constants shared by page and worker) imports neither the client nor the page.',
      from: { path: '^src/engine/(protocol|selftest-api)\\.ts$' },
      to: { path: '^src/engine/client\\.ts$|^src/(state|ui)/|^src/[^/]+$' },
    },
    {
      name: 'page-talks-to-the-engine-client-only',
      severity: 'error',
      comment: 'The page reaches the engine through src/engine/client.ts and the protocol types, never the worker side.',
      from: { path: PAGE },
      to: { path: WORKER_SIDE },
    },
    {
      name: 'page-reads-only-the-words-of-a-kind',
      severity: 'error',
      comment: 'Of a kind of model the page reads only its view and its TF-free words (src/kinds/<kind>/network.ts); the rest (files, trainer, evaluation, session) is the worker side.',
      from: { path: PAGE },
      to: { path: KIND_WORKER_SIDE },
    },
    {
      name: 'shared-page-code-knows-no-kind',
      severity: 'error',
      comment: 'The page code every view shares (src/ui) imports no kind, except the list of views (src/ui/views.tsx).',
      from: { path: '^src/(ui|state)/(?!views\\.tsx$)' },
      to: { path: '^src/kinds/[^/]+/view/' },
    },
    {
      name: 'a-view-knows-only-its-kind',
      severity: 'error',
      comment: 'The view of a kind imports no view of another kind.',
      from: { path: '^src/kinds/([^/]+)/view/' },
      to: { path: '^src/kinds/[^/]+/view/', pathNot: '^src/kinds/$1/view/' },
    },
    {
      name: 'state-below-the-views',
      severity: 'error',
      comment: 'Page state (URL, storage, files) does not import the views.',
      from: { path: '^src/state/' },
      to: { path: '^src/ui/' },
    },
    {
      name: 'settings-without-tfjs',
      severity: 'error',
      comment: 'The settings are read by the page, which must never load TensorFlow.js: src/settings imports no TF.js, and of src/bfn only the TF-free list of samplers.',
      from: { path: '^src/settings/' },
      to: { path: '@tensorflow|^src/(nets|train)/|^src/bfn/(?!samplerChoices\\.ts$)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
    includeOnly: '^(src|scripts|tests)/|^[^/]+\\.config\\.ts$',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    // Vite's `?url` / `?raw` suffixes and the `/models/...` globs are resolved by Vite, not by Node.
    moduleSystems: ['es6', 'cjs'],
  },
};
