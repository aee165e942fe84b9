import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { MlPlatformError } from '../../lib/core';

/** The VPC props of the AWS `BatchScoringPipeline` (documented there). */
export interface PipelineNetworkProps {
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** Where the pipeline's function and jobs run when it has a VPC. */
export class PipelineNetwork extends Construct {
  /** The network of `props`, or `undefined` without a VPC; `vpcSubnets` without `vpc` is an error naming both. */
  public static of(scope: Construct, id: string, props: PipelineNetworkProps, errorScope: Construct): PipelineNetwork | undefined {
    if (!props.vpc) {
      if (props.vpcSubnets) {
        throw new MlPlatformError({
          scope: errorScope,
          prop: 'vpcSubnets',
          value: props.vpcSubnets,
          allowed: 'subnets only together with vpc',
          fix: 'pass vpc as well, or remove vpcSubnets',
        });
      }
      return undefined;
    }
    return new PipelineNetwork(scope, id, props.vpc, props.vpcSubnets ?? {});
  }

  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The chosen subnets. */
  public readonly subnets: ec2.SubnetSelection;
  /** The security group of the function and the jobs: HTTPS out only. */
  public readonly securityGroup: ec2.SecurityGroup;

  private constructor(scope: Construct, id: string, vpc: ec2.IVpc, subnets: ec2.SubnetSelection) {
    super(scope, id);
    this.vpc = vpc;
    this.subnets = subnets;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `HTTPS out only, for ${scope.node.path}`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (S3, KMS, ECR, CloudWatch Logs, STS)');
  }

  /** The subnet IDs of the selection, for SageMaker's `VpcConfig`. */
  public get subnetIds(): string[] {
    return this.vpc.selectSubnets(this.subnets).subnetIds;
  }

  /** SageMaker's `VpcConfig` (model) and `NetworkConfig.VpcConfig` (processing job). */
  public get sageMakerVpcConfig(): { SecurityGroupIds: string[]; Subnets: string[] } {
    return { SecurityGroupIds: [this.securityGroup.securityGroupId], Subnets: this.subnetIds };
  }
}
