export * from './alarms';
export * from './data-bucket';
export * from './encryption-key';
export * from './nag-acknowledgements';
export * from './residency';
export { RESIDENCY_RULES, residencyViolations } from './residency-rules';
export * from './stack-sbom';
export * from './sagemaker-execution';
export * from './service-contracts';
