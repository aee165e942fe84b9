#!/usr/bin/env bash
# Deploys the example ML platform to a local AWS API emulator (moto_server) and reads it back:
# cdk bootstrap, cdk deploy --all, the AWS CLI lists what was created, a second deploy with a new fraud
# model version must move the fraud endpoint to a new endpoint config, cdk destroy --all,
# and the retained key and buckets must survive the destroy.
set -euo pipefail

cd "$(dirname "$0")/../.."

if ! command -v moto_server >/dev/null 2>&1; then
  echo "SKIP test:deploy: moto_server is not installed (pip install 'moto[server]' to run this test)."
  exit 0
fi
if ! command -v aws >/dev/null 2>&1; then
  echo "SKIP test:deploy: the AWS CLI is not installed."
  exit 0
fi

WORK=".cdk-deploy"
rm -rf "$WORK"
mkdir -p "$WORK"

PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});")"
# moto reads the template URL's host name to find its own S3: the endpoint must be localhost, not 127.0.0.1.
ENDPOINT="http://localhost:${PORT}"

# moto_server, with its CloudFormation KMS key properties converted (see the wrapper for the moto bug it works around).
python3 test/deploy/moto_server_cfn_kms_fixes.py -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
cleanup() { kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 50); do
  if curl -s -o /dev/null "$ENDPOINT/moto-api/"; then break; fi
  sleep 0.2
done

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_DEFAULT_REGION=eu-west-1 AWS_REGION=eu-west-1
export AWS_ENDPOINT_URL="$ENDPOINT"
export CDK_DISABLE_CLI_TELEMETRY=true
ACCOUNT=123456789012
CDK="npx cdk --no-notices --no-version-reporting --output $WORK/cdk.out"

echo "== moto_server pid $MOTO_PID on $ENDPOINT"
$CDK bootstrap "aws://${ACCOUNT}/eu-west-1" --require-approval never >"$WORK/bootstrap.log" 2>&1 || { cat "$WORK/bootstrap.log"; exit 1; }
echo "== bootstrapped aws://${ACCOUNT}/eu-west-1"
$CDK deploy --all --require-approval never >"$WORK/deploy.log" 2>&1 || { cat "$WORK/deploy.log"; exit 1; }
echo "== deployed"

STATUS="$(aws cloudformation describe-stacks --stack-name MlPlatform --query 'Stacks[0].StackStatus' --output text)"
echo "stack MlPlatform: $STATUS"
[ "$STATUS" = "CREATE_COMPLETE" ] || { echo "FAIL: stack status $STATUS"; exit 1; }

# Read back what the stack created by its residency tag (the CDK bootstrap resources carry none).
BUCKETS=""
for bucket in $(aws s3api list-buckets --query 'Buckets[].Name' --output text); do
  residency="$(aws s3api get-bucket-tagging --bucket "$bucket" --query "TagSet[?Key=='ml-platform/residency'].Value" --output text 2>/dev/null || true)"
  if [ "$residency" = "eu" ]; then BUCKETS="$BUCKETS $bucket"; fi
done
KEYS=""
for key in $(aws kms list-keys --query 'Keys[].KeyId' --output text); do
  residency="$(aws kms list-resource-tags --key-id "$key" --query "Tags[?TagKey=='ml-platform/residency'].TagValue" --output text 2>/dev/null || true)"
  if [ "$residency" = "eu" ]; then KEYS="$KEYS $key"; fi
done
BUCKETS="$(echo $BUCKETS | tr ' ' '\n')"
KEYS="$(echo $KEYS | tr ' ' '\n')"
echo "buckets tagged ml-platform/residency=eu:"; echo "$BUCKETS"
echo "keys tagged ml-platform/residency=eu:"; echo "$KEYS"
[ "$(echo "$KEYS" | grep -c .)" -ge 1 ] || { echo "FAIL: expected the customer-managed key"; exit 1; }
[ "$(echo "$BUCKETS" | grep -c .)" -ge 2 ] || { echo "FAIL: expected at least 2 buckets"; exit 1; }

# moto's CloudFormation does not apply VersioningConfiguration, so versioning is read back from the deployed template.
aws cloudformation get-template --stack-name MlPlatform --query TemplateBody --output json > "$WORK/deployed-template.json"
python3 - "$WORK/deployed-template.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
template = json.loads(body) if isinstance(body, str) else body
buckets = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::S3::Bucket"}
unversioned = [k for k, v in buckets.items() if v["Properties"].get("VersioningConfiguration", {}).get("Status") != "Enabled"]
not_retained = [k for k, v in buckets.items() if v.get("DeletionPolicy") != "Retain"]
print(f"deployed template: {len(buckets)} buckets, versioned {len(buckets) - len(unversioned)}, retained {len(buckets) - len(not_retained)}")
sys.exit(1 if unversioned or not_retained else 0)
PY
for bucket in $BUCKETS; do
  algorithm="$(aws s3api get-bucket-encryption --bucket "$bucket" --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text)"
  echo "bucket $bucket: encryption=$algorithm"
  [ "$algorithm" = "aws:kms" ] || { echo "FAIL: $bucket is not KMS-encrypted"; exit 1; }
done
for key in $KEYS; do
  rotation="$(aws kms get-key-rotation-status --key-id "$key" --query KeyRotationEnabled --output text)"
  echo "key $key: rotation=$rotation"
  [ "$rotation" = "True" ] || { echo "FAIL: key $key has no rotation"; exit 1; }
done

# The fraud model's canary endpoint, read back by its name: endpoint, endpoint config and model.
# Sets ENDPOINT_ARN, ENDPOINT_CONFIG and MODEL_DATA_URL; prints one line per fact.
read_fraud_endpoint() {
  local status kms capture variant instances model
  aws sagemaker describe-endpoint --endpoint-name fraud >"$WORK/endpoint.json" 2>&1 || { cat "$WORK/endpoint.json"; echo "FAIL: endpoint fraud not found"; exit 1; }
  read -r status ENDPOINT_ARN ENDPOINT_CONFIG <<<"$(aws sagemaker describe-endpoint --endpoint-name fraud --query '[EndpointStatus,EndpointArn,EndpointConfigName]' --output text)"
  echo "endpoint fraud: status=$status arn=$ENDPOINT_ARN"
  echo "endpoint fraud: endpoint config $ENDPOINT_CONFIG"
  case "$status" in Failed | OutOfService | Deleting | None | "") echo "FAIL: endpoint fraud is ${status:-without status}"; exit 1 ;; esac
  read -r kms capture <<<"$(aws sagemaker describe-endpoint-config --endpoint-config-name "$ENDPOINT_CONFIG" --query '[KmsKeyId,DataCaptureConfig.EnableCapture]' --output text)"
  echo "endpoint config $ENDPOINT_CONFIG: kms=$kms data-capture=$capture"
  [ -n "$kms" ] && [ "$kms" != "None" ] || { echo "FAIL: endpoint config $ENDPOINT_CONFIG has no KMS key"; exit 1; }
  [ "$capture" = "True" ] || { echo "FAIL: endpoint config $ENDPOINT_CONFIG does not capture data"; exit 1; }
  read -r variant instances model <<<"$(aws sagemaker describe-endpoint-config --endpoint-config-name "$ENDPOINT_CONFIG" --query "ProductionVariants[?VariantName=='AllTraffic'] | [0].[VariantName,InitialInstanceCount,ModelName]" --output text)"
  echo "endpoint config $ENDPOINT_CONFIG: variant=$variant instances=$instances model=$model"
  [ "$variant" = "AllTraffic" ] || { echo "FAIL: endpoint config $ENDPOINT_CONFIG has no AllTraffic variant"; exit 1; }
  [ "$instances" = "2" ] || { echo "FAIL: variant AllTraffic starts $instances instances, expected 2"; exit 1; }
  MODEL_DATA_URL="$(aws sagemaker describe-model --model-name "$model" --query PrimaryContainer.ModelDataUrl --output text)" || { echo "FAIL: model $model of endpoint fraud not found"; exit 1; }
  echo "model $model: $MODEL_DATA_URL"
}

read_fraud_endpoint
FIRST_ARN="$ENDPOINT_ARN"
FIRST_CONFIG="$ENDPOINT_CONFIG"
case "$MODEL_DATA_URL" in */fraud/1.4.0/*) ;; *) echo "FAIL: endpoint fraud serves $MODEL_DATA_URL, expected fraud 1.4.0"; exit 1 ;; esac
echo "endpoint fraud: serves fraud 1.4.0"
# moto keeps no DeploymentConfig on the endpoint, so the canary and its rollback alarms are read from the deployed template.
python3 - "$WORK/deployed-template.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
template = json.loads(body) if isinstance(body, str) else body
endpoints = [v for v in template["Resources"].values() if v["Type"] == "AWS::SageMaker::Endpoint" and v["Properties"].get("EndpointName") == "fraud"]
if len(endpoints) != 1:
    sys.exit(f"FAIL: deployed template has {len(endpoints)} endpoints named fraud")
deployment = endpoints[0]["Properties"].get("DeploymentConfig", {})
routing = deployment.get("BlueGreenUpdatePolicy", {}).get("TrafficRoutingConfiguration", {})
alarms = deployment.get("AutoRollbackConfiguration", {}).get("Alarms", [])
print(f"deployed template: endpoint fraud routes traffic by {routing.get('Type')}, rolls back on {len(alarms)} alarms")
if routing.get("Type") != "CANARY":
    sys.exit("FAIL: endpoint fraud does not route traffic through a canary")
if len(alarms) != 2:
    sys.exit(f"FAIL: endpoint fraud rolls back on {len(alarms)} alarms, expected 2")
PY

# A new model version rolls out through the same endpoint with a new endpoint config.
$CDK deploy --all --require-approval never -c fraudModelVersion=1.5.0 >"$WORK/deploy-1.5.0.log" 2>&1 || { cat "$WORK/deploy-1.5.0.log"; exit 1; }
echo "== deployed with fraudModelVersion=1.5.0"
STATUS="$(aws cloudformation describe-stacks --stack-name MlPlatform --query 'Stacks[0].StackStatus' --output text)"
echo "stack MlPlatform: $STATUS"
[ "$STATUS" = "UPDATE_COMPLETE" ] || { echo "FAIL: stack status $STATUS after the model update"; exit 1; }
read_fraud_endpoint
[ "$ENDPOINT_ARN" = "$FIRST_ARN" ] || { echo "FAIL: endpoint fraud was replaced: $FIRST_ARN -> $ENDPOINT_ARN"; exit 1; }
echo "endpoint fraud: same endpoint $ENDPOINT_ARN"
[ "$ENDPOINT_CONFIG" != "$FIRST_CONFIG" ] || { echo "FAIL: endpoint fraud still uses endpoint config $FIRST_CONFIG"; exit 1; }
echo "endpoint fraud: endpoint config changed $FIRST_CONFIG -> $ENDPOINT_CONFIG"
case "$MODEL_DATA_URL" in */fraud/1.5.0/*) ;; *) echo "FAIL: endpoint fraud serves $MODEL_DATA_URL, expected fraud 1.5.0"; exit 1 ;; esac
echo "endpoint fraud: serves fraud 1.5.0"

$CDK destroy --all --force >"$WORK/destroy.log" 2>&1 || { cat "$WORK/destroy.log"; exit 1; }
echo "== destroyed"
if aws cloudformation describe-stacks --stack-name MlPlatform >/dev/null 2>&1; then
  remaining="$(aws cloudformation describe-stacks --stack-name MlPlatform --query 'Stacks[0].StackStatus' --output text)"
  [ "$remaining" = "DELETE_COMPLETE" ] || { echo "FAIL: stack still $remaining"; exit 1; }
fi
for bucket in $BUCKETS; do
  aws s3api head-bucket --bucket "$bucket" >/dev/null || { echo "FAIL: retained bucket $bucket was deleted"; exit 1; }
  echo "retained after destroy: bucket $bucket"
done
for key in $KEYS; do
  state="$(aws kms describe-key --key-id "$key" --query KeyMetadata.KeyState --output text)"
  [ "$state" = "Enabled" ] || { echo "FAIL: retained key $key is $state"; exit 1; }
  echo "retained after destroy: key $key ($state)"
done
echo "test:deploy passed: bootstrap, deploy, read back, fraud model 1.4.0 -> 1.5.0 through endpoint fraud, destroy against moto_server; $(echo "$BUCKETS" | grep -c .) buckets and $(echo "$KEYS" | grep -c .) key(s) retained"
