export * from './ggmlTypes';
export * from './reader';
export * from './derive';
export * from './local';
