/**
 * `npm run sample -- models/<id> --points N --steps n --seed S --out FILE.csv`: writes N samples of a 2D model as
 * CSV (header `x,y`). The work is in scripts/lib/exportCsv.ts; a bad command line exits 2 with a one-line message.
 */
import { runSampleCli } from './lib/exportCsv';

process.exit(await runSampleCli(process.argv.slice(2)));
