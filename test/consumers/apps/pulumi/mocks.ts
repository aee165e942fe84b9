import * as pulumi from '@pulumi/pulumi';

/** Pulumi's mocks (no engine, no CLI): every registered resource is recorded with its inputs. */
export function recordResources(): Array<{ type: string; name: string }> {
  const registered: Array<{ type: string; name: string }> = [];
  void pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'consumer', 'test', false);
  return registered;
}

/** The value of an output, once known. */
export function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
