export * from './chart-bridge';
export * from './namespace-baseline';
export * from './object-registry';
export * from './placement-checks';
export * from './platform-host';
