"""Lists the resources of the deployed template that moto's CloudFormation cannot create, and fails on a surprise.

moto's CloudFormation skips a resource type it has no model for with a warning in its log and still reports the
stack CREATE_COMPLETE, so a deploy against it proves nothing about those resources. This script asks the installed
moto which types of the deployed template it has no model for (`resource_class_from_type`, the lookup its
CloudFormation makes before creating a resource), prints each with its resources and with what the deploy test
reads instead, and fails when the set differs from CANNOT_CREATE: a new type that moto cannot create must be
declared here (with how the test checks it), and a declared type that moto now creates must be removed.

usage: python3 emulator_coverage.py <deployed-template.json>
"""
import json
import logging
import sys
from collections import defaultdict

from moto.cloudformation.parsing import resource_class_from_type

# Each type moto 5 cannot create, and what the deploy test reads instead.
CANNOT_CREATE = {
    "AWS::ApplicationAutoScaling::ScalableTarget": "not read back (the endpoint's autoscaling: unit and snapshot tests)",
    "AWS::ApplicationAutoScaling::ScalingPolicy": "not read back (the endpoint's autoscaling: unit and snapshot tests)",
    "AWS::Athena::WorkGroup": "not read back (the training set's workgroup: unit and snapshot tests)",
    "AWS::CloudWatch::Alarm": "the endpoint's rollback alarms and the fleet's alarms read from the deployed template",
    "AWS::Glue::Database": "not read back (the offline store's database: unit and snapshot tests)",
    "AWS::GreengrassV2::ComponentVersion": "the fleet's component (recipe, version, model digest) read from the deployed"
    " template; no version exists in the emulator, so no CloudFormation event starts the wave driver",
    "AWS::Lambda::EventInvokeConfig": "not read back (the drift functions' retries: unit and snapshot tests)",
    "AWS::S3::BucketPolicy": "not applied (the bucket policies: contract tests)",
    "AWS::SNS::TopicPolicy": "not applied (the topic policy: contract tests)",
    "AWS::SQS::QueuePolicy": "not applied (the queue policies: contract tests)",
    "AWS::SageMaker::FeatureGroup": "the feature groups read from the deployed template",
    "AWS::Scheduler::Schedule": "the batch pipeline's schedule read from the deployed template (the drift monitors' are not read back)",
}


def main(template_file: str) -> int:
    body = json.load(open(template_file))
    template = json.loads(body) if isinstance(body, str) else body
    logging.disable(logging.WARNING)  # moto logs "No Moto CloudFormation support for ..." for each lookup
    skipped = defaultdict(list)
    created = 0
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::CDK::Metadata":
            continue
        if resource_class_from_type(resource["Type"]) is None:
            skipped[resource["Type"]].append(logical_id)
        else:
            created += 1
    total = created + sum(len(ids) for ids in skipped.values())
    print(f"emulator: moto's CloudFormation creates {created} of the template's {total} resources; it cannot create "
          f"{sum(len(ids) for ids in skipped.values())} resources of {len(skipped)} types:")
    for resource_type in sorted(skipped):
        ids = skipped[resource_type]
        print(f"  {resource_type} x{len(ids)} ({', '.join(sorted(ids))}): {CANNOT_CREATE.get(resource_type, 'NOT DECLARED')}")
    undeclared = sorted(set(skipped) - set(CANNOT_CREATE))
    stale = sorted(set(CANNOT_CREATE) - set(skipped))
    if undeclared:
        print(f"FAIL: moto cannot create {', '.join(undeclared)}: declare each in test/deploy/emulator_coverage.py "
              "with what the deploy test reads instead")
    if stale:
        print(f"FAIL: {', '.join(stale)} declared as not created, but the template has none or moto now creates them: "
              "remove them from CANNOT_CREATE (and the README's list)")
    return 1 if undeclared or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
