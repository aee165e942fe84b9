// Runs the program under Pulumi's mocks and prints what it registered: the synthesis step without a Pulumi engine.
import { recordResources, settle } from './mocks';

const registered = recordResources();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require('./index') as typeof import('./index');
void settle(program.fraud.manifests).then(() => {
  setTimeout(() => console.log(`registered ${registered.length} resources: ${[...new Set(registered.map((r) => r.type))].sort().join(', ')}`), 100);
});
