/**
 * The conformance checker must fail when a reference value is off: each mutation below changes one stored number
 * (or removes a file or a field) and the corresponding check must report a failure naming it.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkIndex, checkVectorFile } from '../../src/conformance/checks';
import { useBackend } from '../backends';
import { loadVectorFiles } from '../../scripts/lib/vectors';

const files = loadVectorFiles();
const byName = (name: string) => {
  const f = files.find((v) => v.name === name);
  if (!f) throw new Error(`${name} missing from the vector directory`);
  return { name, json: structuredClone(f.json) as Record<string, any> };
};

describe('conformance checker sensitivity (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  test.each([
    ['cts_flow.json', (j: any) => { j.cases[0].outputs.mu_official_f32.data[2][3] *= 1.01; }, /mu vs official/],
    ['discretized_output.json', (j: any) => { j.cases[0].outputs.probs_official_f32.data[1][1][7] += 1e-4; }, /probs vs official/],
    ['discrete_losses.json', (j: any) => { const o = j.cases[1].discrete_time.outputs; o[Object.keys(o).find((k) => k.startsWith('loss_per_row_official_f32'))!].data[3][0] += 0.05; }, /L\^n factorised receiver vs official/],
    ['sampling.json', (j: any) => { j.trajectories.continuous.steps[4]['mu_after'].data[1][2] += 1e-3; }, /step 5 mu after/],
    ['schedules.json', (j: any) => { j.continuous[1].alpha_i[3].official_python_float64[7] *= 1 + 1e-6; }, /alpha_i n=25 float64/],
  ])('a changed value in %s fails', async (name, mutate, pattern) => {
    const file = byName(name);
    mutate(file.json);
    const failed = (await checkVectorFile(file)).filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((r) => r.check).join('\n')).toMatch(pattern);
  });

  test('a malformed file, an unknown file and a file missing from INDEX.json fail', async () => {
    const broken = byName('cts_output_xhat.json');
    delete broken.json.inputs.eps_hat;
    expect((await checkVectorFile(broken)).some((r) => !r.ok && /eps_hat/.test(r.message))).toBe(true);
    expect((await checkVectorFile({ name: 'mystery.json', json: {} }))[0]!.ok).toBe(false);
    const index = byName('INDEX.json');
    expect(checkIndex([index])[0]!.ok).toBe(false);
    expect(checkIndex([index])[0]!.message).toMatch(/missing: schedules.json/);
  });
});
