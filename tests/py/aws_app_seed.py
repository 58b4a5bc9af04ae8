"""Seeds a moto server with the live side of examples/aws-app, through the real AWS APIs.

Usage: aws_app_seed.py ENDPOINT_URL [STATE_BUCKET STATE_KEY STATE_FILE]

What exists is what the example's configuration declares (the last apply created all of it), as
it is now: the orders queue retuned in the console (visibility timeout 300 s, retention 14 days),
a cost-center tag added to the execution role, the billing worker's log retention raised to 90
days, plus what was made by hand: a replay queue and a break-glass IAM role.

With STATE_BUCKET, STATE_KEY and STATE_FILE, the bucket is created and the file is put at the key
(a Terraform S3 backend). Prints a JSON document with the queue URLs and ARNs moto assigned.
"""
import json
import sys

import boto3

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
          aws_secret_access_key="testing")
c = lambda name: boto3.client(name, **kw)
out = {}

tags = {"app": "orders", "environment": "prod", "managed_by": "terraform"}
iam_tags = [{"Key": k, "Value": v} for k, v in tags.items()]
ecs_tags = [{"key": k, "value": v} for k, v in tags.items()]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

# SQS
sqs = c("sqs")


def queue(name, attributes=None, by_terraform=True):
    # The provider sets the maximum message size it documents as the default (256 KiB).
    attributes = dict(attributes or {}, **({"MaximumMessageSize": "262144"} if by_terraform else {}))
    url = sqs.create_queue(QueueName=name, Attributes=attributes, **({"tags": tags} if by_terraform else {}))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    out[name] = {"url": url, "arn": arn}
    return arn


dlq = queue("orders-dlq", {"MessageRetentionPeriod": "1209600"})
orders = queue("orders", {
    "VisibilityTimeout": "300", "MessageRetentionPeriod": "1209600", "ReceiveMessageWaitTimeSeconds": "20",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": 5}),
})
billing = queue("orders-billing", {"VisibilityTimeout": "120"})
shipping_dlq = queue("orders-shipping-dlq")
shipping = queue("orders-shipping", {
    "VisibilityTimeout": "120",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": shipping_dlq, "maxReceiveCount": 3}),
})
queue("orders-replay", by_terraform=False)

# IAM
iam = c("iam")
iam.create_role(RoleName="orders-task-execution", AssumeRolePolicyDocument=json.dumps(trust),
                Tags=iam_tags + [{"Key": "cost-center", "Value": "retail-42"}])
iam.attach_role_policy(RoleName="orders-task-execution",
                       PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
for worker in ["billing", "shipping"]:
    iam.create_role(RoleName=f"orders-{worker}-task", AssumeRolePolicyDocument=json.dumps(trust), Tags=iam_tags)
    consume = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        "Resource": out[f"orders-{worker}"]["arn"],
    }]}
    policy = iam.create_policy(PolicyName=f"orders-{worker}-consume", Description=f"Consume the {worker} queue",
                               PolicyDocument=json.dumps(consume), Tags=iam_tags)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=f"orders-{worker}-task", PolicyArn=policy)
    out[f"policy_{worker}"] = policy
# ECS creates its service-linked role with the first service.
iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
iam.create_role(RoleName="orders-oncall-debug", Description="Break-glass access during incidents",
                AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}))

# S3
s3 = c("s3")
for b in ["acme-orders-artifacts", "acme-orders-exports-0", "acme-orders-exports-1"]:
    s3.create_bucket(Bucket=b)
    s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": iam_tags})
s3.put_bucket_versioning(Bucket="acme-orders-artifacts", VersioningConfiguration={"Status": "Enabled"})
s3.put_public_access_block(Bucket="acme-orders-artifacts", PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})

# CloudWatch Logs
logs = c("logs")
for worker, days in [("billing", 90), ("shipping", 30)]:
    logs.create_log_group(logGroupName=f"/ecs/orders/{worker}", tags=tags)
    logs.put_retention_policy(logGroupName=f"/ecs/orders/{worker}", retentionInDays=days)

# ECS
ecs = c("ecs")
ec2 = c("ec2")
default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc]}])["Subnets"])
default_sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [default_vpc]}, {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
out.update(default_vpc=default_vpc, default_subnets=subnets, default_security_group=default_sg)
cluster = ecs.create_cluster(clusterName="orders", settings=[{"name": "containerInsights", "value": "enabled"}],
                             tags=ecs_tags)["cluster"]["clusterArn"]
out["cluster_arn"] = cluster
execution_role = "arn:aws:iam::123456789012:role/orders-task-execution"
for worker, cpu, memory, count in [("billing", 256, 512, 2), ("shipping", 512, 1024, 1)]:
    container = {
        "name": worker, "image": f"public.ecr.aws/acme/orders-{worker}:1.4.2", "essential": True,
        "environment": [{"name": "QUEUE_URL", "value": out[f"orders-{worker}"]["url"]}],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": f"/ecs/orders/{worker}", "awslogs-region": "us-east-1", "awslogs-stream-prefix": worker}},
    }
    td = ecs.register_task_definition(family=f"orders-{worker}", containerDefinitions=[container],
                                      requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                      cpu=str(cpu), memory=str(memory), executionRoleArn=execution_role,
                                      taskRoleArn=f"arn:aws:iam::123456789012:role/orders-{worker}-task", tags=ecs_tags)["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(cluster="orders", serviceName=worker, taskDefinition=td, desiredCount=count,
                       launchType="FARGATE", tags=ecs_tags,
                       networkConfiguration={"awsvpcConfiguration": {
                           "subnets": subnets, "securityGroups": [default_sg],
                           "assignPublicIp": "DISABLED"}})
    out[f"task_definition_{worker}"] = td

if len(sys.argv) == 5:
    bucket, key, path = sys.argv[2:5]
    s3.create_bucket(Bucket=bucket)
    with open(path, "rb") as f:
        s3.put_object(Bucket=bucket, Key=key, Body=f.read())

print(json.dumps(out))
