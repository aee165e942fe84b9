export * from './chart-bridge';
export * from './namespace-baseline';
export * from './placement-checks';
export * from './platform-host';
