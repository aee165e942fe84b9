"""Reads the example's EdgeOtaFleet (FraudDevices) back from the emulator and the deployed template.

moto creates the fleet's wave driver (a Step Functions state machine), the EventBridge rule that starts it, the
devices' token exchange role with its artifact-read policy, and the driver's log group; it cannot create the
Greengrass component version (see emulator_coverage.py), so the component is read from the deployed template.

usage:
  read_edge_fleet.py deployed <deployed-template.json> <model version> <model sha256> <state.json>
      checks the fleet serving that model; with a state.json from an earlier deploy, also that the component has a
      new version and the driver was not replaced; writes state.json
  read_edge_fleet.py destroyed <state.json>
      checks that the driver, its rule and its roles are gone and the retained log group is not
Prints one line per fact; exits 1 with a FAIL line on the first failed check.
"""
import json
import os
import re
import sys

import boto3
from botocore.exceptions import ClientError

STACK = "MlPlatform"
FLEET = "FraudDevices"
MODEL_OBJECT = "arn:aws:s3:::ml-platform-models-eu-west-1/fraud/{version}/model.tar.gz"


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load_template(path):
    body = json.load(open(path))
    return json.loads(body) if isinstance(body, str) else body


def only(items, what):
    if len(items) != 1:
        fail(f"expected one {what}, found {len(items)}")
    return items[0]


def fleet_resources(template, resource_type):
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type and v.get("Metadata", {}).get("aws:cdk:path", "").startswith(f"{STACK}/Platform/{FLEET}/")}


def read_component(template, version, sha256):
    """The component version from the deployed template: recipe, content-derived version, the model and its digest."""
    component_id, component = only(list(fleet_resources(template, "AWS::GreengrassV2::ComponentVersion").items()), "fleet component")
    recipe = json.loads(component["Properties"]["InlineRecipe"])
    manifest = recipe["Manifests"][0]
    uri = manifest["Artifacts"][0]["Uri"]
    install = manifest["Lifecycle"]["Install"]["Script"]
    print(f"deployed template: component {recipe['ComponentName']}@{recipe['ComponentVersion']} ({component_id}): artifact {uri}")
    if not re.fullmatch(r"1\.\d+\.0", recipe["ComponentVersion"]):
        fail(f"component version {recipe['ComponentVersion']} is not the content-derived 1.<n>.0")
    if uri != f"s3://ml-platform-models-eu-west-1/fraud/{version}/model.tar.gz":
        fail(f"the component's artifact is {uri}, expected fraud {version}")
    if not install.startswith(f'echo "{sha256}  ') or "sha256sum -c -" not in install:
        fail(f"the install step does not check the model against {sha256}: {install}")
    print(f"deployed template: the install step checks the model's SHA-256 {sha256[:12]}... before the smoke inference")
    return component_id, component, recipe["ComponentVersion"]


def read_fleet(template_file, version, sha256, state_file):
    template = load_template(template_file)
    component_id, component, component_version = read_component(template, version, sha256)
    # moto lists the resources it skipped without ids: only the ones it created are looked up here.
    physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId")
                for r in boto3.client("cloudformation").describe_stack_resources(StackName=STACK)["StackResources"] if "LogicalResourceId" in r}

    rule_id, rule = only([(k, v) for k, v in fleet_resources(template, "AWS::Events::Rule").items()
                          if v["Properties"]["EventPattern"]["detail"]["logical-resource-id"] == [component_id]], "rule starting the driver")
    driver_id = rule["Properties"]["Targets"][0]["Arn"]["Ref"]
    depends_on = component.get("DependsOn", [])
    if driver_id not in (depends_on if isinstance(depends_on, list) else [depends_on]):
        fail(f"component {component_id} does not depend on the driver {driver_id}: a new version could start the old driver")
    print(f"deployed template: component {component_id} depends on the driver {driver_id}")

    driver_arn = physical.get(driver_id) or fail(f"the emulator did not create the driver {driver_id}")
    definition = json.loads(boto3.client("stepfunctions").describe_state_machine(stateMachineArn=driver_arn)["definition"])
    if definition.get("QueryLanguage") != "JSONata":
        fail(f"the driver's QueryLanguage is {definition.get('QueryLanguage')!r}, expected 'JSONata'")
    if "arn:aws:states:::aws-sdk:greengrassv2:createDeployment" not in json.dumps(definition):
        fail("the driver never calls greengrassv2:createDeployment")
    print(f"state machine {driver_arn}: JSONata, {len(definition['States'])} top-level states, creates Greengrass deployments")

    events = boto3.client("events")
    rule_name = physical.get(rule_id) or fail(f"the emulator did not create the rule {rule_id}")
    pattern = json.loads(events.describe_rule(Name=rule_name)["EventPattern"])
    targets = events.list_targets_by_rule(Rule=rule_name)["Targets"]
    if pattern["source"] != ["aws.cloudformation"] or pattern["detail"]["status-details"]["status"] != ["CREATE_COMPLETE"]:
        fail(f"rule {rule_name} does not match the component's creation: {pattern}")
    if [t["Arn"] for t in targets] != [driver_arn] or not targets[0].get("RoleArn"):
        fail(f"rule {rule_name} does not start the driver with a role: {targets}")
    print(f"rule {rule_name}: on CREATE_COMPLETE of {component_id}, starts the driver with role {targets[0]['RoleArn'].split('/')[-1]}")

    iam = boto3.client("iam")
    policy_id, policy = only([(k, v) for k, v in fleet_resources(template, "AWS::IAM::ManagedPolicy").items()
                              if any("s3:GetObject" in str(s["Action"]) for s in v["Properties"]["PolicyDocument"]["Statement"])], "artifact-read policy")
    role_id = only(policy["Properties"]["Roles"], "role of the artifact-read policy")["Ref"]
    role_name = physical[role_id]
    trust = iam.get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    principals = [s["Principal"].get("Service") for s in trust["Statement"]]
    if principals != ["credentials.iot.amazonaws.com"]:
        fail(f"token exchange role {role_name} is assumed by {principals}, expected credentials.iot.amazonaws.com")
    policy_arn = physical[policy_id]
    attached = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]]
    default_version = iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=policy_arn, VersionId=default_version)["PolicyVersion"]["Document"]
    document = json.loads(document) if isinstance(document, str) else document
    reads = [s["Resource"] for s in document["Statement"] if "s3:GetObject" in str(s["Action"])]
    if policy_arn not in attached or reads != [MODEL_OBJECT.format(version=version)]:
        fail(f"token exchange role {role_name} reads {reads} (policy attached: {policy_arn in attached}), expected only fraud {version}'s model")
    print(f"token exchange role {role_name}: trusted by credentials.iot.amazonaws.com, reads only {reads[0]}")

    log_group_id = only(list(fleet_resources(template, "AWS::Logs::LogGroup")), "driver log group")
    log_group = physical[log_group_id]
    if not boto3.client("logs").describe_log_groups(logGroupNamePrefix=log_group)["logGroups"]:
        fail(f"the driver's log group {log_group} does not exist")

    alarms = fleet_resources(template, "AWS::CloudWatch::Alarm")
    unfinished = only([v["Properties"] for k, v in alarms.items() if "UnfinishedRollouts" in k], "unfinished-rollouts alarm")
    if not unfinished.get("AlarmActions") or "Runbook: https://runbooks.example.com/ml/edge-ota-fleet" not in unfinished["AlarmDescription"]:
        fail(f"the unfinished-rollouts alarm has no action or no runbook: {unfinished}")
    print("deployed template: the unfinished-rollouts alarm notifies the owner's topic, with the edge-ota-fleet runbook")

    state = {"componentVersion": component_version, "driverArn": driver_arn, "ruleName": rule_name, "roleName": role_name, "logGroup": log_group}
    if os.path.exists(state_file):
        before = json.load(open(state_file))
        if before["componentVersion"] == component_version:
            fail(f"the component kept version {component_version} although the model changed")
        if before["driverArn"] != driver_arn:
            fail(f"the driver was replaced: {before['driverArn']} -> {driver_arn}")
        print(f"component: new version {before['componentVersion']} -> {component_version}; same driver {driver_arn}")
    json.dump(state, open(state_file, "w"))


def exists(call):
    try:
        call()
        return True
    except ClientError:
        return False


def read_destroyed(state_file):
    state = json.load(open(state_file))
    if exists(lambda: boto3.client("stepfunctions").describe_state_machine(stateMachineArn=state["driverArn"])):
        fail(f"the driver {state['driverArn']} survived the destroy")
    if exists(lambda: boto3.client("events").describe_rule(Name=state["ruleName"])):
        fail(f"the rule {state['ruleName']} survived the destroy")
    if exists(lambda: boto3.client("iam").get_role(RoleName=state["roleName"])):
        fail(f"the token exchange role {state['roleName']} survived the destroy")
    print(f"deleted by destroy: the fleet's driver, rule {state['ruleName']} and token exchange role {state['roleName']}")
    if not boto3.client("logs").describe_log_groups(logGroupNamePrefix=state["logGroup"])["logGroups"]:
        fail(f"the retained log group {state['logGroup']} was deleted")
    print(f"retained after destroy: the fleet's log group {state['logGroup']}")


if __name__ == "__main__":
    if sys.argv[1] == "deployed":
        read_fleet(*sys.argv[2:6])
    else:
        read_destroyed(sys.argv[2])
