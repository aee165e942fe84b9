// What AWS IoT Greengrass v2 and AWS IoT jobs accept in a deployment's job configuration, with the page beside each
// limit; the plan checks props against these, so a refused deployment is a synthesis error, not a failed execution.

const GG_API = 'https://docs.aws.amazon.com/greengrass/v2/APIReference';

export const GREENGRASS_LIMITS = {
  rolloutRate: {
    // IoTJobExponentialRolloutRate.baseRatePerMinute and IoTJobExecutionsRolloutConfig.maximumPerMinute: 1-1000.
    min: 1,
    max: 1000,
    source: `1-1,000 devices per minute (${GG_API}/API_IoTJobExponentialRolloutRate.html)`,
  },
  incrementFactor: {
    // IoTJobExponentialRolloutRate.incrementFactor: 1-5, one digit after the decimal.
    min: 1,
    max: 5,
    source: `1-5 with one decimal (${GG_API}/API_IoTJobExponentialRolloutRate.html)`,
  },
  rateIncreaseThings: {
    // IoTJobRateIncreaseCriteria.numberOfSucceededThings: at least 1; an Integer field, so at most 2^31 - 1.
    max: 2_147_483_647,
    source: `at least 1 (${GG_API}/API_IoTJobRateIncreaseCriteria.html)`,
  },
  abortCriteria: {
    // IoTJobAbortCriteria: thresholdPercentage up to 100 with two decimals; minNumberOfExecutedThings at least 1.
    maxExecutedThings: 2_147_483_647,
    source: `threshold 0-100 % with two decimals, at least 1 executed thing (${GG_API}/API_IoTJobAbortCriteria.html)`,
  },
  // IoTJobTimeoutConfig.inProgressTimeoutInMinutes: 1 minute to 7 days (the AWS IoT jobs limit on in-progress timers).
  maxMinutes: 10_080,
  timeoutSource: `1 minute to 7 days (${GG_API}/API_IoTJobTimeoutConfig.html)`,
  targetName: {
    // CreateDeployment's targetArn names a thing group; thing group names are 1-128 of [a-zA-Z0-9:_-]
    // (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateThingGroup.html). Argo CD cluster names used as
    // targets follow the same rule, so one fleet description serves both engines.
    pattern: /^[a-zA-Z0-9:_-]+$/,
    maxLength: 128,
    allowed: '1-128 letters, digits, ":", "_" and "-" (an AWS IoT thing group name)',
  },
  // One Greengrass deployment and one pass of the wave loop per wave; 20 keeps an execution's history far below the
  // 25,000 events a standard workflow allows (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
  maxWaves: 20,
} as const;
