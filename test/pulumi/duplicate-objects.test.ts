// The same Kubernetes object created by two components of one Pulumi program (issue 9, finding 6, on Pulumi).
import * as k8s from '@pulumi/kubernetes';
import { BatchScoringPipeline, CanaryEndpoint, FeatureStore, MlPlatform, NamespaceBaseline } from '../../constructs/pulumi';
import { FRAUD_FEATURES, FRAUD_SCORING } from '../../examples/k8s-platform/platform-chart';
import { FRAUD_ML_OWNER } from '../../examples/shared/fraud-ml-owner';
import type { MlPlatformError } from '../../lib/core';
import { IMAGE, MODEL, thrownBy as thrownAny } from '../support/canary-fixtures';
import { endProgram, nextProgram } from '../support/pulumi-mocks';

const thrownBy = (build: () => unknown): MlPlatformError => thrownAny(build) as MlPlatformError;
const ENDPOINT = { model: MODEL, image: IMAGE };

// Every test is a program of its own.
beforeEach(async () => {
  await nextProgram();
});
afterAll(() => endProgram());

describe('GIVEN two components of one program creating the same object', () => {
  test('WHEN two CanaryEndpoints are named fraud THEN an MlPlatformError names both components, the object and the name', () => {
    new CanaryEndpoint('first', { ...ENDPOINT, name: 'fraud', namespace: 'ml' });
    const error = thrownBy(() => new CanaryEndpoint('second', { ...ENDPOINT, name: 'fraud', namespace: 'ml' }));
    expect(error.message).toBe('ml-platform:serving:CanaryEndpoint second: invalid name "fraud". Allowed: a name no other component of the program gives '
      + 'the same object: ml-platform:serving:CanaryEndpoint first already creates ServiceAccount "fraud" in namespace "ml" (named by its name); '
      + 'this component would create it too (named by its name), and one would overwrite the other. '
      + 'Fix: give ml-platform:serving:CanaryEndpoint first another name or ml-platform:serving:CanaryEndpoint second another name, '
      + 'or put one of them in another namespace');
  });

  test('WHEN an endpoint and a pipeline are both named fraud THEN the ServiceAccount they share is named', () => {
    new CanaryEndpoint('fraud-endpoint', { ...ENDPOINT, name: 'fraud', namespace: 'ml' });
    const error = thrownBy(() => new BatchScoringPipeline('fraud-scoring', { ...FRAUD_SCORING, name: 'fraud', namespace: 'ml' }));
    expect(error.prop).toBe('name');
    expect(error.allowed).toBe('a name no other component of the program gives the same object: ml-platform:serving:CanaryEndpoint fraud-endpoint already creates '
      + 'ServiceAccount "fraud" in namespace "ml" (named by its name); this component would create it too (named by its name), and one would overwrite the other');
  });

  test('WHEN neither gives a name and both take the component name THEN the message says the name was derived', () => {
    new CanaryEndpoint('fraud', ENDPOINT);
    const error = thrownBy(() => new BatchScoringPipeline('fraud', { ...FRAUD_SCORING, name: undefined }));
    expect(error.allowed).toBe('a name no other component of the program gives the same object: ml-platform:serving:CanaryEndpoint fraud already creates '
      + 'ServiceAccount "fraud" in the provider\'s default namespace or cluster-wide (named after the component: no name given); '
      + 'this component would create it too (named after the component: no name given), and one would overwrite the other');
  });

  test('WHEN two feature stores share a storeName THEN the error names storeName', () => {
    new FeatureStore('features', { ...FRAUD_FEATURES, namespace: 'ml' });
    const error = thrownBy(() => new FeatureStore('more-features', { ...FRAUD_FEATURES, namespace: 'ml' }));
    expect([error.where, error.prop, error.value]).toEqual(['ml-platform:features:FeatureStore more-features', 'storeName', FRAUD_FEATURES.storeName]);
    expect(error.allowed).toContain(`already creates ConfigMap "${FRAUD_FEATURES.storeName}-feature-repo" in namespace "ml" (named by its storeName)`);
  });

  test('WHEN a NamespaceBaseline creates the namespace a platform creates THEN the Namespace is named', () => {
    new MlPlatform('platform', { namespace: 'ml', platformName: 'fraud-ml', owner: FRAUD_ML_OWNER });
    const error = thrownBy(() => new NamespaceBaseline('ml', { name: 'ml' }));
    expect(error.allowed).toMatch(/^a name no other component of the program gives the same object: ml-platform:platform:MlPlatform platform already creates Namespace "ml" /);
  });

  test('WHEN a standalone component goes to a platform\'s namespace with a platform component\'s name THEN it is refused', () => {
    const platform = new MlPlatform('platform', { namespace: 'ml', platformName: 'fraud-ml', owner: FRAUD_ML_OWNER });
    new CanaryEndpoint('fraud', { ...ENDPOINT, name: 'fraud', platform });
    const error = thrownBy(() => new BatchScoringPipeline('nightly', { ...FRAUD_SCORING, name: 'fraud', namespace: 'ml' }));
    expect(error.allowed).toContain('ml-platform:serving:CanaryEndpoint fraud already creates ServiceAccount "fraud" in namespace "ml"');
  });

  test('WHEN two components of different types given one platform share a Pulumi name THEN an MlPlatformError names both', () => {
    const platform = new MlPlatform('platform', { namespace: 'ml', platformName: 'fraud-ml', owner: FRAUD_ML_OWNER });
    new CanaryEndpoint('fraud', { ...ENDPOINT, platform });
    const error = thrownBy(() => new BatchScoringPipeline('fraud', { ...FRAUD_SCORING, name: 'fraud-scoring', platform }));
    expect(error.message).toBe('ml-platform:batch:BatchScoringPipeline fraud: invalid name "fraud". Allowed: a component name no other component given '
      + 'platform "ml" has: ml-platform:serving:CanaryEndpoint fraud is built below the platform under that name. '
      + 'Fix: give ml-platform:serving:CanaryEndpoint fraud or ml-platform:batch:BatchScoringPipeline fraud another Pulumi name');
  });
});

describe('GIVEN the same names where they do not clash', () => {
  test('WHEN two endpoints named fraud go to different namespaces THEN both are created', () => {
    new CanaryEndpoint('fraud-eu', { ...ENDPOINT, name: 'fraud', namespace: 'ml-eu' });
    expect(new CanaryEndpoint('fraud-us', { ...ENDPOINT, name: 'fraud', namespace: 'ml-us' }).name).toBe('fraud');
  });

  test('WHEN two endpoints named fraud go through different Kubernetes providers THEN both are created', () => {
    new CanaryEndpoint('fraud-a', { ...ENDPOINT, name: 'fraud' }, { kubernetesProvider: new k8s.Provider('cluster-a', {}) });
    expect(new CanaryEndpoint('fraud-b', { ...ENDPOINT, name: 'fraud' }, { kubernetesProvider: new k8s.Provider('cluster-b', {}) }).name).toBe('fraud');
  });

  test('WHEN the same component is created in two programs of one process THEN each program creates it', async () => {
    new CanaryEndpoint('fraud', { ...ENDPOINT, name: 'fraud' });
    await nextProgram();
    expect(new CanaryEndpoint('fraud', { ...ENDPOINT, name: 'fraud' }).name).toBe('fraud');
  });
});
