import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ServiceCallContract } from '../../lib/aws';
import {
  CLOUDWATCH_DESCRIBE_ALARMS, GREENGRASS_ARTIFACT_DOWNLOAD, GREENGRASS_CANCEL_DEPLOYMENT, GREENGRASS_CREATE_DEPLOYMENT, GREENGRASS_READ_DEPLOYMENTS,
  IOT_DESCRIBE_JOB, STATES_LIST_OWN_EXECUTIONS,
} from '../../lib/aws/contracts/greengrass';
import { synthFleet } from '../edge-ota-fleet/fixtures';
import { contractViolations } from '../support/service-contracts';

const { template, fleet } = synthFleet({
  alarms: [cloudwatch.Alarm.fromAlarmArn(new Stack(), 'Errors', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:edge-inference-errors')],
});

const DRIVER_ROWS: ServiceCallContract[] = [
  GREENGRASS_CREATE_DEPLOYMENT, GREENGRASS_CANCEL_DEPLOYMENT, GREENGRASS_READ_DEPLOYMENTS, IOT_DESCRIBE_JOB, CLOUDWATCH_DESCRIBE_ALARMS,
  STATES_LIST_OWN_EXECUTIONS,
];

describe('EdgeOtaFleet runtime contracts', () => {
  test.each(DRIVER_ROWS.map((contract) => [contract.call, contract] as const))('GIVEN the wave driver THEN its role honours %s', (_, contract) => {
    expect(contractViolations(template, contract, { role: fleet.stateMachine.role })).toEqual([]);
  });

  test('GIVEN the devices THEN the token exchange role honours the artifact download', () => {
    expect(contractViolations(template, GREENGRASS_ARTIFACT_DOWNLOAD, { role: fleet.tokenExchangeRole })).toEqual([]);
  });
});
