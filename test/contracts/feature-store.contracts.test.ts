import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FeatureStore } from '../../constructs/feature-store/aws';
import { FeatureSchemaLock } from '../../constructs/feature-store/schema-lock';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import {
  CREATE_FEATURE_GROUP_ONLINE_KEY, FEATURE_GROUP_READ, FEATURE_GROUP_WRITE, OFFLINE_STORE_WRITE, TRAINING_SET_QUERY,
} from '../../lib/aws/contracts/feature-store';
import { FRAUD_FEATURES } from '../feature-store/fixtures';
import { contractViolations } from '../support/service-contracts';

function storeStack() {
  const app = new App();
  app.node.setContext('featureStoreLock', 'update');
  const stack = new Stack(app, 'Features', { env: { region: 'eu-west-1', account: '123456789012' } });
  const key = new EncryptionKey(stack, 'Key').key;
  const store = new FeatureStore(stack, 'FraudFeatures', {
    ...FRAUD_FEATURES,
    encryptionKey: key,
    notifications: new OwnerNotifications(stack, 'Owner', { encryptionKey: key }),
    schemaLock: FeatureSchemaLock.inMemory(),
    trainingSets: [{
      name: 'fraud-training',
      entityDatabase: 'fraud_labels',
      entityTable: 'labels',
      entityLocation: 's3://fraud-labels-eu/labels/',
      timestampColumn: 'label_time',
      featureGroups: ['customer-spend', 'transaction-risk'],
    }],
  });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
  store.grantRead(reader);
  store.grantWrite(writer);
  return { stack, key, store, reader, writer, template: Template.fromStack(stack) };
}

test('GIVEN the offline store role THEN it holds every action SageMaker needs to write the offline store, scoped', () => {
  const { store, template } = storeStack();
  expect(contractViolations(template, OFFLINE_STORE_WRITE, { role: store.offlineStoreRole })).toEqual([]);
});

test('GIVEN a training set THEN its state machine role holds every action the Athena .sync UNLOAD needs, scoped', () => {
  const { store, template } = storeStack();
  expect(contractViolations(template, TRAINING_SET_QUERY, { role: store.trainingSets['fraud-training'].stateMachine.role })).toEqual([]);
});

test('GIVEN grantRead and grantWrite THEN the grantees hold the data-plane actions and the key\'s Decrypt', () => {
  const { reader, writer, template } = storeStack();
  expect(contractViolations(template, FEATURE_GROUP_READ, { role: reader })).toEqual([]);
  expect(contractViolations(template, FEATURE_GROUP_WRITE, { role: writer })).toEqual([]);
});

test('GIVEN the online store key THEN its policy delegates CreateFeatureGroup\'s key actions to the account', () => {
  const { key, template } = storeStack();
  expect(contractViolations(template, CREATE_FEATURE_GROUP_ONLINE_KEY, { key })).toEqual([]);
});
