// Synthesizes N CanaryEndpoints under MlPlatforms (60 per stack) in this process and prints its peak resident
// memory in bytes: run by platform.bench.ts as a child process, so that nothing else counts against the peak.
import { platformFleet } from './fleets';
import { withTempDir } from './support';

const endpoints = Number(process.argv[2] ?? 200);
withTempDir('bench-memory-', (outdir) => platformFleet(endpoints, outdir).synth());
// resourceUsage().maxRSS is in kilobytes (getrusage's ru_maxrss).
console.log(process.resourceUsage().maxRSS * 1024);
