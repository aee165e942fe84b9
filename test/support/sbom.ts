// The SBOM validation ships with the library (`ml-platform-constructs/testing`); the repository's tests use the same code.
export { sbomViolations } from '../../lib/testing/sbom-validation';
