/** The team that owns the example platforms: every alarm and alert names it and links its runbook. */
export const FRAUD_ML_OWNER = {
  team: 'fraud-ml',
  email: 'fraud-ml-oncall@example.com',
  runbookBaseUrl: 'https://runbooks.example.com/ml/',
};

/** The example platforms' name: their catalogs are `fraud-platform.catalog.json`, their dashboards `fraud-platform`. */
export const FRAUD_PLATFORM_NAME = 'fraud-platform';
