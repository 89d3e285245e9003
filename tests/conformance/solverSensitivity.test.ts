/**
 * The BFN-Solver conformance checker must fail when a reference value, an input or a solver parameter is off: each
 * mutation below changes one stored number or label of one case (or removes a file) and the checker must report a
 * failure naming the affected comparison. The cases come from the official code's vectors (tests/solver-vectors).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkIndex } from '../../src/conformance/checks';
import { checkSolverVectorFile } from '../../src/conformance/solverChecks';
import { useBackend } from '../backends';
import { loadVectorFiles, SOLVER_VECTORS_DIR } from '../../scripts/lib/vectors';

const files = loadVectorFiles(SOLVER_VECTORS_DIR);

/** A deep copy of one file holding only case `k` (so that each mutation costs one case's run). */
function oneCase(name: string, k: number): { name: string; json: Record<string, any> } {
  const f = files.find((v) => v.name === name);
  if (!f) throw new Error(`${name} missing from ${SOLVER_VECTORS_DIR}`);
  const json = structuredClone(f.json) as Record<string, any>;
  json.cases = [json.cases[k]];
  return { name, json };
}

const out = (c: any, prefix: string) => c.outputs[Object.keys(c.outputs).find((key) => key.startsWith(prefix))!];
const inp = (c: any, prefix: string) => c.inputs[Object.keys(c.inputs).find((key) => key.startsWith(prefix))!];

describe('BFN-Solver conformance checker sensitivity (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  test.each([
    ['unchanged copy passes', 'cts_ode_bfnsolver2_multi_step.json', 3, () => {}, null],
    ['a reference state value', 'cts_ode_bfnsolver2_multi_step.json', 3, (c: any) => { out(c, 'state_after_step_reference_f64').data[2][1][0] += 1e-3; }, /state_after_step/],
    ['a reference clipped prediction', 'cts_sde_bfnsolver2_multi_step.json', 2, (c: any) => { out(c, 'x0_pred_clipped_reference_f64').data[1][0][1] *= 1.001; }, /x0_pred_clipped/],
    ['a stored SDE noise draw', 'cts_sde_euler.json', 3, (c: any) => { inp(c, 'step_noise').data[4][2][1] += 0.01; }, /state_after_step/],
    ['a stored initial noise draw', 'discrete_ode_bfnsolver1.json', 1, (c: any) => { inp(c, 'init_noise').data[0][3][1] += 0.01; }, /x_init/],
    ['the schedule parameter beta1', 'discrete_sde_bfnsolver2_multi_step.json', 1, (c: any) => { c.params.beta1 *= 1.001; }, /state_after_step/],
    ['the grid parameter eta', 'discrete_ode_bfnsolver2_single_step.json', 1, (c: any) => { c.params.eta *= 1.5; }, /net_t/],
    ['a sample class', 'discrete_ode_euler.json', 0, (c: any) => { const s = out(c, 'samples_official').data; s[0][0] = (s[0][0] + 1) % 3; }, /samples/],
    ['a categorical class', 'discrete_sde_bfnsolver1.json', 11, (c: any) => { const s = out(c, 'categorical_classes_official').data; s[2][1][3] = (s[2][1][3] + 1) % 3; }, /categorical classes/],
    ['a step branch label', 'cts_ode_bfnsolver1.json', 2, (c: any) => { c.step_branch[1] = 'last_drop'; }, /step branches/],
    ['one draw too many in draw_order', 'cts_ode_bfnsolver1.json', 2, (c: any) => { c[Object.keys(c).find((k) => k.startsWith('draw_order'))!].push(['init_noise', 0, null]); }, /draws left unconsumed/],
  ] as const)('%s', async (_what, name, k, mutate, pattern) => {
    const file = oneCase(name, k);
    mutate(file.json.cases[0]);
    const failed = (await checkSolverVectorFile(file)).filter((r) => !r.ok);
    if (pattern === null) {
      expect(failed.map((r) => `${r.check}: ${r.message}`)).toEqual([]);
    } else {
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.map((r) => r.check).join('\n')).toMatch(pattern);
    }
  });

  test('a non-solver file, a file without cases and an INDEX.json naming a missing file fail', async () => {
    expect((await checkSolverVectorFile({ name: 'schedules.json', json: { t: [] } }))[0]!.ok).toBe(false);
    const empty = oneCase('cts_sde_euler.json', 0);
    empty.json.cases = [];
    expect((await checkSolverVectorFile(empty)).some((r) => !r.ok)).toBe(true);
    const index = files.find((f) => f.name === 'INDEX.json')!;
    const result = checkIndex([index, ...files.filter((f) => f.name !== 'cts_sde_euler.json' && f.name !== 'INDEX.json')]);
    expect(result[0]!.ok).toBe(false);
    expect(result[0]!.message).toMatch(/missing: cts_sde_euler.json/);
  });
});
