export * from './app-sbom';
export * from './hardened-container';
export * from './hardened-workload';
export * from './namespace-baseline';
export * from './residency';
