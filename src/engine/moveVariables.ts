/**
 * Moving the engine to another TF.js backend with its state: every variable (the loaded networks' weights, a
 * trainer's moments and weight average) is read asynchronously on the backend it lives on (never a synchronous GPU
 * read) and written on the new one before it becomes the active backend. Other tensors still on the old backend move
 * on first use (TF.js's engine moves a tensor's data when a kernel of another backend reads it).
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Makes `name` the active backend, every registered variable's values moved to it (shapes, dtypes, names and
 * trainable flags kept). @returns the number of variables moved. @throws Error when `name` does not start (the old
 * backend stays active and no variable has changed).
 */
export async function switchBackendWithVariables(name: string): Promise<number> {
  const variables = Object.values(tf.engine().registeredVariables);
  const values = await Promise.all(variables.map((v) => v.data()));
  const old = tf.getBackend();
  let started: boolean;
  try {
    started = (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    started = false;
  }
  if (!started) {
    await tf.setBackend(old);
    throw new Error(`the ${name} backend did not start`);
  }
  variables.forEach((v, k) => {
    const copy = tf.tensor(values[k]!, v.shape, v.dtype);
    v.assign(copy);
    copy.dispose();
  });
  return variables.length;
}
