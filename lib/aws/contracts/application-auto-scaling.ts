import type { ServiceCallContract } from '../service-contracts';

/**
 * Application Auto Scaling changes a SageMaker variant's instance count with its service-linked role, which it creates
 * on first use; a scalable target must name that role (a role of ours would need sagemaker:UpdateEndpointWeightsAndCapacities
 * and cloudwatch alarm management, all of which the service-linked role's managed policy already holds).
 */
export const SAGEMAKER_VARIANT_AUTOSCALING: ServiceCallContract = {
  call: 'application-autoscaling:RegisterScalableTarget (sagemaker:variant:DesiredInstanceCount)',
  caller: 'Application Auto Scaling, with its service-linked role',
  callerActions: [],
  serviceLinkedRole: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
  source: 'https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html',
};
