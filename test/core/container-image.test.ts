import { ContainerImage, MlPlatformError } from '../../lib/core';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-server';

describe('ContainerImage', () => {
  test('GIVEN a digest reference WHEN parsed THEN registry, repository and digest are split out', () => {
    const image = ContainerImage.fromDigest(`${ECR}:1.4@${DIGEST}`);
    expect(image.registry).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(image.repository).toBe('fraud-server');
    expect(image.tag).toBe('1.4');
    expect(image.digest).toBe(DIGEST);
    expect(image.isPinned).toBe(true);
  });

  test('GIVEN a Docker Hub short name WHEN parsed THEN it is normalized to docker.io/library', () => {
    const image = ContainerImage.fromDigest(`python@${DIGEST}`);
    expect(image.registry).toBe('docker.io');
    expect(image.repository).toBe('library/python');
    expect(image.name).toBe('python');
  });

  test('GIVEN fromDigest WHEN the reference has no digest THEN it names the reference and the fix', () => {
    expect(() => ContainerImage.fromDigest(`${ECR}:latest`)).toThrow(
      'ContainerImage.fromDigest: invalid reference "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-server:latest". '
      + 'Allowed: registry/repository@sha256:<64 lowercase hex> (a tag before the digest is allowed). '
      + 'Fix: append the digest (`docker buildx imagetools inspect <ref>` prints it), or use ContainerImage.fromTag(ref, { allowMutableTag: "<reason>" })',
    );
  });

  test.each([
    ['an empty string', ''],
    ['upper-case repository', 'Registry.example.com/Fraud@' + DIGEST],
    ['a short digest', `${ECR}@sha256:abc`],
    ['white space', `${ECR} @${DIGEST}`],
    ['two digests', `${ECR}@${DIGEST}@${DIGEST}`],
  ])('GIVEN %s WHEN fromDigest THEN MlPlatformError naming the reference', (_, reference) => {
    expect(() => ContainerImage.fromDigest(reference)).toThrow(MlPlatformError);
    expect(() => ContainerImage.fromDigest(reference)).toThrow(/ContainerImage.fromDigest: invalid reference/);
  });

  test('GIVEN a tag without a reason WHEN a construct asserts it is pinned THEN the error names the construct path and prop', () => {
    const image = ContainerImage.fromTag('nginx:1.27');
    expect(() => image.assertPinned('Platform/Endpoint', 'image')).toThrow(
      /^Platform\/Endpoint: invalid image "nginx:1.27". Allowed: an image pinned by digest/,
    );
  });

  test('GIVEN a tag with a written reason WHEN asserted THEN it is accepted and keeps the reason', () => {
    const image = ContainerImage.fromTag('nginx:1.27', { allowMutableTag: 'vendor publishes no digests' });
    expect(() => image.assertPinned('Platform/Endpoint', 'image')).not.toThrow();
    expect(image.mutableTagReason).toBe('vendor publishes no digests');
    expect(image.isPinned).toBe(false);
  });

  test('GIVEN a blank reason WHEN fromTag THEN it is rejected', () => {
    expect(() => ContainerImage.fromTag('nginx:1.27', { allowMutableTag: ' ' })).toThrow(/invalid allowMutableTag " "/);
  });

  test('GIVEN no tag WHEN fromTag THEN the implicit tag is latest', () => {
    expect(ContainerImage.fromTag('nginx', { allowMutableTag: 'demo' }).tag).toBe('latest');
  });

  test('GIVEN a digest WHEN fromTag THEN it points to fromDigest', () => {
    expect(() => ContainerImage.fromTag(`${ECR}@${DIGEST}`)).toThrow(/use ContainerImage.fromDigest/);
  });
});
