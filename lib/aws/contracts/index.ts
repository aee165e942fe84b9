export * from './application-auto-scaling';
export * from './cloudwatch-alarm-actions';
export * from './eventbridge-to-sns';
export * from './sagemaker-hosting';
export * from './sagemaker-jobs';
export * from './scheduler-lambda';
export * from './step-functions';
export * from './feature-store';
