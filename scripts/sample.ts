/**
 * `npm run sample -- models/<id> --points N --steps n --seed S [--sampler ID] --out FILE.csv`: writes N samples of a
 * 2D model as CSV (header `x,y`), drawn with the original BFN sampler (the default) or a BFN-Solver (`--sampler
 * ode_bfnsolver1 | ode_bfnsolver2_multi_step | sde_bfnsolver1 | sde_bfnsolver2_multi_step`). The work is in
 * scripts/lib/exportCsv.ts; a bad command line (an unknown sampler included) exits 2 with a one-line message.
 */
import { runSampleCli } from './lib/exportCsv';

process.exit(await runSampleCli(process.argv.slice(2)));
