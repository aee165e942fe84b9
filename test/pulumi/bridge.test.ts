import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { definePlatform } from '../../examples/k8s-platform/platform';
import { sbomViolations } from '../support/sbom';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

const registered: Registered[] = [];

void pulumi.runtime.setMocks({
  newResource: (args) => {
    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'ml-platform', 'test', false);

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Drops what only Pulumi adds, leaving the Kubernetes object. */
function kubernetesObject(inputs: Record<string, any>): Record<string, any> {
  const { apiVersion, kind, metadata, spec } = inputs;
  return JSON.parse(JSON.stringify({ apiVersion, kind, metadata, ...(spec !== undefined ? { spec } : {}) }));
}

describe('Pulumi bridge', () => {
  test('GIVEN the Pulumi NamespaceBaseline THEN it registers exactly the objects the cdk8s example synthesizes', async () => {
    const { NamespaceBaseline, Residency } = await import('../../constructs/pulumi');
    const component = new NamespaceBaseline('ml-platform', { name: 'ml-platform', residency: Residency.EU });
    const manifests = await settle(component.manifests);
    await settle(component.urn);
    // Children register asynchronously after the component's own URN resolves.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const kubernetes = registered.filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:yaml'));
    expect(kubernetes.map((r) => r.type).sort()).toEqual(['kubernetes:core/v1:Namespace', 'kubernetes:networking.k8s.io/v1:NetworkPolicy']);
    expect(registered.find((r) => r.name === 'ml-platform')?.type).toBe('ml-platform:k8s:NamespaceBaseline');

    const cdk8sApp = new App({ outdir: 'unused' });
    const expected = definePlatform(cdk8sApp).toJson();
    const byKind = (objects: Record<string, any>[]) => [...objects].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind(kubernetes.map((r) => kubernetesObject(r.inputs)))).toEqual(byKind(expected.map(kubernetesObject)));
    expect(byKind(manifests)).toEqual(byKind(expected));
  });

  test('GIVEN the component THEN its SBOM output is a valid CycloneDX 1.6 document', async () => {
    const { NamespaceBaseline } = await import('../../constructs/pulumi');
    const component = new NamespaceBaseline('other', { name: 'other' });
    expect(await sbomViolations(await settle(component.sbom))).toEqual([]);
  });
});
