import { PlatformCatalog } from '../../lib/core';

/** The example platform's catalog: one endpoint, one batch pipeline, a drift monitor, a feature store and an edge fleet. */
export function examplePlatformCatalog(): PlatformCatalog {
  const catalog = new PlatformCatalog({
    platform: 'fraud-platform',
    owner: { team: 'fraud-ml', email: 'fraud-ml-oncall@example.com', runbookBaseUrl: 'https://runbooks.example.com/ml/' },
    residency: 'EU',
  });
  const node = catalog.addNode.bind(catalog);
  node({ id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud', version: '1.4.0', location: 's3://models/fraud/1.4.0/model.tar.gz', properties: { framework: 'xgboost' } });
  node({ id: 'image:xgboost-serving', kind: 'image', name: 'xgboost-serving', version: 'sha256:4f2c…', location: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgboost' });
  node({ id: 'Platform/Fraud', kind: 'endpoint', name: 'Fraud', location: 'fraud-endpoint', engine: 'aws', runbook: 'https://runbooks.example.com/ml/Platform-Fraud' });
  node({ id: 'Platform/Fraud/captured', kind: 'dataset', name: 'fraud captured requests', location: 's3://platform-data/captured/Fraud/' });
  node({ id: 'Platform/FraudDrift', kind: 'monitor', name: 'FraudDrift (PSI, KS)', engine: 'aws' });
  node({ id: 'Platform/FraudDrift/retrain', kind: 'retraining', name: 'retrain fraud (approval)', engine: 'aws' });
  node({ id: 'Platform/Features', kind: 'feature-group', name: 'customer-features', location: 'sagemaker feature group customer-features' });
  node({ id: 'Platform/FraudNightly/input', kind: 'dataset', name: 'nightly transactions', location: 's3://raw/transactions/' });
  node({ id: 'Platform/FraudNightly', kind: 'pipeline', name: 'FraudNightly', engine: 'aws', properties: { schedule: 'cron(0 2 * * ? *)' } });
  node({ id: 'Platform/FraudNightly/output', kind: 'dataset', name: 'fraud scores', location: 's3://platform-data/batch/FraudNightly/' });
  node({ id: 'Platform/Edge', kind: 'fleet', name: 'store terminals', engine: 'aws' });
  node({ id: 'Platform/Topic', kind: 'topic', name: 'owner alerts' });
  node({ id: 'Platform/Dashboard', kind: 'dashboard', name: 'fraud-platform dashboard' });
  const link = catalog.addLink.bind(catalog);
  link({ from: 'model:fraud@1.4.0', to: 'Platform/Fraud', relation: 'serves' });
  link({ from: 'image:xgboost-serving', to: 'Platform/Fraud', relation: 'runs' });
  link({ from: 'model:fraud@1.4.0', to: 'Platform/FraudNightly', relation: 'scores' });
  link({ from: 'image:xgboost-serving', to: 'Platform/FraudNightly', relation: 'runs' });
  link({ from: 'model:fraud@1.4.0', to: 'Platform/Edge', relation: 'serves' });
  link({ from: 'Platform/Features', to: 'Platform/Fraud', relation: 'feeds' });
  link({ from: 'Platform/Features', to: 'Platform/FraudNightly', relation: 'feeds' });
  link({ from: 'Platform/Fraud', to: 'Platform/Fraud/captured', relation: 'captures' });
  link({ from: 'Platform/Fraud/captured', to: 'Platform/FraudDrift', relation: 'reads' });
  link({ from: 'Platform/FraudDrift', to: 'Platform/Fraud', relation: 'monitors' });
  link({ from: 'Platform/FraudDrift', to: 'Platform/FraudDrift/retrain', relation: 'triggers' });
  link({ from: 'Platform/FraudNightly/input', to: 'Platform/FraudNightly', relation: 'reads' });
  link({ from: 'Platform/FraudNightly', to: 'Platform/FraudNightly/output', relation: 'writes' });
  link({ from: 'Platform/FraudDrift', to: 'Platform/Topic', relation: 'notifies' });
  link({ from: 'Platform/Fraud', to: 'Platform/Topic', relation: 'notifies' });
  link({ from: 'Platform/FraudNightly', to: 'Platform/Topic', relation: 'notifies' });
  return catalog;
}
