/**
 * `npm run data -- <dataset> --points N --seed S --out FILE.csv`: writes N points of a built-in 2D dataset as CSV
 * (header `x,y`). The work is in scripts/lib/exportCsv.ts; a bad command line exits 2 with a one-line message.
 */
import { runDataCli } from './lib/exportCsv';

process.exit(await runDataCli(process.argv.slice(2)));
