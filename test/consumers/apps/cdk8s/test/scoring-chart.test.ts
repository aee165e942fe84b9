import { Testing } from 'cdk8s';
import { AppSbom, applyResidency, Residency } from 'ml-platform-constructs/k8s';
import { kubernetesConformance, stableSnapshotSerializer } from 'ml-platform-constructs/testing';
import { ScoringChart } from '../scoring-chart';

expect.addSnapshotSerializer(stableSnapshotSerializer);

function chart(): ScoringChart {
  const app = Testing.app();
  applyResidency(app, Residency.EU);
  return new ScoringChart(app, 'scoring');
}

test('every object passes its schema, has no unknown field and meets Pod Security Standards restricted', () => {
  expect(kubernetesConformance(Testing.synth(chart()))).toEqual([]);
});

test('the bill of materials lists the models, images, datasets and this library', () => {
  const scoring = chart();
  Testing.synth(scoring);
  expect(JSON.parse(AppSbom.of(scoring).toJson()).components).toMatchSnapshot();
});
