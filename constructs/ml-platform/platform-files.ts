/** The files a platform writes at synthesis, beside its template (AWS) or manifests (cdk8s). */
export function platformFileNames(platformName: string): { readonly catalog: string; readonly mermaid: string; readonly svg: string } {
  return {
    catalog: `${platformName}.catalog.json`,
    mermaid: `${platformName}.diagram.md`,
    svg: `${platformName}.diagram.svg`,
  };
}
