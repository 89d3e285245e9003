/**
 * Every kind of model the worker knows, one line each: its model-file declaration (src/train/modelFile.ts) and how
 * its worker session is made. Adding a kind of model adds its folder (src/kinds/<kind>/), a line here, its API's type
 * in the protocol (src/engine/protocol.ts KindApis) and its view in src/ui/views.tsx. The sessions are imported only
 * when the worker makes them, so that the Node tools that read model files (src/kinds/modelFiles.ts) load no
 * session (a session reads the build's files with Vite's import.meta.glob). The page reads none of it.
 */
import type { KindApis, KindId } from '../engine/protocol';
import type { SessionEnv, SessionWiring } from '../engine/session';
import type { ModelFileKind } from '../train/modelFile';
import { MNIST_FILES } from './mnist-binary/files';
import { POINTS_FILES } from './points2d/files';
import { MNIST_GREY_FILES } from './mnist-grey/files';
import { WORDS_FILES } from './words/files';
import { SIMPLEX_FILES } from './simplex/files';

/** One kind of model: its files, and its session's API made for the worker. */
export interface KindEntry<K extends KindId> {
  /** The kind's model-file declaration; none for a view without model files of its own (learn). */
  files: ModelFileKind | null;
  session(env: SessionEnv, wiring: SessionWiring): Promise<KindApis[K]>;
}

/** The kinds of model, by id. */
export const KINDS: { readonly [K in KindId]: KindEntry<K> } = {
  points2d: { files: POINTS_FILES as unknown as ModelFileKind, session: async (env, wiring) => new (await import('./points2d/session')).Playground2D(env.backend, env.shipped, env.known).api(wiring) },
  'mnist-binary': { files: MNIST_FILES as unknown as ModelFileKind, session: async (env, wiring) => new (await import('./mnist-binary/session')).MnistSession(env.backend, env.baseUrl, env.shipped, env.known).api(wiring) },
  'mnist-grey': { files: MNIST_GREY_FILES as unknown as ModelFileKind, session: async (env, wiring) => new (await import('./mnist-grey/session')).MnistGreySession(env.backend, env.baseUrl, env.shipped, env.known).api(wiring) },
  words: { files: WORDS_FILES as unknown as ModelFileKind, session: async (env, wiring) => new (await import('./words/session')).WordsSession(env.backend, env.shipped, env.known).api(wiring) },
  simplex: { files: SIMPLEX_FILES as unknown as ModelFileKind, session: async (env, wiring) => new (await import('./simplex/session')).SimplexSession(env.backend, env.shipped, env.known).api(wiring) },
  learn: { files: null, session: async (env, wiring) => (await import('./learn/session')).learnSession(env, wiring) },
};

/** Every kind's model-file declaration. */
export const MODEL_FILE_KINDS: readonly ModelFileKind[] = Object.values(KINDS).flatMap((k) => (k.files ? [k.files] : []));

/**
 * Every kind's worker session. @param env what the sessions need from the worker (MODEL_FILE_KINDS is added as
 * `known`). @returns the sessions' APIs by kind id, once their modules are loaded.
 */
export async function makeSessions(env: Omit<SessionEnv, 'known'>, wiring: SessionWiring): Promise<KindApis> {
  const full: SessionEnv = { ...env, known: MODEL_FILE_KINDS };
  const apis: Partial<Record<KindId, unknown>> = {};
  for (const id of Object.keys(KINDS) as KindId[]) apis[id] = await KINDS[id].session(full, wiring);
  return apis as KindApis;
}

/**
 * Each kind's worker session, made on its first use: the returned function resolves to the session's API of `kind`,
 * importing and making it only when first asked (one view's first frame waits for its own session's module, not for
 * all of them). Answers come in the order of the requests. @param env as for {@link makeSessions}.
 */
export function sessionLoader(env: Omit<SessionEnv, 'known'>, wiring: SessionWiring): <K extends KindId>(kind: K) => Promise<KindApis[K]> {
  const full: SessionEnv = { ...env, known: MODEL_FILE_KINDS };
  const made = new Map<KindId, Promise<unknown>>();
  let previous: Promise<unknown> = Promise.resolve();
  return <K extends KindId>(kind: K) => {
    let session = made.get(kind);
    if (!session) {
      session = KINDS[kind].session(full, wiring);
      made.set(kind, session);
    }
    const mine = session;
    // After the previous request's session, so that requests are answered in the order they came.
    const answer = previous.then(() => mine, () => mine) as Promise<KindApis[K]>;
    previous = answer.catch(() => undefined);
    return answer;
  };
}
