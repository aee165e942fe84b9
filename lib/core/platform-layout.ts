/**
 * Where each construct keeps its data in a platform's shared data bucket: one documented prefix per construct,
 * and each construct's role reaches only its own.
 */
export const PLATFORM_DATA_LAYOUT = {
  /**
   * Captured requests and responses of an endpoint. SageMaker appends `<endpoint name>/<variant>/yyyy/mm/dd/hh/`
   * to the capture destination (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html),
   * so the destination is this root and the endpoint's own prefix is `dataCapture(name)`.
   */
  dataCaptureRoot: 'data-capture',
  /** The prefix an endpoint's captured data lands under. */
  dataCapture: (endpointName: string) => `data-capture/${endpointName}/`,
  /** The input and output prefixes of a batch scoring pipeline. */
  pipelineInput: (pipelineName: string) => `pipelines/${pipelineName}/input/`,
  pipelineOutput: (pipelineName: string) => `pipelines/${pipelineName}/output/`,
  /** Reports a monitor writes (drift statistics, validation results). */
  reports: (constructName: string) => `reports/${constructName}/`,
  /** A feature store's offline store, Athena query results and training sets. */
  featureStore: (storeName: string) => `features/${storeName}/`,
} as const;
