import { App } from 'cdk8s';
import { checkRules, describeWithPromtool, type RuleFile } from './promtool';
import { definePlatform } from '../../examples/k8s-platform/platform';

/** Every object of the example Kubernetes platform. */
function exampleObjects(): any[] {
  return definePlatform(new App({ outdir: 'unused' })).toJson();
}

/** Every AnalysisTemplate's Prometheus queries as recording rules, with each `{{args.<name>}}` given a sample value. */
function analysisQueriesAsRules(objects: any[]): RuleFile[] {
  return objects.filter((o) => o.kind === 'AnalysisTemplate').map((template) => ({
    groups: [{
      name: template.metadata.name,
      rules: template.spec.metrics.filter((m: any) => m.provider.prometheus).map((m: any) => ({
        record: `analysis:${m.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
        expr: m.provider.prometheus.query.replace(/\{\{args\.[^}]+\}\}/g, 'sample'),
      })),
    }],
  }));
}

describeWithPromtool('the example Kubernetes platform, checked by promtool', () => {
  const objects = exampleObjects();

  test('GIVEN every PrometheusRule the example emits THEN promtool check rules accepts each', () => {
    const rules = objects.filter((o) => o.kind === 'PrometheusRule');
    expect(rules.length).toBeGreaterThan(0);
    const run = checkRules(rules.map((rule) => rule.spec));
    expect(run.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(rules.length);
    expect(run.status).toBe(0);
  });

  test('GIVEN every AnalysisTemplate the example emits THEN its queries parse as PromQL (promtool check rules on them as recording rules)', () => {
    const files = analysisQueriesAsRules(objects);
    expect(files.length).toBeGreaterThan(0);
    const run = checkRules(files);
    expect(run.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(files.length);
    expect(run.status).toBe(0);
  });

  test('GIVEN a rule promtool rejects THEN the check fails and names the problem', () => {
    const run = checkRules([{ groups: [{ name: 'broken', rules: [{ alert: 'Broken', expr: 'sum(rate(x[5m])' }] }] }]);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/FAILED:[\s\S]*unclosed left parenthesis/);
  });
});
