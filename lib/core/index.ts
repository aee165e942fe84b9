export * from './errors';
export * from './tokens';
export * from './container-image';
export * from './model-artifact';
export * from './model-inputs';
export * from './number-range';
export * from './residency';
export * from './sbom';
export { LIBRARY_NAME, libraryVersion } from './library-info';
