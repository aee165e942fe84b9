"""Runs moto_server with two fixes to how its CloudFormation creates AWS::KMS::Key.

moto 5.x passes the key's CloudFormation properties straight to the KMS backend:
- `Tags` in CloudFormation's shape ([{Key, Value}]) where KMS expects [{TagKey, TagValue}], which
  fails the whole stack with KeyError 'TagKey';
- `KeyPolicy` as an object where KMS keeps a JSON string, which makes DescribeKey fail later.
This wrapper converts both before the backend sees them, then starts the ordinary moto server.
"""
import json
import sys

from moto.kms import models as kms_models
from moto.server import main

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

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
