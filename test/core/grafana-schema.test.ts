import { join } from 'path';
import * as ts from 'typescript';
import { PlatformDashboard } from '../../lib/core';

/**
 * Type-checks a Grafana dashboard JSON, as an object literal, against `Dashboard` from @grafana/schema (Grafana's
 * types generated from its own dashboard schema). An object literal gets TypeScript's excess-property check: a field
 * Grafana does not know, or a value of the wrong type, is a diagnostic. Returns the diagnostics' messages.
 */
function grafanaSchemaErrors(json: unknown): string[] {
  // `ThresholdsMode` is a TypeScript enum in the schema types: its member stands for the JSON string "absolute".
  const literal = JSON.stringify(json, null, 2).replace(/"mode": "absolute"/g, '"mode": ThresholdsMode.Absolute');
  const fileName = join(__dirname, '__grafana_schema_check__.ts');
  const source = `import { type Dashboard, ThresholdsMode } from '@grafana/schema';\nexport const dashboard: Dashboard = ${literal};\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === fileName
    ? ts.createSourceFile(name, source, language)
    : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

function fullDashboard(): PlatformDashboard {
  const dashboard = new PlatformDashboard({ title: 'fraud-platform' });
  dashboard.addRow({
    title: 'Endpoint fraud',
    widgets: [
      {
        type: 'timeSeries',
        title: 'p99 latency',
        unit: 'milliseconds',
        description: 'The canary and the stable fleet',
        metrics: [{ label: 'p99', prometheus: { expr: 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))' } }, { label: 'pods', prometheus: { expr: 'y', legendFormat: '{{pod}}' } }],
        thresholds: [{ value: 1000, label: 'rollback gate' }, { value: 800, label: 'warn', severity: 'warning' }],
      },
      { type: 'singleValue', title: 'Instances', unit: 'count', metric: { label: 'replicas', prometheus: { expr: 'z' } }, thresholds: [{ value: 1, label: 'min' }] },
      { type: 'text', title: 'Runbook', markdown: '[runbook](https://runbooks.example.com/ml/fraud)' },
    ],
  });
  return dashboard;
}

describe('Grafana dashboard JSON against Grafana\'s schema types', () => {
  test('GIVEN every kind of widget and the data-source variable WHEN rendered THEN @grafana/schema accepts the JSON', () => {
    expect(grafanaSchemaErrors(fullDashboard().toGrafanaJson({ tags: ['ml-platform'] }))).toStrictEqual([]);
  });

  test('GIVEN a fixed data-source uid WHEN rendered THEN @grafana/schema accepts the JSON', () => {
    expect(grafanaSchemaErrors(fullDashboard().toGrafanaJson({ datasourceUid: 'prometheus' }))).toStrictEqual([]);
  });

  test('GIVEN a field Grafana does not know WHEN checked THEN the check names it (the check is not vacuous)', () => {
    const json = { ...fullDashboard().toGrafanaJson(), bogusField: 1 };
    expect(grafanaSchemaErrors(json)).toStrictEqual([
      'Object literal may only specify known properties, and \'"bogusField"\' does not exist in type \'Dashboard\'.',
    ]);
  });

  test('GIVEN the data-source variable without a current value (the JSON before the fix) WHEN checked THEN Grafana\'s types refuse it', () => {
    const json = fullDashboard().toGrafanaJson() as { templating: { list: Array<Record<string, unknown>> } };
    json.templating.list[0].current = {};
    expect(grafanaSchemaErrors(json)).toStrictEqual(['Type \'{}\' is missing the following properties from type \'VariableOption\': text, value']);
  });
});
