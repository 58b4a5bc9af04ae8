"""Seeds a moto server with a realistic AWS account for the inventory tests.

Usage: aws_seed.py ENDPOINT_URL REGION ROLES QUEUES
Prints a JSON document with the identifiers AWS assigned (VPC IDs, ARNs, ...) so the test can
assert exact import IDs.
"""
import io
import json
import sys
import zipfile

import boto3

endpoint, region, n_roles, n_queues = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing",
          aws_secret_access_key="testing")
c = lambda name: boto3.client(name, **kw)
out = {}

trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
allow_logs = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}

iam = c("iam")
for i in range(n_roles):
    iam.create_role(RoleName=f"role-{i:03d}", AssumeRolePolicyDocument=json.dumps(trust), Path="/app/")
app = iam.create_role(RoleName="app-role", AssumeRolePolicyDocument=json.dumps(trust),
                      Description="application role", MaxSessionDuration=7200,
                      Tags=[{"Key": "team", "Value": "payments"}])
out["app_role_arn"] = app["Role"]["Arn"]
iam.put_role_policy(RoleName="app-role", PolicyName="logs", PolicyDocument=json.dumps(allow_logs))
pol = iam.create_policy(PolicyName="app-policy", PolicyDocument=json.dumps(allow_logs), Path="/", Tags=[{"Key": "owner", "Value": "platform"}])
out["policy_arn"] = pol["Policy"]["Arn"]
iam.attach_role_policy(RoleName="app-role", PolicyArn=pol["Policy"]["Arn"])
slr = iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
out["slr_name"] = slr["Role"]["RoleName"]
out["slr_path"] = slr["Role"]["Path"]
iam.create_user(UserName="deployer", Tags=[{"Key": "team", "Value": "ops"}])
iam.attach_user_policy(UserName="deployer", PolicyArn=pol["Policy"]["Arn"])
iam.create_group(GroupName="admins")
iam.put_group_policy(GroupName="admins", PolicyName="all-logs", PolicyDocument=json.dumps(allow_logs))
iam.create_instance_profile(InstanceProfileName="app-profile")
iam.add_role_to_instance_profile(InstanceProfileName="app-profile", RoleName="app-role")
oidc = iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com",
                                           ClientIDList=["sts.amazonaws.com"],
                                           ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])
out["oidc_arn"] = oidc["OpenIDConnectProviderArn"]

s3 = c("s3")
s3.create_bucket(Bucket="tfrecon-logs")
s3.put_bucket_tagging(Bucket="tfrecon-logs", Tagging={"TagSet": [{"Key": "env", "Value": "prod"}]})
s3.put_bucket_policy(Bucket="tfrecon-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "deny-http", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::tfrecon-logs/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
s3.put_bucket_versioning(Bucket="tfrecon-logs", VersioningConfiguration={"Status": "Enabled"})
s3.put_public_access_block(Bucket="tfrecon-logs", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
s3.put_bucket_encryption(Bucket="tfrecon-logs", ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/logs"}}]})
s3.put_bucket_lifecycle_configuration(Bucket="tfrecon-logs", LifecycleConfiguration={"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 30}}]})
s3.create_bucket(Bucket="tfrecon-plain")
s3.create_bucket(Bucket="tfrecon-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

sqs = c("sqs")
dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
orders = sqs.create_queue(QueueName="orders", Attributes={
    "VisibilityTimeout": "45", "MessageRetentionPeriod": "86400", "DelaySeconds": "5",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 4}),
}, tags={"team": "payments"})["QueueUrl"]
orders_arn = sqs.get_queue_attributes(QueueUrl=orders, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sqs.set_queue_attributes(QueueUrl=orders, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "sns", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": orders_arn}]})})
sqs.create_queue(QueueName="events.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})
for i in range(n_queues):
    sqs.create_queue(QueueName=f"work-{i:03d}")
out.update(orders_url=orders, orders_arn=orders_arn, dlq_url=dlq, dlq_arn=dlq_arn)

sns = c("sns")
topic = sns.create_topic(Name="alerts", Attributes={"DisplayName": "Alerts"}, Tags=[{"Key": "team", "Value": "ops"}])["TopicArn"]
sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=orders_arn)["SubscriptionArn"]
out.update(topic_arn=topic, subscription_arn=sub)

ecs = c("ecs")
ecs.create_cluster(clusterName="prod", tags=[{"key": "env", "value": "prod"}])
td = ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}])
out["task_definition_arn"] = td["taskDefinition"]["taskDefinitionArn"]
ecs.create_service(cluster="prod", serviceName="web", taskDefinition="web", desiredCount=2)

ecr = c("ecr")
ecr.create_repository(repositoryName="web", imageTagMutability="IMMUTABLE", imageScanningConfiguration={"scanOnPush": True})

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return 1\n")
lam = c("lambda")
fn = lam.create_function(FunctionName="worker", Runtime="python3.12", Role=app["Role"]["Arn"], Handler="index.handler",
                         Code={"ZipFile": buf.getvalue()}, MemorySize=256, Timeout=30,
                         Environment={"Variables": {"DB_PASSWORD": "env-secret-value"}}, Tags={"team": "payments"})
lam.add_permission(FunctionName="worker", StatementId="AllowSNS", Action="lambda:InvokeFunction",
                   Principal="sns.amazonaws.com", SourceArn=topic)
esm = lam.create_event_source_mapping(EventSourceArn=orders_arn, FunctionName="worker", BatchSize=5)
out.update(function_arn=fn["FunctionArn"], esm_uuid=esm["UUID"])

ddb = c("dynamodb")
ddb.create_table(TableName="sessions", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
                 BillingMode="PAY_PER_REQUEST", Tags=[{"Key": "team", "Value": "web"}])

ec2 = c("ec2")
vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "main"}]}])["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone=f"{region}a",
                           TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "Name", "Value": "public-a"}]}])["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="web", Description="web servers", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}]}])
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rtb = ec2.create_route_table(VpcId=vpc, TagSpecifications=[{"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "public"}]}])["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
eip = ec2.allocate_address(Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "nat"}]}])["AllocationId"]
nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]["NatGatewayId"]
ami = ec2.describe_images()["Images"][0]["ImageId"]
inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet,
                         TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]}])["Instances"][0]["InstanceId"]
gone = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
ec2.terminate_instances(InstanceIds=[gone])
default_vpc = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")]
out.update(vpc=vpc, subnet=subnet, sg=sg, igw=igw, rtb=rtb, eip=eip, nat=nat, instance=inst,
           terminated=gone, default_vpcs=default_vpc)

logs = c("logs")
logs.create_log_group(logGroupName="/app/web", tags={"team": "web"})
logs.put_retention_policy(logGroupName="/app/web", retentionInDays=14)
cw = c("cloudwatch")
cw.put_metric_alarm(AlarmName="queue-depth", ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=2,
                    MetricName="ApproximateNumberOfMessagesVisible", Namespace="AWS/SQS", Period=60,
                    Statistic="Average", Threshold=100.0, AlarmActions=[topic],
                    Dimensions=[{"Name": "QueueName", "Value": "orders"}])

ev = c("events")
ev.put_rule(Name="nightly", ScheduleExpression="cron(0 3 * * ? *)", State="ENABLED")
ev.put_targets(Rule="nightly", Targets=[{"Id": "notify", "Arn": topic}])
ev.create_event_bus(Name="orders")
ev.put_rule(Name="created", EventBusName="orders", EventPattern=json.dumps({"source": ["shop"]}))
ev.put_targets(Rule="created", EventBusName="orders", Targets=[{"Id": "queue", "Arn": orders_arn}])

kms = c("kms")
key = kms.create_key(Description="logs key", Tags=[{"TagKey": "team", "TagValue": "ops"}])["KeyMetadata"]
kms.enable_key_rotation(KeyId=key["KeyId"])
kms.create_alias(AliasName="alias/logs", TargetKeyId=key["KeyId"])
out.update(key_id=key["KeyId"], key_arn=key["Arn"])

sm = c("secretsmanager")
sec = sm.create_secret(Name="db-password", SecretString="supersecret-value-123", Description="db")
out["secret_arn"] = sec["ARN"]
ssm = c("ssm")
ssm.put_parameter(Name="/app/db/password", Value="hunter2-secure-value", Type="SecureString")
ssm.put_parameter(Name="/app/db/host", Value="db.internal", Type="String")

rds = c("rds")
rds.create_db_instance(DBInstanceIdentifier="orders-db", DBInstanceClass="db.t3.micro", Engine="postgres",
                       AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="rds-password-value")

r53 = c("route53")
zone = r53.create_hosted_zone(Name="example.com", CallerReference="seed")["HostedZone"]["Id"].split("/")[-1]
r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.example.com", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.10"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "api.example.com", "Type": "CNAME", "TTL": 60, "SetIdentifier": "blue", "Weight": 90, "ResourceRecords": [{"Value": "blue.example.com"}]}},
]})
out["zone_id"] = zone

print(json.dumps(out))
