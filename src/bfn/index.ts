/** The BFN core: pure functions on tf.Tensors, one module per data kind plus the shared parts (paper §3-§6). */
export * from './constants';
export * from './noise';
export * from './schedules';
export * from './gaussian';
export * from './continuous';
export * from './discretized';
export * from './discrete';
export * from './kinds';
export * from './sampler';
export * from './losses';
export * from './solverCommon';
export * from './solversContinuous';
export * from './solversDiscrete';
export * from './solvers';
