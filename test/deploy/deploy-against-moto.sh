#!/usr/bin/env bash
# Deploys the example ML platform to a local AWS API emulator (moto_server) and reads it back:
# cdk bootstrap, cdk deploy --all, the list of what the emulator cannot create (emulator_coverage.py), the AWS CLI
# lists what was created (buckets, key, the fraud endpoint, the batch scoring state machine and its schedule, the
# edge fleet's driver, rule and device role: read_edge_fleet.py), a second deploy with a new fraud model version
# must move the fraud endpoint to a new endpoint config, the state machine to the new model and the fleet to a new
# component version, cdk destroy --all deletes the state machines, the function, the queue, the rule and the
# roles, and the retained key, buckets and log group must survive the destroy.
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
CDK="npx cdk --no-notices --no-version-reporting"
# The example's SHA-256 of each fraud model version, for the fleet's component.
model_sha256() { sed -n "s/^  '$1': '\([a-f0-9]\{64\}\)',\$/\1/p" examples/shared/fraud-model.ts; }

# Each version is synthesized once (the compliance packs run in every synthesis); bootstrap, deploy and destroy take
# the cloud assembly. The 1.5.0 assembly is synthesized in the background while 1.4.0 deploys and is read back.
$CDK synth -q -c fraudModelVersion=1.5.0 --output "$WORK/cdk.out-1.5.0" >"$WORK/synth-1.5.0.log" 2>&1 &
SYNTH_150_PID=$!
$CDK synth -q --output "$WORK/cdk.out-1.4.0" >"$WORK/synth-1.4.0.log" 2>&1 || { cat "$WORK/synth-1.4.0.log"; exit 1; }
echo "== synthesized fraud model 1.4.0"

echo "== moto_server pid $MOTO_PID on $ENDPOINT"
$CDK bootstrap --app "$WORK/cdk.out-1.4.0" "aws://${ACCOUNT}/eu-west-1" >"$WORK/bootstrap.log" 2>&1 || { cat "$WORK/bootstrap.log"; exit 1; }
echo "== bootstrapped aws://${ACCOUNT}/eu-west-1"
$CDK deploy --app "$WORK/cdk.out-1.4.0" --all --require-approval never >"$WORK/deploy.log" 2>&1 || { cat "$WORK/deploy.log"; exit 1; }
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
# What moto's CloudFormation skipped (it reports the stack CREATE_COMPLETE all the same): listed, and each type declared
# with what this test reads instead; an undeclared one fails the test.
python3 test/deploy/emulator_coverage.py "$WORK/deployed-template.json"
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
# moto's CloudFormation has no AWS::SageMaker::FeatureGroup, AWS::Glue::Database or AWS::Athena::WorkGroup: the
# feature store is read from the deployed template (every group retained, online store encrypted, offline store Iceberg).
python3 - "$WORK/deployed-template.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
template = json.loads(body) if isinstance(body, str) else body
groups = {v["Properties"]["FeatureGroupName"]: v for v in template["Resources"].values() if v["Type"] == "AWS::SageMaker::FeatureGroup"}
print(f"deployed template: feature groups {sorted(groups)}")
if sorted(groups) != ["customer-spend", "transaction-risk"]:
    sys.exit("FAIL: expected the feature groups customer-spend and transaction-risk")
for name, group in groups.items():
    if group.get("DeletionPolicy") != "Retain" or group.get("UpdateReplacePolicy") != "Retain":
        sys.exit(f"FAIL: feature group {name} is not retained")
    if group["Properties"].get("OfflineStoreConfig", {}).get("TableFormat") != "Iceberg":
        sys.exit(f"FAIL: feature group {name} has no Iceberg offline store")
if "KmsKeyId" not in groups["customer-spend"]["Properties"]["OnlineStoreConfig"].get("SecurityConfig", {}):
    sys.exit("FAIL: the online store of customer-spend is not encrypted with the platform key")
PY

# The nightly batch scoring pipeline FraudScoring: its state machine, read back by name (CloudFormation names
# it FraudScoring<hash>-<random>, moto <stack>-FraudScoring<hash>-<random>).
SM_ARNS="$(aws stepfunctions list-state-machines --query "stateMachines[?contains(name, 'FraudScoring')].stateMachineArn" --output text)"
[ "$(echo $SM_ARNS | wc -w)" = "1" ] || { echo "FAIL: expected one state machine named FraudScoring..., found: ${SM_ARNS:-none}"; exit 1; }
STATE_MACHINE_ARN="$SM_ARNS"
echo "state machine FraudScoring: $STATE_MACHINE_ARN"
aws stepfunctions describe-state-machine --state-machine-arn "$STATE_MACHINE_ARN" >"$WORK/state-machine.json" 2>&1 || { cat "$WORK/state-machine.json"; echo "FAIL: describe-state-machine $STATE_MACHINE_ARN"; exit 1; }
SM_LOGICAL_ID="$(aws cloudformation describe-stack-resources --stack-name MlPlatform --query "StackResources[?PhysicalResourceId=='$STATE_MACHINE_ARN'].LogicalResourceId" --output text)"
# Checks the definition moto stores; writes the Score state's model and the function the record-counting
# Distributed Map (CountInputRecords) invokes once per object.
python3 - "$WORK/state-machine.json" "$WORK/deployed-template.json" "$SM_LOGICAL_ID" "$WORK/state-machine.refs" <<'PY'
import json, sys
described = json.load(open(sys.argv[1]))
body = json.load(open(sys.argv[2]))
template = json.loads(body) if isinstance(body, str) else body
logical_id = sys.argv[3]
try:
    definition = json.loads(described["definition"])
except (KeyError, ValueError) as error:
    sys.exit(f"FAIL: the state machine definition is not JSON: {error}")
states = definition.get("States", {})
print(f"state machine definition: valid JSON, StartAt {definition.get('StartAt')}, {len(states)} top-level states")
if definition.get("QueryLanguage") != "JSONata":
    sys.exit(f"FAIL: QueryLanguage is {definition.get('QueryLanguage')!r}, expected 'JSONata'")
print("state machine definition: QueryLanguage JSONata")
missing = [name for name in ("ResolveRunDates", "ScoreEachDate") if name not in states]
if missing:
    sys.exit(f"FAIL: the definition has no state {', '.join(missing)}")
print("state machine definition: has states ResolveRunDates and ScoreEachDate")
per_date = states["ScoreEachDate"].get("ItemProcessor", {}).get("States", {})
score, publish = per_date.get("Score", {}), per_date.get("Publish", {})
if not str(score.get("Resource", "")).endswith("sagemaker:createTransformJob.sync"):
    sys.exit(f"FAIL: ScoreEachDate.Score runs {score.get('Resource')!r}, expected sagemaker:createTransformJob.sync")
print(f"state machine definition: ScoreEachDate.Score runs {score['Resource']}")
# Nothing after Publish may fail a published run: every state after it cannot fail (Pass, Succeed) or catches every
# error, and the path ends.
after, pending = [], [publish.get("Next")] if publish.get("Next") else []
while pending:
    name = pending.pop(0)
    if name in after:
        continue
    state = per_date.get(name, {})
    caught = any("States.ALL" in c.get("ErrorEquals", []) for c in state.get("Catch", []))
    if state.get("Type") not in ("Pass", "Succeed") and not caught:
        sys.exit(f"FAIL: ScoreEachDate.{name} runs after Publish and can fail the published run (no catch of States.ALL)")
    after.append(name)
    pending += [state["Next"]] if "Next" in state else []
    pending += [c["Next"] for c in state.get("Catch", [])]
if publish.get("End") is not True and not after:
    sys.exit(f"FAIL: ScoreEachDate.Publish neither ends nor leads anywhere (End: {publish.get('End')}, Next: {publish.get('Next')})")
print(f"state machine definition: ScoreEachDate.Publish ({publish.get('Resource')}) is the last state that can fail the run"
      + (f"; after it {', '.join(after)} cannot (Pass, Succeed or a catch of States.ALL)" if after else ""))
# moto's CloudFormation creates the state machine without its LoggingConfiguration and TracingConfiguration
# (DescribeStateMachine then answers level OFF, tracing disabled): those are read from the deployed template.
level = described.get("loggingConfiguration", {}).get("level")
tracing = described.get("tracingConfiguration", {}).get("enabled")
properties = template["Resources"].get(logical_id, {}).get("Properties", {})
logging = properties.get("LoggingConfiguration", {})
deployed_level = logging.get("Level", "OFF")
deployed_tracing = properties.get("TracingConfiguration", {}).get("Enabled", False)
log_groups = [d.get("CloudWatchLogsLogGroup", {}).get("LogGroupArn") for d in logging.get("Destinations", [])]
log_groups = [g["Fn::GetAtt"][0] if isinstance(g, dict) and "Fn::GetAtt" in g else g for g in log_groups]
if level == deployed_level and tracing == deployed_tracing:
    print(f"state machine: logging level {level}, tracing {str(tracing).lower()} (DescribeStateMachine)")
else:
    print(f"state machine: DescribeStateMachine answers logging level {level}, tracing {str(tracing).lower()}; moto does not apply them")
    print(f"state machine: logging level {deployed_level} to {', '.join(map(str, log_groups)) or 'no log group'}, tracing {str(deployed_tracing).lower()} (deployed template {logical_id})")
model = score.get("Arguments", {}).get("ModelName", "")
count = per_date.get("CountInputRecords", {})
if count.get("ItemProcessor", {}).get("ProcessorConfig", {}).get("Mode") != "DISTRIBUTED":
    sys.exit("FAIL: ScoreEachDate.CountInputRecords is not a Distributed Map")
print(f"state machine definition: ScoreEachDate.CountInputRecords is a Distributed Map over {count.get('ItemReader', {}).get('Resource')}")
function = count["ItemProcessor"].get("States", {}).get("CountInputRecordsObject", {}).get("Arguments", {}).get("FunctionName", "")
if not model or not function:
    sys.exit(f"FAIL: ScoreEachDate.Score has no ModelName ({model!r}) or CountInputRecordsObject no FunctionName ({function!r})")
open(sys.argv[4], "w").write(f"{model} {function}\n")
PY
read -r _ SCORING_FUNCTION <"$WORK/state-machine.refs"
runtime="$(aws lambda get-function --function-name "$SCORING_FUNCTION" --query Configuration.Runtime --output text)" || { echo "FAIL: function $SCORING_FUNCTION of ScoreEachDate.CountInputRecords not found"; exit 1; }
echo "state machine: ScoreEachDate.CountInputRecords invokes $SCORING_FUNCTION ($runtime) per object"

# The model the state machine scores with. Sets SCORING_MODEL_DATA_URL.
read_scoring_model() {
  local model
  model="$(aws stepfunctions describe-state-machine --state-machine-arn "$STATE_MACHINE_ARN" --query definition --output json \
    | python3 -c 'import json, sys; print(json.loads(json.load(sys.stdin))["States"]["ScoreEachDate"]["ItemProcessor"]["States"]["Score"]["Arguments"]["ModelName"])')"
  SCORING_MODEL_DATA_URL="$(aws sagemaker describe-model --model-name "$model" --query PrimaryContainer.ModelDataUrl --output text)" || { echo "FAIL: model $model of state machine FraudScoring not found"; exit 1; }
  echo "state machine: ScoreEachDate.Score runs model $model: $SCORING_MODEL_DATA_URL"
}
read_scoring_model
case "$SCORING_MODEL_DATA_URL" in */fraud/1.4.0/*) ;; *) echo "FAIL: state machine FraudScoring scores with $SCORING_MODEL_DATA_URL, expected fraud 1.4.0"; exit 1 ;; esac

# The schedule that starts the state machine: from the Scheduler API when moto created it, else from the
# deployed template (moto's CloudFormation does not create AWS::Scheduler::Schedule and skips it).
SCHEDULE_SOURCE=""
SCHEDULE_NAME=""
if schedules="$(aws scheduler list-schedules --query 'Schedules[].[GroupName,Name,Target.Arn]' --output text 2>"$WORK/scheduler.err")"; then
  while read -r group name target; do
    [ -n "$name" ] && [ "$target" = "$STATE_MACHINE_ARN" ] || continue
    aws scheduler get-schedule --group-name "$group" --name "$name" >"$WORK/schedule.json"
    SCHEDULE_SOURCE="Scheduler API"
    SCHEDULE_NAME="$name"
    SCHEDULE_GROUP="$group"
  done <<<"$schedules"
else
  echo "scheduler: list-schedules failed: $(tr '\n' ' ' <"$WORK/scheduler.err")"
fi
if [ -z "$SCHEDULE_SOURCE" ]; then
  SCHEDULE_SOURCE="deployed template"
  echo "schedule: no schedule in moto's Scheduler API targets $STATE_MACHINE_ARN (moto's CloudFormation does not create AWS::Scheduler::Schedule); reading the deployed template"
fi
python3 - "$SCHEDULE_SOURCE" "$WORK/schedule.json" "$WORK/deployed-template.json" "$SM_LOGICAL_ID" "$STATE_MACHINE_ARN" "$WORK/schedule.refs" <<'PY'
import json, sys
source, schedule_file, template_file, logical_id, arn, refs_file = sys.argv[1:]
if source == "Scheduler API":
    schedule = json.load(open(schedule_file))
    schedules = {schedule["Name"]: schedule}
    targets_state_machine = lambda target: target == arn
else:
    body = json.load(open(template_file))
    template = json.loads(body) if isinstance(body, str) else body
    schedules = {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == "AWS::Scheduler::Schedule"}
    targets_state_machine = lambda target: target in ({"Ref": logical_id}, {"Fn::GetAtt": [logical_id, "Arn"]}, arn)
schedules = {k: v for k, v in schedules.items() if targets_state_machine(v.get("Target", {}).get("Arn"))}
if len(schedules) != 1:
    sys.exit(f"FAIL: {len(schedules)} schedules start state machine {logical_id} ({source})")
(name, schedule), = schedules.items()
expression, timezone = schedule.get("ScheduleExpression"), schedule.get("ScheduleExpressionTimezone")
dead_letters = schedule["Target"].get("DeadLetterConfig", {}).get("Arn")
print(f"schedule {name} ({source}): {expression} {timezone}, state {schedule.get('State')}, starts state machine {logical_id}")
if expression != "cron(0 2 * * ? *)" or timezone != "Europe/Dublin":
    sys.exit(f"FAIL: schedule {name} runs {expression} {timezone}, expected cron(0 2 * * ? *) Europe/Dublin")
if not dead_letters:
    sys.exit(f"FAIL: schedule {name} has no DeadLetterConfig")
if isinstance(dead_letters, dict):  # Fn::GetAtt [queue, Arn] in the template
    dead_letters = dead_letters["Fn::GetAtt"][0]
print(f"schedule {name} ({source}): dead letters to {dead_letters}")
open(refs_file, "w").write(f"{dead_letters}\n")
PY
read -r dead_letters <"$WORK/schedule.refs"
case "$dead_letters" in
  arn:*) DLQ_NAME="${dead_letters##*:}" ;;
  # Not --logical-resource-id: moto's DescribeStackResources fails with a 500 on the resources its CloudFormation skipped.
  *) DLQ_NAME="$(aws cloudformation describe-stack-resources --stack-name MlPlatform --query "StackResources[?LogicalResourceId=='$dead_letters'].PhysicalResourceId" --output text)"; DLQ_NAME="${DLQ_NAME##*/}" ;;
esac
# The AWS CLI v1 sends SQS requests to the SQS endpoint of the region unless given --endpoint-url.
DLQ_URL="$(aws sqs get-queue-url --endpoint-url "$ENDPOINT" --queue-name "$DLQ_NAME" --query QueueUrl --output text)" || { echo "FAIL: dead letter queue $DLQ_NAME not found"; exit 1; }
echo "schedule dead letter queue: $DLQ_URL"

# moto records an execution without running it (it does not evaluate JSONata): only the run is shown.
if execution="$(aws stepfunctions start-execution --state-machine-arn "$STATE_MACHINE_ARN" --input '{"runDate":"2026-11-01"}' --query executionArn --output text 2>"$WORK/start-execution.err")"; then
  echo "state machine: accepted a run for 2026-11-01: $execution ($(aws stepfunctions describe-execution --execution-arn "$execution" --query status --output text 2>/dev/null || echo "status unknown"), not run by moto)"
else
  echo "state machine: start-execution skipped: $(tr '\n' ' ' <"$WORK/start-execution.err")"
fi

# The edge fleet of retail devices: its driver, start rule and device role from the emulator, its component from the template.
python3 test/deploy/read_edge_fleet.py deployed "$WORK/deployed-template.json" 1.4.0 "$(model_sha256 1.4.0)" "$WORK/fleet.json"

# A new model version rolls out through the same endpoint with a new endpoint config, and to the devices as a new component version.
wait "$SYNTH_150_PID" || { cat "$WORK/synth-1.5.0.log"; exit 1; }
$CDK deploy --app "$WORK/cdk.out-1.5.0" --all --require-approval never >"$WORK/deploy-1.5.0.log" 2>&1 || { cat "$WORK/deploy-1.5.0.log"; exit 1; }
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
read_scoring_model
case "$SCORING_MODEL_DATA_URL" in */fraud/1.5.0/*) ;; *) echo "FAIL: state machine FraudScoring scores with $SCORING_MODEL_DATA_URL, expected fraud 1.5.0"; exit 1 ;; esac
echo "state machine FraudScoring: scores with fraud 1.5.0"
aws cloudformation get-template --stack-name MlPlatform --query TemplateBody --output json > "$WORK/deployed-template-1.5.0.json"
python3 test/deploy/read_edge_fleet.py deployed "$WORK/deployed-template-1.5.0.json" 1.5.0 "$(model_sha256 1.5.0)" "$WORK/fleet.json"

$CDK destroy --app "$WORK/cdk.out-1.5.0" --all --force >"$WORK/destroy.log" 2>&1 || { cat "$WORK/destroy.log"; exit 1; }
echo "== destroyed"
if aws cloudformation describe-stacks --stack-name MlPlatform >/dev/null 2>&1; then
  remaining="$(aws cloudformation describe-stacks --stack-name MlPlatform --query 'Stacks[0].StackStatus' --output text)"
  [ "$remaining" = "DELETE_COMPLETE" ] || { echo "FAIL: stack still $remaining"; exit 1; }
fi
aws stepfunctions describe-state-machine --state-machine-arn "$STATE_MACHINE_ARN" >/dev/null 2>&1 && { echo "FAIL: state machine $STATE_MACHINE_ARN survived the destroy"; exit 1; }
echo "deleted by destroy: state machine $STATE_MACHINE_ARN"
aws lambda get-function --function-name "$SCORING_FUNCTION" >/dev/null 2>&1 && { echo "FAIL: function $SCORING_FUNCTION survived the destroy"; exit 1; }
echo "deleted by destroy: function $SCORING_FUNCTION"
aws sqs get-queue-url --endpoint-url "$ENDPOINT" --queue-name "$DLQ_NAME" >/dev/null 2>&1 && { echo "FAIL: queue $DLQ_NAME survived the destroy"; exit 1; }
echo "deleted by destroy: queue $DLQ_NAME"
if [ -n "$SCHEDULE_NAME" ]; then
  aws scheduler get-schedule --group-name "$SCHEDULE_GROUP" --name "$SCHEDULE_NAME" >/dev/null 2>&1 && { echo "FAIL: schedule $SCHEDULE_NAME survived the destroy"; exit 1; }
  echo "deleted by destroy: schedule $SCHEDULE_NAME"
fi
python3 test/deploy/read_edge_fleet.py destroyed "$WORK/fleet.json"
for bucket in $BUCKETS; do
  aws s3api head-bucket --bucket "$bucket" >/dev/null || { echo "FAIL: retained bucket $bucket was deleted"; exit 1; }
  echo "retained after destroy: bucket $bucket"
done
for key in $KEYS; do
  state="$(aws kms describe-key --key-id "$key" --query KeyMetadata.KeyState --output text)"
  [ "$state" = "Enabled" ] || { echo "FAIL: retained key $key is $state"; exit 1; }
  echo "retained after destroy: key $key ($state)"
done
echo "test:deploy passed: bootstrap, deploy, read back, fraud model 1.4.0 -> 1.5.0 through endpoint fraud, state machine FraudScoring (JSONata, schedule read from the $SCHEDULE_SOURCE) and the retail devices' component, destroy against moto_server; $(echo "$BUCKETS" | grep -c .) buckets, $(echo "$KEYS" | grep -c .) key(s) and the fleet's log group retained"
