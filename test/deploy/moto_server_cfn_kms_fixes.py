"""Runs moto_server with fixes to its CloudFormation for the resources the example platform deploys.

moto 5.x passes an AWS::KMS::Key's CloudFormation properties straight to the KMS backend:
- `Tags` in CloudFormation's shape ([{Key, Value}]) where KMS expects [{TagKey, TagValue}], which
  fails the whole stack with KeyError 'TagKey';
- `KeyPolicy` as an object where KMS keeps a JSON string, which makes DescribeKey fail later.
A second deploy of the stack and the SageMaker endpoint's resources need more fixes (each described where
it is made):
- DescribeChangeSet answers a deleted change set with ValidationError, not ChangeSetNotFound;
- an update that keeps the previous value of an SSM parameter type parameter (the CDK's BootstrapVersion)
  fails with a 500;
- AWS::SageMaker::Endpoint ignores its `EndpointName`;
- AWS::IAM::ManagedPolicy can be neither updated nor deleted, so the role it is attached to cannot be deleted;
- a stack update does not update the resources that reference a replaced resource.
This wrapper applies them before the backends see anything, then starts the ordinary moto server.
"""
import json
import sys

from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing as cfn_parsing
from moto.cloudformation.exceptions import CloudFormationError, ValidationError
from moto.iam import models as iam_models
from moto.kms import models as kms_models
from moto.sagemaker import models as sagemaker_models
from moto.server import main
from moto.ssm.models import ssm_backends
from moto.utilities.utils import get_partition

_create = kms_models.Key.create_from_cloudformation_json.__func__


def _create_with_kms_tags(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    properties = cloudformation_json.get("Properties", {})
    if isinstance(properties.get("KeyPolicy"), dict):
        properties["KeyPolicy"] = json.dumps(properties["KeyPolicy"])
    properties["Tags"] = [
        {"TagKey": tag.get("Key", tag.get("TagKey")), "TagValue": tag.get("Value", tag.get("TagValue"))}
        for tag in properties.get("Tags", [])
    ]
    return _create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


kms_models.Key.create_from_cloudformation_json = classmethod(_create_with_kms_tags)


# moto's DescribeChangeSet answers a change set that does not exist (any more) with ValidationError
# "Stack with id <change set> does not exist". The CDK deletes its previous change set before each update
# and waits for DescribeChangeSet to fail with ChangeSetNotFound, so the second deploy of a stack fails.
class ChangeSetNotFoundException(CloudFormationError):
    code = "ChangeSetNotFoundException"


_describe_change_set = cfn_models.CloudFormationBackend.describe_change_set


def _describe_change_set_or_not_found(self, change_set_name, *args, **kwargs):
    try:
        return _describe_change_set(self, change_set_name, *args, **kwargs)
    except ValidationError:
        raise ChangeSetNotFoundException(f"ChangeSet [{change_set_name}] does not exist")


cfn_models.CloudFormationBackend.describe_change_set = _describe_change_set_or_not_found


# For a parameter of type AWS::SSM::Parameter::Value<...> given with UsePreviousValue, moto takes the
# previous *resolved* value (the SSM parameter's value, "33" for the CDK's BootstrapVersion) as the input
# and looks it up in SSM again as if it were a parameter name; the lookup finds nothing and ExecuteChangeSet
# fails with AttributeError: 'NoneType' object has no attribute 'value'. Keep such a value as it is.
_parse_ssm_parameter = cfn_parsing.ResourceMap.parse_ssm_parameter


def _parse_ssm_parameter_or_resolved(self, value, value_type):
    if ssm_backends[self._account_id][self._region_name].get_parameter(value) is None:
        return value
    return _parse_ssm_parameter(self, value, value_type)


cfn_parsing.ResourceMap.parse_ssm_parameter = _parse_ssm_parameter_or_resolved


# moto names an AWS::SageMaker::Endpoint "<stack>-<logical id>-<random>" even when the template sets
# `EndpointName` (its cloudformation_name_type() is empty), so the endpoint cannot be found by its name.
sagemaker_models.FakeEndpoint.cloudformation_name_type = staticmethod(lambda: "EndpointName")


# moto's AWS::IAM::ManagedPolicy implements neither update_from_cloudformation_json nor
# delete_from_cloudformation_json: an update of its document leaves the stack without the policy, and a
# stack delete leaves it attached, so deleting its role fails with "must detach all policies first".
def _update_managed_policy(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
    backend = iam_models.iam_backends[account_id][get_partition(region_name)]
    document = json.dumps(cloudformation_json.get("Properties", {}).get("PolicyDocument"))
    stale = [v.version_id for v in original_resource.versions if not v.is_default]
    for version_id in stale:  # at most 5 versions: keep only the default one before adding a new one
        backend.delete_policy_version(original_resource.arn, version_id)
    backend.create_policy_version(original_resource.arn, document, set_as_default=True)
    return original_resource


def _delete_managed_policy(cls, resource_name, cloudformation_json, account_id, region_name):
    backend = iam_models.iam_backends[account_id][get_partition(region_name)]
    policy_arn = resource_name  # the physical resource id of a managed policy is its ARN
    if policy_arn not in backend.managed_policies:
        return
    for role in backend.roles.values():
        if policy_arn in role.managed_policies:
            backend.detach_role_policy(policy_arn, role.name)
    for user in backend.users.values():
        if policy_arn in user.managed_policies:
            backend.detach_user_policy(policy_arn, user.name)
    for group in backend.groups.values():
        if policy_arn in group.managed_policies:
            backend.detach_group_policy(policy_arn, group.name)
    backend.delete_policy(policy_arn)


iam_models.ManagedPolicy.update_from_cloudformation_json = classmethod(_update_managed_policy)
iam_models.ManagedPolicy.delete_from_cloudformation_json = classmethod(_delete_managed_policy)


# moto decides what a stack update modifies by comparing each resource's template JSON, before Ref and
# Fn::GetAtt are resolved. A replaced resource (a SageMaker model with a new model version) therefore
# leaves what references it untouched: the endpoint config keeps the deleted model and the endpoint
# keeps its old config. Also modify every resource that references a modified one, dependencies first.
def _references(node):
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else str(value).split(".")[0])
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                if isinstance(text, str):
                    found.update(part.split("}")[0].split(".")[0] for part in text.split("${")[1:])
            found |= _references(value)
    elif isinstance(node, list):
        for value in node:
            found |= _references(value)
    return found


def _updatable(resource_json):
    resource_class = cfn_parsing.resource_class_from_type(resource_json.get("Type", ""))
    update = getattr(resource_class, "update_from_cloudformation_json", None)
    return update is not None and not hasattr(update, "__isabstractmethod__")


_build_resource_diff = cfn_parsing.ResourceMap.build_resource_diff


def _build_resource_diff_with_dependents(self, other_template, parameters=None):
    actions = _build_resource_diff(self, other_template, parameters)
    new = other_template["Resources"]
    references = {name: _references(resource) for name, resource in new.items()}
    modified = set(actions["Modify"])
    grown = True
    while grown:
        grown = False
        for name, resource in new.items():
            if name in self._resource_json_map and name not in modified and references[name] & modified and _updatable(resource):
                modified.add(name)
                grown = True
    # Dependencies first: a resource is updated after the modified resources it references or depends on.
    depends = {name: set(references[name]) | set(_depends_on(new[name])) for name in modified}
    ordered = []
    while len(ordered) < len(modified):
        ready = [n for n in new if n in modified and n not in ordered and not (depends[n] & (modified - set(ordered)))]
        if not ready:  # a cycle: keep the template order for the rest
            ready = [n for n in new if n in modified and n not in ordered]
        ordered.extend(ready)
    actions["Modify"] = ordered
    return actions


def _depends_on(resource_json):
    depends_on = resource_json.get("DependsOn", [])
    return [depends_on] if isinstance(depends_on, str) else depends_on


cfn_parsing.ResourceMap.build_resource_diff = _build_resource_diff_with_dependents

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
