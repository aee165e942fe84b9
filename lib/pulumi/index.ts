export * from './chart-bridge';
export * from './namespace-baseline';
