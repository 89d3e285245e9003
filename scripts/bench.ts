/**
 * `npm run bench [-- --only NAME[,NAME] --rounds N --json FILE --node-only --browser-only]`: timed rows of the 2D
 * benchmark (src/bench/bench2d.ts) in Node on wasm and in headless Chromium on wasm (selftest.html's
 * `window.bfnSelfTest.bench2d` in the engine worker), each interleaved with the same work in the PyTorch reference
 * (bench/reference/bfn2d.py): per round, a block in TypeScript, then the same block in PyTorch. Prints, per row,
 * the median and the minimum over the rounds of the time per step (or per sampling run), the same for PyTorch, and
 * the ratios TS / PyTorch of the medians and of the minima; `--json FILE` writes every row.
 *
 * Rows ({@link ROWS}; the default run is those marked `inDefault`, a few minutes here):
 * - `train-ref`: ms per training step of the fixed reference model ({@link BENCH_REF_2D}: MLP 128 x 3, 16 time
 *   features, batch 256, L^inf, Adam 2e-3, no EMA). It never follows the playground's defaults.
 * - `train-512`: the same at width 512.
 * - `sample`: ms to sample 2000 points with n = 100 steps (the reference network).
 * - `samplers`: the same sampling run with each sampler (the original and the four BFN-Solvers, src/train/samplers.ts)
 *   at n = 100 and at n = 10, all ten blocks interleaved in every round, each with the PyTorch reference's port of the
 *   same sampler; not in the default run.
 * - `backends`: train-ref and sample on every backend (Node wasm, cpu; Chromium webgpu, webgl, wasm, cpu), no PyTorch,
 *   at most 3 rounds (1 sampling run on the slow cpu and SwiftShader webgpu backends).
 * - `mnist`: the MNIST benchmark (src/bench/benchMnist.ts; the shipped network, 3,806,544 parameters): ms per training
 *   step at batch 64 (L^inf, AdamW, clipping, EMA) and per sampling run of 16 digits with n = 100, interleaved with the
 *   PyTorch MNIST reference (bench/reference/bfn_mnist.py) on the default targets; kernel counts alone on Node cpu and
 *   Chromium webgpu, webgl and cpu; not in the default run.
 * - `kinds`: ms per sampling run of each other kind's shipped network size (src/bench/benchKinds.ts: grey-scale MNIST,
 *   words, the K = 3 simplex's toy model) on every backend, no PyTorch; not in the default run.
 * - `time-to-quality`: wall seconds from pressing Train to a live metric with k-NN precision and recall >= 0.9, with
 *   the page's default settings, on two-moons, eight-gaussians, checkerboard and spirals, in Chromium on wasm only
 *   (src/bench/timeToQuality.ts; at most 60 s each, else "not reached"). Its own table; `timeToQuality` in the JSON.
 *   `--ttq-datasets A,B`, `--ttq-cap S` and `--ttq-config JSON` (settings merged over the page's defaults, to try
 *   other defaults) change it.
 * - `first-frame`: ms from navigation start to each view's first animated frame (the page's `bfn-first-frame` mark,
 *   src/ui/firstFrame.ts) over `--rounds` cold loads per view (fresh browser context, cache disabled), median and
 *   minimum; the home page, the 2D view with each dataset and every other view (scripts/lib/firstFrame.ts); not in the
 *   default run.
 * A new row is one more entry of {@link ROWS}.
 *
 * Kernels: every 2D row and the mnist row also report the TF.js kernels per training step and per sampling step (not
 * per run), counted once in the untimed first round with TF.js's profiler (src/bench/kernelCount.ts): "compute / all",
 * all being every kernel dispatch and compute leaving out those that only alias data (Identity, Reshape).
 *
 * PyTorch: `$BENCH_PYTHON` or /usr/bin/python3 with torch, run with OMP_WAIT_POLICY=PASSIVE, OMP_NUM_THREADS=1 and
 * torch.set_num_threads(1); kept running across rounds (start-up is never timed). Before its first row, the
 * reference must compute the same loss and samples as this code for the same weights and noise, and the same samples
 * with each BFN-Solver, else the run stops. The MNIST reference likewise: the same parameter count, the same logits
 * and L^inf to 1e-5 relative, and the same samples (99.9 % of pixels) for the same weights and noise. Torch uses the
 * BLAS the system's libblas.so.3 points to; with the reference (netlib) BLAS, run with LD_LIBRARY_PATH set to a folder
 * holding OpenBLAS's libblas.so.3 (a note says which BLAS ran).
 * Without a Python that imports torch the PyTorch columns are empty and a note says why.
 *
 * Chromium rows need a built dist/ (rebuilt with `vite build` when a source file is newer) and Chromium at
 * $CHROMIUM_PATH or /usr/bin/chromium. Exit status: 0, or 1 when a row fails, or 2 for bad arguments.
 */
import { execSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { median as d3Median } from 'd3';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  BENCH_REF_2D, bench2DAgreementCase, bench2DSolverAgreementCase, benchData2D, disposeBench2D, runBench2DBlock,
  type Bench2DBlockRequest, type Bench2DBlockResult, type Bench2DConfig, type Bench2DTask,
} from '../src/bench/bench2d';
import { BENCH_MNIST, benchMnist, benchMnistAgreementCase, disposeBenchMnist, mnistReferenceConfig, type MnistBenchRequest, type MnistBenchResult } from '../src/bench/benchMnist';
import type { KernelCount } from '../src/bench/kernelCount';
import { benchKindSampling, KIND_SAMPLING_BENCHES } from '../src/bench/benchKinds';
import { TTQ_CAP_SECONDS, TTQ_DATASETS, TTQ_TARGET, type TimeToQualityRequest, type TimeToQualityResult } from '../src/bench/timeToQuality';
import { DATASETS_2D } from '../src/data/toy2d';
import type { SamplerId } from '../src/bfn';
import { samplerIds } from '../src/train/samplers';
import { METRIC_SETTINGS, type KindSamplingResult } from '../src/engine/protocol';
import { DEFAULT_STATE, trainConfigOf } from '../src/state/urlState';
import type { Train2DConfig } from '../src/kinds/points2d/trainer';
import { networkLabel } from '../src/kinds/points2d/network';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/browser';
import { FIRST_FRAME_VIEWPORT, FIRST_FRAME_VIEWS, measureFirstFrames } from './lib/firstFrame';
import type {} from '../src/engine/selftest-api';

// ---------------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------------

const USAGE = `usage: npm run bench -- [--only NAME[,NAME...]] [--rounds N] [--json FILE] [--node-only | --browser-only]
                       [--ttq-datasets ID[,ID...]] [--ttq-cap SECONDS] [--ttq-config JSON]`;

interface Options {
  only: string[] | null;
  rounds: number;
  json: string | null;
  node: boolean;
  chromium: boolean;
  /** time-to-quality: the datasets, the cap in seconds, and settings merged over the page's defaults. */
  ttqDatasets: string[];
  ttqCap: number;
  ttqConfig: Partial<Train2DConfig>;
}

/** Stops with a message and exit status 2 (bad arguments). */
function usageError(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}\nrows: ${ROWS.map((r) => r.name).join(', ')}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { only: null, rounds: 5, json: null, node: true, chromium: true, ttqDatasets: [...TTQ_DATASETS], ttqCap: TTQ_CAP_SECONDS, ttqConfig: {} };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    const value = () => {
      const v = argv[++k];
      if (v === undefined || v.startsWith('--')) usageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--only') {
      opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = opts.only.filter((name) => !ROWS.some((r) => r.name === name));
      if (unknown.length || !opts.only.length) usageError(`unknown row name${unknown.length > 1 ? 's' : ''} ${unknown.join(', ') || '(none given)'}`);
    } else if (arg === '--rounds') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 100) usageError(`--rounds must be an integer in 1..100`);
      opts.rounds = n;
    } else if (arg === '--ttq-datasets') {
      opts.ttqDatasets = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = opts.ttqDatasets.filter((id) => !DATASETS_2D.some((d) => d.id === id));
      if (unknown.length || !opts.ttqDatasets.length) usageError(`--ttq-datasets: unknown dataset ${unknown.join(', ') || '(none given)'}`);
    } else if (arg === '--ttq-cap') {
      const n = Number(value());
      if (!(n > 0 && n <= 3600)) usageError('--ttq-cap must be a number of seconds in (0, 3600]');
      opts.ttqCap = n;
    } else if (arg === '--ttq-config') {
      const text = value();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        usageError(`--ttq-config must be a JSON object, got ${text}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) usageError(`--ttq-config must be a JSON object, got ${text}`);
      const unknown = Object.keys(parsed).filter((key) => !TRAIN_CONFIG_KEYS.includes(key));
      if (unknown.length) usageError(`--ttq-config: unknown setting ${unknown.join(', ')} (settings: ${TRAIN_CONFIG_KEYS.join(', ')})`);
      opts.ttqConfig = parsed as Partial<Train2DConfig>;
    } else if (arg === '--json') {
      opts.json = value();
      // Checked now, not after minutes of timing: the folder must exist and the path must not be a folder.
      const folder = dirname(resolve(opts.json));
      if (!existsSync(folder) || !statSync(folder).isDirectory()) usageError(`--json ${opts.json}: the folder ${folder} does not exist`);
      if (existsSync(opts.json) && statSync(opts.json).isDirectory()) usageError(`--json ${opts.json} is a folder, not a file`);
    }
    else if (arg === '--node-only') opts.chromium = false;
    else if (arg === '--browser-only') opts.node = false;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n${ROWS.map((r) => `  ${r.name.padEnd(10)} ${r.inDefault ? '(default) ' : ''}${r.description}`).join('\n')}\n`);
      process.exit(0);
    } else usageError(`unknown argument ${arg}`);
  }
  if (!opts.node && !opts.chromium) usageError('--node-only and --browser-only exclude each other');
  return opts;
}

// ---------------------------------------------------------------------------------------------------------------
// Where TypeScript runs: Node (this process) or a Chromium page per backend
// ---------------------------------------------------------------------------------------------------------------

/** A TF.js backend in Node or in Chromium's engine worker, running the shared benchmark code. */
interface Target {
  where: 'node' | 'chromium';
  backend: string;
  /** How the backend runs (wasm threads), for the record. */
  detail: string;
  bench2d(request: Bench2DBlockRequest): Promise<Bench2DBlockResult>;
  benchMnist(request: MnistBenchRequest): Promise<MnistBenchResult>;
  /** A kind's sampling benchmark (src/bench/benchKinds.ts). */
  benchKindSampling(kind: string, repeats: number): Promise<KindSamplingResult>;
  /** Chromium only: the page's training loop against the worker (src/bench/timeToQuality.ts). */
  timeToQuality?(request: TimeToQualityRequest): Promise<TimeToQualityResult>;
}

const threads = (n: number | undefined) => `${n ?? '?'} thread${n === 1 ? '' : 's'}`;

async function nodeTarget(backend: string): Promise<Target> {
  const use = async () => {
    if (tf.getBackend() === backend) return;
    disposeBench2D(); // its trainer lives on the previous backend
    disposeBenchMnist();
    if (!(await tf.setBackend(backend))) throw new Error(`node backend ${backend} did not start`);
  };
  await use();
  return {
    where: 'node', backend, detail: backend === 'wasm' ? threads(getThreadsCount()) : '',
    bench2d: async (request) => (await use(), runBench2DBlock(request)),
    benchMnist: async (request) => (await use(), benchMnist(request)),
    benchKindSampling: async (kind, repeats) => (await use(), benchKindSampling(kind, repeats)),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The newest modification time (ms) of the files below `path`. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

/** Headless Chromium on selftest.html served by `vite preview`; started on first use, one page per backend. */
class ChromiumTargets {
  private started: Promise<{ browser: Browser; port: number; server: ReturnType<typeof spawn> }> | null = null;
  private targets = new Map<string, Promise<Target>>();

  private async start() {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install Debian's chromium or set CHROMIUM_PATH`);
    const built = existsSync('dist/selftest.html') ? statSync('dist/selftest.html').mtimeMs : 0;
    if (built < Math.max(...['src', 'public', 'index.html', 'selftest.html', 'vite.config.ts'].map(newest))) {
      process.stderr.write('dist/ is missing or older than the sources: vite build ...\n');
      execSync('npx vite build', { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const port = await freePort();
    const server = spawn('npx', ['vite', 'preview', '--strictPort', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore', detached: true });
    for (let k = 0; ; k++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/selftest.html`)).ok) break;
      } catch {
        if (k > 150) throw new Error('vite preview did not answer within 30 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    return { browser, port, server };
  }

  /** The browser and the port of `vite preview` (started on first use), for rows that load pages themselves. */
  server(): Promise<{ browser: Browser; port: number }> {
    this.started ??= this.start();
    return this.started;
  }

  /** The page running `backend`. @throws Error when Chromium starts another backend instead. */
  get(backend: string): Promise<Target> {
    let target = this.targets.get(backend);
    if (!target) {
      target = this.open(backend);
      this.targets.set(backend, target);
    }
    return target;
  }

  private async open(backend: string): Promise<Target> {
    this.started ??= this.start();
    const { browser, port } = await this.started;
    const page: Page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/selftest.html?backend=${backend}&cpuForward=0`);
    const info = await page.evaluate(() => window.bfnSelfTest.ready);
    if (info.active !== backend) throw new Error(`chromium: asked for ${backend}, got ${info.active} (${JSON.stringify(info.refused)})`);
    const wasm = (info as { wasm?: { threads?: number; crossOriginIsolated?: boolean } | null }).wasm;
    const detail = wasm ? `${threads(wasm.threads)}${wasm.crossOriginIsolated ? ', cross-origin isolated' : ''}` : info.adapter ?? '';
    return {
      where: 'chromium', backend, detail,
      bench2d: (request) => page.evaluate((r) => window.bfnSelfTest.bench2d(r), request),
      benchMnist: (request) => page.evaluate((o) => window.bfnSelfTest.benchMnist(o), request),
      benchKindSampling: (kind, repeats) => page.evaluate((o) => window.bfnSelfTest.benchKindSampling(o.kind, o.repeats), { kind, repeats }),
      timeToQuality: (request) => page.evaluate((r) => window.bfnSelfTest.timeToQuality(r), request),
    };
  }

  async close(): Promise<void> {
    if (!this.started) return;
    const { browser, server } = await this.started.catch(() => ({ browser: null, server: null }));
    await browser?.close();
    if (server?.pid) process.kill(-server.pid);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The PyTorch reference: one long-lived process, one JSON line per request and per answer
// ---------------------------------------------------------------------------------------------------------------

const PYTHON = process.env.BENCH_PYTHON || '/usr/bin/python3';
/** The PyTorch references: the 2D model's, and the binarized-MNIST model's. */
const REFERENCE_2D = join(import.meta.dirname, '..', 'bench', 'reference', 'bfn2d.py');
const REFERENCE_MNIST = join(import.meta.dirname, '..', 'bench', 'reference', 'bfn_mnist.py');

/** A PyTorch reference (bench/reference/bfn2d.py or bfn_mnist.py) in `serve` mode. */
class PyTorchRef {
  private answers: ((line: string) => void)[] = [];
  private stderr = '';
  private exited: string | null = null;
  version = '?';
  /** The BLAS libraries torch loaded (the speed of its matrix products depends on them). */
  blas: string[] = [];

  private constructor(private proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => this.answers.shift()?.(line));
    proc.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    const died = (why: string) => {
      this.exited ??= why;
      for (const answer of this.answers.splice(0)) answer(JSON.stringify({ error: this.exited }));
    };
    proc.on('exit', (code) => died(`the reference exited (${code}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`));
    proc.on('error', (err) => died(err.message));
    // A reference that died closes its stdin: the exit handler above reports it, not an unhandled EPIPE.
    proc.stdin.on('error', () => undefined);
  }

  /** Starts a reference file; resolves to it, or to the reason it cannot run (no Python, no torch). */
  static async start(reference: string): Promise<PyTorchRef | string> {
    if (!existsSync(PYTHON)) return `no Python at ${PYTHON} (set BENCH_PYTHON)`;
    const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
    const ref = new PyTorchRef(spawn(PYTHON, [reference, 'serve'], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      const hello = await ref.request<{ torch: string; threads: number; blas: string[] }>({ cmd: 'hello' });
      ref.version = hello.torch;
      ref.blas = hello.blas;
      return ref;
    } catch (err) {
      ref.proc.kill();
      return `${PYTHON} cannot run the reference: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Sends one request and resolves with its answer. @throws Error with the reference's message, or when it died. */
  request<T>(message: object): Promise<T> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise<T>((resolve, reject) => {
      this.answers.push((line) => {
        const answer = JSON.parse(line) as T & { error?: string };
        if (answer.error) reject(new Error(`PyTorch reference: ${answer.error}`));
        else resolve(answer);
      });
      this.proc.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Asks the reference to quit. */
  close(): void {
    if (!this.exited) this.proc.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
  }
}

/**
 * Checks that the reference computes this code's L^inf and samples for the same weights and noise (on Node's
 * backend, wasm). @returns a line for the report. @throws Error when they disagree beyond float32 rounding.
 */
async function checkAgreement(py: PyTorchRef, config: Bench2DConfig): Promise<string> {
  const ts = await bench2DAgreementCase(config);
  const ref = await py.request<{ loss: number; samples: number[] }>(ts.request);
  const lossRel = Math.abs(ts.loss - ref.loss) / Math.abs(ref.loss);
  const sampleDiff = Math.max(...ref.samples.map((v, k) => Math.abs(v - ts.samples[k]!)));
  // Each BFN-Solver: the same samples for the same weights and noise (initial state and SDE step noise).
  const solverDiffs: number[] = [];
  let solversAgree = true;
  for (const algorithm of samplerIds('continuous').filter((id): id is Exclude<SamplerId, 'original'> => id !== 'original')) {
    const c = await bench2DSolverAgreementCase(config, algorithm);
    const got = (await py.request<{ samples: number[] }>(c.request)).samples;
    const diff = Math.max(...got.map((v, k) => Math.abs(v - c.samples[k]!)));
    solversAgree &&= got.length === c.samples.length && diff <= 1e-3;
    solverDiffs.push(diff);
  }
  const line = `PyTorch agrees with TF.js (${tf.getBackend()}, MLP ${config.width} x ${config.depth}, set weights and noise): L^inf ${ts.loss.toPrecision(7)} vs ${ref.loss.toPrecision(7)} (relative difference ${lossRel.toExponential(1)}), ${ts.request.points} samples with n = ${ts.request.steps}: max |difference| ${sampleDiff.toExponential(1)}; the four BFN-Solvers, 16 samples with n = 10: max |difference| ${Math.max(...solverDiffs).toExponential(1)}`;
  if (!(lossRel <= 1e-4) || ref.samples.length !== ts.samples.length || !(sampleDiff <= 1e-3) || !solversAgree) throw new Error(`the PyTorch reference disagrees with the TypeScript code: ${line}`);
  return line;
}

/**
 * Checks that the MNIST reference (bench/reference/bfn_mnist.py) has the shipped network's parameter count and
 * computes this code's network output (logits), L^inf and samples for the same weights and noise (on Node's backend,
 * wasm). @returns a line for the report. @throws Error when the counts differ, the logits or the loss differ by more
 * than 1e-5 relative, or fewer than 99.9 % of the sampled pixels agree (a pixel whose draw u falls within float32
 * rounding of its probability may flip, and its later steps with it).
 */
async function checkMnistAgreement(py: PyTorchRef): Promise<string> {
  const ts = await benchMnistAgreementCase();
  const ref = await py.request<{ parameters: number; loss: number; logits: number[]; samples: number[] }>(ts.request);
  const lossRel = Math.abs(ts.loss - ref.loss) / Math.abs(ref.loss);
  const scale = Math.max(...ts.logits.map(Math.abs));
  const logitRel = Math.max(...ref.logits.map((v, k) => Math.abs(v - ts.logits[k]!))) / scale;
  const agree = ref.samples.filter((v, k) => v === ts.samples[k]).length / ts.samples.length;
  const { width, depth } = ts.request.config;
  const line = `PyTorch agrees with TF.js (${tf.getBackend()}, MNIST network ${width} x ${depth}, ${ts.parameters} parameters in both, set weights and noise): L^inf ${ts.loss.toPrecision(7)} vs ${ref.loss.toPrecision(7)} (relative difference ${lossRel.toExponential(1)}), logits of ${ts.request.rows} images: max |difference| ${(logitRel * scale).toExponential(1)} (${logitRel.toExponential(1)} of the largest |logit|, ${scale.toFixed(1)}); ${ts.request.images} digits with n = ${ts.request.steps}: ${(100 * agree).toFixed(2)} % of pixels equal`;
  if (ref.parameters !== ts.parameters || !(lossRel <= 1e-5) || ref.logits.length !== ts.logits.length || !(logitRel <= 1e-5) || ref.samples.length !== ts.samples.length || !(agree >= 0.999)) {
    throw new Error(`the PyTorch MNIST reference disagrees with the TypeScript code: ${line}`);
  }
  return line;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------------------------

/** A line of the report and of the JSON file. Times are milliseconds per `unit`. */
interface ResultRow {
  name: string;
  where: 'node' | 'chromium' | 'pytorch';
  backend: string;
  detail: string;
  unit: string;
  config: object;
  medianMs: number;
  /** Null where the benchmark reports only a median (mnist). */
  minMs: number | null;
  /** Timed rounds, and steps (or runs) per round. */
  repeats: number;
  blockSize: number;
  /** For a PyTorch row: the TypeScript row it was interleaved with. */
  pairedWith?: string;
  /** TypeScript / PyTorch, of the medians and of the minima, where PyTorch ran interleaved. */
  ratioToPyTorch?: { median: number; min: number };
  /** TF.js kernels per training step, or per sampling step (not per run), counted once (src/bench/kernelCount.ts). */
  kernels?: KernelCount;
}

/** What a row's `run` gets. */
interface RowContext {
  opts: Options;
  /** The TypeScript targets of the PyTorch-paired rows: Node wasm and/or Chromium wasm. */
  defaultTargets(): Promise<Target[]>;
  /** A target by place and backend (for rows over other backends). */
  target(where: 'node' | 'chromium', backend: string): Promise<Target>;
  /** The PyTorch reference, checked for agreement; null (with a note) when there is none. */
  pytorch(): Promise<PyTorchRef | null>;
  /** The PyTorch MNIST reference, checked for agreement; null (with a note) when there is none. */
  pytorchMnist(): Promise<PyTorchRef | null>;
  note(line: string): void;
  /** Records a time-to-quality line (printed as its own table, `timeToQuality` in the JSON). */
  timeToQuality(row: TimeToQualityRow): void;
  /** Chromium and the port of `vite preview` serving dist/ (rows that load the app's pages). */
  chromiumServer(): Promise<{ browser: Browser; port: number }>;
}

/** A benchmark row: `--only` names it; `run` returns its result lines. */
interface RowDef {
  name: string;
  description: string;
  inDefault: boolean;
  run(ctx: RowContext): Promise<ResultRow[]>;
}

/** The median of the round times (d3's, the mean of the middle two for an even count). */
const median = (xs: number[]) => d3Median(xs)!;

const UNITS: Record<Bench2DTask, (c: Bench2DConfig, sampler?: SamplerId) => string> = {
  train: (c) => `ms/step (MLP ${c.width}x${c.depth}, batch ${c.batch})`,
  sample: (c, sampler) => `ms/run (${c.samplePoints} points, n=${c.sampleSteps}${sampler ? `, ${sampler}` : ''})`,
};

/**
 * Times `rounds` blocks of `count` on `target`, each followed by the same block in PyTorch when `py` is given, after
 * one untimed round of each (A B A B ...). @returns the TypeScript row and, with PyTorch, its row.
 */
function interleaved(name: string, target: Target, py: PyTorchRef | null, task: Bench2DTask, config: Bench2DConfig, count: number, rounds: number): Promise<ResultRow[]> {
  return interleavedBlocks(name, target, py, [{ config, task, count }], rounds);
}

/**
 * Times `rounds` rounds on `target`; each round runs every block of `requests` in turn (A B C ... A B C ...), each
 * followed by the same block in PyTorch when `py` is given (the reference switches to that block's session, built
 * and warmed up the first time), after one untimed round. @returns per block its TypeScript row and, with PyTorch,
 * its row; a request's `sampler`, when set, is named in the unit and the config.
 */
async function interleavedBlocks(name: string, target: Target, py: PyTorchRef | null, requests: Bench2DBlockRequest[], rounds: number): Promise<ResultRow[]> {
  process.stderr.write(`${name}: ${target.where} ${target.backend}${py ? ' and PyTorch' : ''}, ${rounds} rounds of ${requests.map((q) => q.count).join(' + ')} ...\n`);
  const data = py ? Array.from(benchData2D()) : [];
  const ts: number[][] = requests.map(() => []);
  const ref: number[][] = requests.map(() => []);
  const kernels: (KernelCount | undefined)[] = requests.map(() => undefined);
  for (let r = -1; r < rounds; r++) {
    for (const [k, request] of requests.entries()) {
      // The warm-up round also counts the kernels of one step (untimed).
      const result = await target.bench2d(r < 0 ? { ...request, kernels: true } : request);
      kernels[k] ??= result.kernels;
      const a = result.ms / request.count;
      let b = NaN;
      if (py) {
        await py.request({ cmd: 'setup', task: request.task, config: request.config, data, sampler: request.sampler ?? 'original' });
        b = (await py.request<{ ms: number }>({ cmd: 'block', count: request.count })).ms / request.count;
      }
      if (r < 0) continue; // the warm-up round
      ts[k]!.push(a);
      ref[k]!.push(b);
    }
  }
  return requests.flatMap(({ task, config, count, sampler }, k) => {
    const base = { name, unit: UNITS[task](config, sampler), config: { task, ...config, ...(sampler ? { sampler } : {}) }, repeats: rounds, blockSize: count };
    return pairedRows(base, target, py, ts[k]!, ref[k]!, kernels[k]);
  });
}

/**
 * A TypeScript row (median and minimum of its per-round times, its kernel count) and, with PyTorch, the PyTorch row
 * of the same rounds with the ratios TS / PyTorch of the medians and of the minima.
 */
function pairedRows(base: Pick<ResultRow, 'name' | 'unit' | 'config' | 'repeats' | 'blockSize'>, target: Target, py: PyTorchRef | null, ts: number[], ref: number[], kernels?: KernelCount): ResultRow[] {
  const row: ResultRow = { ...base, where: target.where, backend: target.backend, detail: target.detail, medianMs: median(ts), minMs: Math.min(...ts), ...(kernels ? { kernels } : {}) };
  if (!py) return [row];
  const pyRow: ResultRow = {
    ...base, where: 'pytorch', backend: `torch ${py.version}`, detail: `1 thread, ${blasName(py.blas)}`,
    medianMs: median(ref), minMs: Math.min(...ref), pairedWith: `${target.where} ${target.backend}`,
  };
  row.ratioToPyTorch = { median: row.medianMs / pyRow.medianMs, min: row.minMs! / pyRow.minMs! };
  return [row, pyRow];
}

/** Training steps per timed MNIST block (one sampling run per block). */
const MNIST_TRAIN_BLOCK = 10;

/**
 * The MNIST rows on one target: per round, {@link MNIST_TRAIN_BLOCK} training steps and one sampling run in TypeScript
 * (the trainer kept between rounds), then the same in PyTorch when `py` is given, after one untimed round that also
 * counts the kernels per step. @returns the training and the sampling rows, each with its PyTorch row.
 */
async function interleavedMnist(target: Target, py: PyTorchRef | null, rounds: number): Promise<ResultRow[]> {
  process.stderr.write(`mnist: ${target.where} ${target.backend}${py ? ' and PyTorch' : ''}, ${rounds} rounds of ${MNIST_TRAIN_BLOCK} steps + 1 run ...\n`);
  const config = mnistReferenceConfig();
  const times = { train: { ts: [] as number[], ref: [] as number[] }, sample: { ts: [] as number[], ref: [] as number[] } };
  let kernels: MnistBenchResult['kernels'];
  let parameters = 0;
  let update = '';
  for (let r = -1; r < rounds; r++) {
    // The last round frees the kept trainer.
    const a = await target.benchMnist({ trainSteps: MNIST_TRAIN_BLOCK, sampleRepeats: 1, keep: r < rounds - 1, kernels: r < 0 });
    kernels ??= a.kernels;
    parameters = a.parameters;
    if (!update) process.stderr.write(`mnist: ${target.where} ${target.backend}: the optimizer update runs as ${a.update}\n`);
    update = a.update;
    let train = NaN;
    let run = NaN;
    if (py) {
      await py.request({ cmd: 'setup', task: 'train', config });
      train = (await py.request<{ ms: number }>({ cmd: 'block', count: MNIST_TRAIN_BLOCK })).ms / MNIST_TRAIN_BLOCK;
      await py.request({ cmd: 'setup', task: 'sample', config });
      run = (await py.request<{ ms: number }>({ cmd: 'block', count: 1 })).ms;
    }
    if (r < 0) continue;
    times.train.ts.push(a.trainTotalMs / MNIST_TRAIN_BLOCK);
    times.train.ref.push(train);
    times.sample.ts.push(a.sampleTotalMs);
    times.sample.ref.push(run);
  }
  const base = { name: 'mnist', config: { ...config, parameters, update }, repeats: rounds };
  return [
    ...pairedRows({ ...base, unit: MNIST_UNITS.train, blockSize: MNIST_TRAIN_BLOCK }, target, py, times.train.ts, times.train.ref, kernels?.trainStep),
    ...pairedRows({ ...base, unit: MNIST_UNITS.sample, blockSize: 1 }, target, py, times.sample.ts, times.sample.ref, kernels?.sampleStep),
  ];
}

const MNIST_UNITS = {
  train: `ms/step (MNIST, batch ${BENCH_MNIST.batch}, AdamW, EMA)`,
  sample: `ms/run (MNIST, ${BENCH_MNIST.sampleImages} digits, n=${BENCH_MNIST.sampleSteps})`,
};

/** A short name for the BLAS torch loaded: OpenBLAS, the reference (netlib) BLAS, or the first file's name. */
function blasName(files: string[]): string {
  if (files.some((f) => f.includes('openblas'))) return 'OpenBLAS';
  if (files.some((f) => f.includes('/blas/libblas'))) return 'netlib BLAS';
  return files[0]?.split('/').pop() ?? 'BLAS unknown';
}

/** A row that runs one task on the default targets, interleaved with PyTorch. */
function pairedRow(name: string, description: string, task: Bench2DTask, config: Bench2DConfig, count: number): RowDef {
  return {
    name, description, inDefault: true,
    async run(ctx) {
      const rows: ResultRow[] = [];
      const py = await ctx.pytorch();
      for (const target of await ctx.defaultTargets()) rows.push(...(await interleaved(name, target, py, task, config, count, ctx.opts.rounds)));
      return rows;
    },
  };
}

/** The keys of a Train2DConfig that `--ttq-config` may set. */
const TRAIN_CONFIG_KEYS = ['sigma1', 'loss', 'learningRate', 'batch', 'width', 'depth', 'residual', 'fourierFeatures', 'seed', 'emaDecay', 'cosineSteps'];

/** A line of the time-to-quality table and of the JSON file's `timeToQuality`. */
interface TimeToQualityRow extends Omit<TimeToQualityResult, 'measurements'> {
  where: 'chromium';
  backend: string;
  detail: string;
  /** The settings it trained with, the live metric's settings, the bar and the cap. */
  config: Train2DConfig;
  metric: TimeToQualityRequest['metric'];
  target: number;
  capSeconds: number;
  /** The 1-minute load average of this machine before and after the run, and its logical cores. */
  load: { before: number; after: number; cores: number };
  /** Every measurement: [seconds, step, precision, recall]. */
  measurements: [number, number, number, number][];
}

/** The page's default training settings, the settings an empty URL gives (declared in src/settings/settings2d.ts). */
function pageDefaults(): Train2DConfig {
  return trainConfigOf(DEFAULT_STATE);
}

/** The time-to-quality row: each dataset in turn, in Chromium's engine worker on wasm, with the page's defaults. */
const timeToQualityRow: RowDef = {
  name: 'time-to-quality', inDefault: false,
  description: `s from Train to live k-NN precision and recall >= ${TTQ_TARGET} with the page's defaults (Chromium wasm; ${TTQ_DATASETS.join(', ')}; cap ${TTQ_CAP_SECONDS} s)`,
  async run(ctx) {
    if (!ctx.opts.chromium) {
      ctx.note('time-to-quality runs in Chromium only (the page): skipped with --node-only.');
      return [];
    }
    const config: Train2DConfig = { ...pageDefaults(), ...ctx.opts.ttqConfig };
    if (Object.keys(ctx.opts.ttqConfig).length) ctx.note(`time-to-quality: --ttq-config ${JSON.stringify(ctx.opts.ttqConfig)} over the page's defaults.`);
    const metric = { points: DEFAULT_STATE.evalPoints, steps: DEFAULT_STATE.evalSteps, seed: METRIC_SETTINGS.seed };
    const target = await ctx.target('chromium', 'wasm');
    for (const dataset of ctx.opts.ttqDatasets) {
      process.stderr.write(`time-to-quality: ${dataset} (chromium wasm, cap ${ctx.opts.ttqCap} s) ...\n`);
      const before = loadavg()[0]!;
      const r = await target.timeToQuality!({ dataset, config, metric, target: TTQ_TARGET, capSeconds: ctx.opts.ttqCap });
      const { measurements, ...rest } = r;
      ctx.timeToQuality({
        ...rest, where: 'chromium', backend: target.backend, detail: target.detail, config, metric, target: TTQ_TARGET, capSeconds: ctx.opts.ttqCap,
        load: { before, after: loadavg()[0]!, cores: cpus().length },
        measurements: measurements.map((m) => [m.seconds, m.step, m.precision, m.recall]),
      });
    }
    return [];
  },
};

/**
 * The first-frame row: ms from navigation start to each view's first animated frame (the page's `bfn-first-frame`
 * mark, src/ui/firstFrame.ts), over `--rounds` cold loads per view (a fresh browser context each, cache disabled),
 * in Chromium with the page's own choice of backend (scripts/lib/firstFrame.ts).
 */
const firstFrameRow: RowDef = {
  name: 'first-frame', inDefault: false,
  description: 'ms from navigation to the first animated frame of every view (home, 2D per dataset, MNIST, grey MNIST, words, simplex, learn), cold loads in Chromium',
  async run(ctx) {
    if (!ctx.opts.chromium) {
      ctx.note('first-frame runs in Chromium only (the page): skipped with --node-only.');
      return [];
    }
    const { browser, port } = await ctx.chromiumServer();
    const results = await measureFirstFrames(browser, `http://127.0.0.1:${port}/`, FIRST_FRAME_VIEWS, ctx.opts.rounds, (line) => process.stderr.write(`${line}\n`));
    for (const r of results.filter((x) => x.errors.length)) ctx.note(`first-frame ${r.view.label}: ${r.errors.length} load(s) without a first frame: ${r.errors[0]}`);
    return results.map((r): ResultRow => {
      const ms = r.ms.filter((x): x is number => x !== null);
      return {
        name: 'first-frame', where: 'chromium', backend: 'page default', detail: `${r.view.label}${r.sources.length ? ` (${r.sources.join(', ')})` : ''}`,
        unit: `ms to first frame, ${FIRST_FRAME_VIEWPORT.width}x${FIRST_FRAME_VIEWPORT.height}, cold`, config: { query: r.view.query, loadsMs: r.ms },
        medianMs: ms.length ? median(ms) : NaN, minMs: ms.length ? Math.min(...ms) : NaN, repeats: ms.length, blockSize: 1,
      };
    });
  },
};

/** The rows, in the order they run. Add a row here. */
const ROWS: RowDef[] = [
  pairedRow('train-ref', 'ms per training step, MLP 128 x 3, batch 256, L^inf, Adam, no EMA (fixed reference model)', 'train', BENCH_REF_2D, 20),
  pairedRow('train-512', 'the same at width 512', 'train', { ...BENCH_REF_2D, width: 512 }, 4),
  pairedRow('sample', 'ms to sample 2000 points with n = 100 steps (reference network)', 'sample', BENCH_REF_2D, 1),
  {
    name: 'samplers', inDefault: false,
    description: 'the sample row with each sampler (original and the four BFN-Solvers) at n = 100 and n = 10, interleaved, each beside PyTorch',
    async run(ctx) {
      const rows: ResultRow[] = [];
      const py = await ctx.pytorch();
      const requests = [BENCH_REF_2D.sampleSteps, 10].flatMap((sampleSteps) =>
        samplerIds('continuous').map((sampler): Bench2DBlockRequest => ({ config: { ...BENCH_REF_2D, sampleSteps }, task: 'sample', count: 1, sampler })));
      for (const target of await ctx.defaultTargets()) rows.push(...(await interleavedBlocks('samplers', target, py, requests, ctx.opts.rounds)));
      return rows;
    },
  },
  {
    name: 'backends', inDefault: false,
    description: 'train-ref and sample on Node wasm, cpu and Chromium webgpu, webgl, wasm, cpu (no PyTorch; SwiftShader GPUs here)',
    async run(ctx) {
      const rows: ResultRow[] = [];
      const places = [...(ctx.opts.node ? ['node wasm', 'node cpu'] : []), ...(ctx.opts.chromium ? ['chromium webgpu', 'chromium webgl', 'chromium wasm', 'chromium cpu'] : [])];
      for (const place of places) {
        const [where, backend] = place.split(' ') as ['node' | 'chromium', string];
        const slow = backend === 'cpu' || backend === 'webgpu';
        const target = await ctx.target(where, backend);
        const rounds = Math.min(ctx.opts.rounds, 3);
        rows.push(...(await interleaved('backends', target, null, 'train', BENCH_REF_2D, slow ? 5 : 20, rounds)));
        rows.push(...(await interleaved('backends', target, null, 'sample', BENCH_REF_2D, 1, slow ? 1 : rounds)));
      }
      return rows;
    },
  },
  {
    name: 'mnist', inDefault: false,
    description: 'MNIST network (MLP 1024 x 3, 3.8 M parameters): ms per training step at batch 64 and per sampling run of 16 digits with n = 100, interleaved with PyTorch, and kernels per step; kernel counts alone on Node cpu and Chromium webgpu, webgl, cpu',
    async run(ctx) {
      const rows: ResultRow[] = [];
      const py = await ctx.pytorchMnist();
      for (const target of await ctx.defaultTargets()) rows.push(...(await interleavedMnist(target, py, ctx.opts.rounds)));
      // The other backends: kernel counts only (a timed MNIST step on plain JS or SwiftShader says little).
      const places = [...(ctx.opts.node ? ['node cpu'] : []), ...(ctx.opts.chromium ? ['chromium webgpu', 'chromium webgl', 'chromium cpu'] : [])];
      for (const place of places) {
        const [where, backend] = place.split(' ') as ['node' | 'chromium', string];
        process.stderr.write(`mnist: kernel counts on ${place} ...\n`);
        const target = await ctx.target(where, backend);
        const r = await target.benchMnist({ trainSteps: 0, sampleRepeats: 0, kernels: true });
        const base = { name: 'mnist', where: target.where, backend: target.backend, detail: target.detail, config: { parameters: r.parameters }, medianMs: NaN, minMs: null, repeats: 0 };
        rows.push({ ...base, unit: MNIST_UNITS.train, blockSize: MNIST_TRAIN_BLOCK, kernels: r.kernels!.trainStep });
        rows.push({ ...base, unit: MNIST_UNITS.sample, blockSize: 1, kernels: r.kernels!.sampleStep });
      }
      return rows;
    },
  },
  {
    name: 'kinds', inDefault: false,
    description: `ms per sampling run of each other kind's shipped network (${Object.keys(KIND_SAMPLING_BENCHES).join(', ')}) on Node wasm, cpu and Chromium webgpu, webgl, wasm, cpu (no PyTorch)`,
    async run(ctx) {
      const rows: ResultRow[] = [];
      const places = [...(ctx.opts.node ? ['node wasm', 'node cpu'] : []), ...(ctx.opts.chromium ? ['chromium webgpu', 'chromium webgl', 'chromium wasm', 'chromium cpu'] : [])];
      for (const place of places) {
        const [where, backend] = place.split(' ') as ['node' | 'chromium', string];
        const target = await ctx.target(where, backend);
        for (const kind of Object.keys(KIND_SAMPLING_BENCHES)) {
          process.stderr.write(`kinds: ${kind} on ${place} ...\n`);
          // The slow backends (plain JS, SwiftShader's emulated GPU) get one timed run.
          const repeats = backend === 'cpu' || backend === 'webgpu' ? 1 : Math.min(ctx.opts.rounds, 3);
          const r = await target.benchKindSampling(kind, repeats);
          rows.push({
            name: 'kinds', where: target.where, backend: target.backend, detail: target.detail, unit: `ms/run (${kind}: ${r.run})`,
            config: { kind }, medianMs: r.medianMs, minMs: r.minMs, repeats: r.repeats, blockSize: 1,
          });
        }
      }
      return rows;
    },
  },
  timeToQualityRow,
  firstFrameRow,
];

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

function printTable(rows: ResultRow[]): void {
  const f = (x: number | null | undefined, digits = 2) => (x == null || !Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(digits));
  const lines = rows.map((r) => [
    r.where === 'pytorch' ? '' : r.name, r.where, r.backend, r.detail, r.unit, f(r.medianMs), f(r.minMs), `${r.repeats} x ${r.blockSize}`,
    r.ratioToPyTorch ? `${f(r.ratioToPyTorch.median)} / ${f(r.ratioToPyTorch.min)}` : '',
    r.kernels ? `${r.kernels.compute} / ${r.kernels.total}` : '',
  ]);
  const head = ['row', 'where', 'backend', 'detail', 'unit', 'median', 'min', 'rounds', 'TS/PyTorch (median / min)', 'kernels/step (compute / all)'];
  const widths = head.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  for (const l of [head, ...lines]) console.log(l.map((c, k) => (k === 5 || k === 6 ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ').trimEnd());
}

/** Prints the time-to-quality table: one line per dataset, then the settings it used. */
function printTimeToQuality(rows: TimeToQualityRow[]): void {
  const f = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
  const head = ['dataset', `time to P,R >= ${rows[0]!.target}`, 'step', 'precision', 'recall', 'data P / R', 'steps/s', 'train / metric s', 'load (1 min) before / after'];
  const lines = rows.map((r) => [
    r.dataset, r.reached ? `${r.seconds!.toFixed(1)} s` : `not reached (${r.capSeconds} s)${r.halt ? ', loss not finite' : ''}`, String(r.last.step),
    f(r.last.precision), f(r.last.recall), `${f(r.dataPrecision)} / ${f(r.dataRecall)}`, f(r.stepsPerSecond, 0),
    `${f(r.trainSeconds, 1)} / ${f(r.measureSeconds, 1)}`, `${f(r.load.before, 2)} / ${f(r.load.after, 2)} (${r.load.cores} cores)`,
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k]!.length)));
  console.log(`\ntime to quality (${rows[0]!.where} ${rows[0]!.backend}, ${rows[0]!.detail}): wall time from Train until a live measurement shows k-NN precision and recall (k = 5) >= ${rows[0]!.target}`);
  for (const l of [head, ...lines]) console.log(l.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd());
  const c = rows[0]!.config;
  const m = rows[0]!.metric;
  console.log(
    `settings: ${networkLabel(c)}, lr ${c.learningRate}, batch ${c.batch}, ` +
      `sigma1 ${c.sigma1}, ${c.loss.type === 'inf' ? 'L^inf' : `L^n (n = ${c.loss.n})`}, EMA ${c.emaDecay ?? 0}, seed ${c.seed}; live metric: ${m.points} samples, n = ${m.steps}, seed ${m.seed}, ` +
      `vs ${METRIC_SETTINGS.heldOut} held-out points, measured as the page does (before the first step, then every max(2.5 s, 4 x the last measurement))`,
  );
}

const opts = parseArgs(process.argv.slice(2));
const selected = ROWS.filter((r) => (opts.only ? opts.only.includes(r.name) : r.inDefault));
const notes: string[] = [];
const browser = new ChromiumTargets();
let py = null as Promise<PyTorchRef | null> | null;
let pyMnist = null as Promise<PyTorchRef | null> | null;

/**
 * Starts a PyTorch reference and runs its agreement check in Node on wasm (whatever the rows' targets); notes why its
 * columns are empty when it cannot run, and a reference BLAS that flatters TypeScript.
 * @returns the reference, or null. @throws Error from the check (the reference disagrees).
 */
async function startReference(file: string, check: (ref: PyTorchRef) => Promise<string>): Promise<PyTorchRef | null> {
  const ref = await PyTorchRef.start(file);
  if (typeof ref === 'string') {
    notes.push(`PyTorch columns empty: ${ref}.`);
    return null;
  }
  if (ref.blas.some((p) => p.includes('/blas/libblas'))) {
    notes.push(`PyTorch links the reference (netlib) BLAS here (${ref.blas.join(', ')}), several times slower than OpenBLAS: the ratios flatter TypeScript. For a fair reference install OpenBLAS (Debian: apt-get install libopenblas0-pthread) or run with LD_LIBRARY_PATH=<directory of OpenBLAS's libblas.so.3>.`);
  }
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('node backend wasm did not start');
  try {
    notes.push(await check(ref));
  } catch (err) {
    ref.close();
    throw err;
  }
  return ref;
}
const ctx: RowContext = {
  opts,
  async defaultTargets() {
    return [...(opts.node ? [await nodeTarget('wasm')] : []), ...(opts.chromium ? [await browser.get('wasm')] : [])];
  },
  target: (where, backend) => (where === 'node' ? nodeTarget(backend) : browser.get(backend)),
  pytorch() {
    py ??= startReference(REFERENCE_2D, (ref) => checkAgreement(ref, BENCH_REF_2D));
    return py;
  },
  pytorchMnist() {
    pyMnist ??= startReference(REFERENCE_MNIST, checkMnistAgreement);
    return pyMnist;
  },
  note: (line) => notes.push(line),
  timeToQuality: (row) => ttq.push(row),
  chromiumServer: () => browser.server(),
};

const results: ResultRow[] = [];
const ttq: TimeToQualityRow[] = [];
// Other work on the machine slows both sides of a ratio, not always alike: the load is part of the record.
const loadBefore = loadavg()[0]!;
let failed = false;
try {
  for (const row of selected) {
    try {
      results.push(...(await row.run(ctx)));
    } catch (err) {
      failed = true;
      notes.push(`row ${row.name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
} finally {
  (await py?.catch(() => null))?.close();
  (await pyMnist?.catch(() => null))?.close();
  await browser.close();
}
notes.push(`load average (1 min) ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end, on ${cpus().length} logical cores.`);

console.log(`\nnpm run bench (${new Date().toISOString()}; times in ms, median and minimum over the rounds; TS/PyTorch < 1 means TypeScript is faster)`);
if (results.length) printTable(results);
if (ttq.length) printTimeToQuality(ttq);
for (const line of notes) console.log(`note: ${line}`);
if (opts.json) {
  writeFileSync(opts.json, `${JSON.stringify({ date: new Date().toISOString(), rows: results, ...(ttq.length ? { timeToQuality: ttq } : {}), notes }, null, 1)}\n`);
  console.log(`wrote ${opts.json}`);
}
process.exit(failed ? 1 : 0);
