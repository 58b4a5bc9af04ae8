"""A loopback proxy in front of moto_server that fills two gaps of moto 5.2 in the protocols the
AWS SDK for Rust speaks, so that a whole account lists the way it does against AWS:

* CloudWatch: the SDK speaks Smithy RPC v2 CBOR (POST /service/GraniteServiceVersion20100801/
  operation/OPERATION), which moto does not route. The proxy decodes the CBOR request, makes the
  same call to moto with boto3 and answers in CBOR (timestamps as tag 1), errors as the protocol's
  `__type` / `message` document.
* S3 GetBucketVersioning: moto's answer has a GetBucketVersioningResponse root element where S3
  sends VersioningConfiguration; the proxy renames the root.
* Cloud Control (`X-Amz-Target: CloudApiService.ListResources`), which moto does not implement:
  the proxy answers as Cloud Control's own handlers do, by reading the service through its API
  (boto3 against moto) and returning CloudFormation resource models, for the types the AWS
  example uses (SQS queues, ECS clusters, services and task definitions, CloudWatch log groups).
  Every other type lists empty, as it does in an account that has none.

Everything else is forwarded to moto unchanged, with moto's own Host header, so the URLs moto
builds from it (SQS queue URLs) are the ones a client talking to moto directly sees.

Usage: moto_compat.py PORT MOTO_URL
"""
import datetime
import http.client
import json
import re
import struct
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import boto3
import botocore.exceptions
from botocore import xform_name

port, moto_url = int(sys.argv[1]), sys.argv[2]
moto = urlsplit(moto_url)
CBOR_PATH = re.compile(r"^/service/GraniteServiceVersion20100801/operation/(\w+)$")
REGION = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/")


# A minimal CBOR codec (RFC 8949): what Smithy RPC v2 documents use.

def encode(v, out):
    if v is None:
        out.append(0xF6)
    elif v is True:
        out.append(0xF5)
    elif v is False:
        out.append(0xF4)
    elif isinstance(v, int):
        head(0, v, out) if v >= 0 else head(1, -1 - v, out)
    elif isinstance(v, float):
        out.append(0xFB)
        out += struct.pack(">d", v)
    elif isinstance(v, str):
        b = v.encode()
        head(3, len(b), out)
        out += b
    elif isinstance(v, (bytes, bytearray)):
        head(2, len(v), out)
        out += v
    elif isinstance(v, datetime.datetime):
        out.append(0xC1)
        encode(v.timestamp(), out)
    elif isinstance(v, dict):
        head(5, len(v), out)
        for k, x in v.items():
            encode(k, out)
            encode(x, out)
    elif isinstance(v, (list, tuple)):
        head(4, len(v), out)
        for x in v:
            encode(x, out)
    else:
        raise TypeError(f"cannot encode {type(v)}")


def head(major, n, out):
    if n < 24:
        out.append(major << 5 | n)
    elif n < 0x100:
        out += bytes([major << 5 | 24, n])
    elif n < 0x10000:
        out.append(major << 5 | 25)
        out += struct.pack(">H", n)
    elif n < 0x100000000:
        out.append(major << 5 | 26)
        out += struct.pack(">I", n)
    else:
        out.append(major << 5 | 27)
        out += struct.pack(">Q", n)


def decode(b, i=0):
    first = b[i]
    major, info = first >> 5, first & 0x1F
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if major == 7:
            raw = b[i:i + size]
            i += size
            if size == 2:
                return struct.unpack(">e", raw)[0], i
            if size == 4:
                return struct.unpack(">f", raw)[0], i
            if size == 8:
                return struct.unpack(">d", raw)[0], i
            return raw[0], i
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    elif info == 31:
        n = None
    else:
        raise ValueError(f"bad CBOR head {first:#x}")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        if n is None:
            parts = []
            while b[i] != 0xFF:
                p, i = decode(b, i)
                parts.append(p)
            joined = (b"" if major == 2 else "").join(parts)
            return joined, i + 1
        raw = bytes(b[i:i + n])
        return (raw if major == 2 else raw.decode()), i + n
    if major == 4:
        items = []
        while (n is None and b[i] != 0xFF) or (n is not None and len(items) < n):
            x, i = decode(b, i)
            items.append(x)
        return items, (i + 1 if n is None else i)
    if major == 5:
        m = {}
        while (n is None and b[i] != 0xFF) or (n is not None and len(m) < n):
            k, i = decode(b, i)
            m[k], i = decode(b, i)
        return m, (i + 1 if n is None else i)
    if major == 6:
        x, i = decode(b, i)
        if n == 1:
            return datetime.datetime.fromtimestamp(x, datetime.timezone.utc), i
        return x, i
    return {20: False, 21: True, 22: None, 23: None}.get(n), i


def tag_list(tags):
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())] if tags else None


def cc_models(type_name, region, key, model):
    """(identifier, CloudFormation properties) of every resource of `type_name`."""
    kw = dict(endpoint_url=moto_url, region_name=region, aws_access_key_id=key,
              aws_secret_access_key="testing")
    out = []
    if type_name == "AWS::SQS::Queue":
        sqs = boto3.client("sqs", **kw)
        for url in sqs.list_queues().get("QueueUrls", []):
            a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            p = {"QueueUrl": url, "Arn": a["QueueArn"], "QueueName": url.rsplit("/", 1)[1]}
            for k in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds",
                      "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds"):
                if k in a:
                    p[k] = int(a[k])
            if "FifoQueue" in a:
                p["FifoQueue"] = a["FifoQueue"] == "true"
            if "RedrivePolicy" in a:
                p["RedrivePolicy"] = json.loads(a["RedrivePolicy"])
            tags = tag_list(sqs.list_queue_tags(QueueUrl=url).get("Tags", {}))
            if tags:
                p["Tags"] = tags
            out.append((url, p))
    elif type_name == "AWS::Logs::LogGroup":
        logs = boto3.client("logs", **kw)
        for g in logs.describe_log_groups().get("logGroups", []):
            p = {"LogGroupName": g["logGroupName"], "Arn": g["arn"]}
            if "retentionInDays" in g:
                p["RetentionInDays"] = g["retentionInDays"]
            tags = tag_list(logs.list_tags_log_group(logGroupName=g["logGroupName"]).get("tags", {}))
            if tags:
                p["Tags"] = tags
            out.append((g["logGroupName"], p))
    elif type_name == "AWS::ECS::Cluster":
        ecs = boto3.client("ecs", **kw)
        arns = ecs.list_clusters().get("clusterArns", [])
        for c in ecs.describe_clusters(clusters=arns, include=["TAGS"]).get("clusters", []) if arns else []:
            p = {"ClusterName": c["clusterName"], "Arn": c["clusterArn"]}
            tags = tag_list({t["key"]: t["value"] for t in c.get("tags", [])})
            if tags:
                p["Tags"] = tags
            out.append((c["clusterName"], p))
    elif type_name == "AWS::ECS::Service":
        ecs = boto3.client("ecs", **kw)
        cluster = model.get("Cluster")
        arns = ecs.list_services(cluster=cluster).get("serviceArns", []) if cluster else []
        for s in ecs.describe_services(cluster=cluster, services=arns, include=["TAGS"]).get("services", []) if arns else []:
            p = {"ServiceName": s["serviceName"], "ServiceArn": s["serviceArn"],
                 "Cluster": s["clusterArn"], "TaskDefinition": s.get("taskDefinition"),
                 "DesiredCount": s.get("desiredCount"), "LaunchType": s.get("launchType")}
            tags = tag_list({t["key"]: t["value"] for t in s.get("tags", [])})
            if tags:
                p["Tags"] = tags
            out.append((f"{s['serviceArn']}|{s['clusterArn']}", {k: v for k, v in p.items() if v is not None}))
    elif type_name == "AWS::ECS::TaskDefinition":
        ecs = boto3.client("ecs", **kw)
        for arn in ecs.list_task_definitions().get("taskDefinitionArns", []):
            td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
            p = {"TaskDefinitionArn": arn, "Family": td["family"],
                 "Cpu": td.get("cpu"), "Memory": td.get("memory"),
                 "NetworkMode": td.get("networkMode"),
                 "RequiresCompatibilities": td.get("requiresCompatibilities"),
                 "TaskRoleArn": td.get("taskRoleArn"), "ExecutionRoleArn": td.get("executionRoleArn")}
            out.append((arn, {k: v for k, v in p.items() if v is not None}))
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def cloudwatch(self, operation, raw):
        params, _ = decode(raw) if raw else ({}, 0)
        m = REGION.search(self.headers.get("Authorization", ""))
        key, region = (m.group(1), m.group(2)) if m else ("testing", "us-east-1")
        client = boto3.client("cloudwatch", endpoint_url=moto_url, region_name=region,
                              aws_access_key_id=key, aws_secret_access_key="testing")
        headers = [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", "application/cbor")]
        try:
            result = getattr(client, xform_name(operation))(**params)
        except botocore.exceptions.ClientError as e:
            err = e.response.get("Error", {})
            out = bytearray()
            encode({"__type": err.get("Code", "InternalFailure"), "message": err.get("Message", "")}, out)
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
            return self.reply(status, headers, bytes(out))
        result.pop("ResponseMetadata", None)
        out = bytearray()
        encode(result, out)
        self.reply(200, headers, bytes(out))

    def cloudcontrol(self, operation, raw):
        body = json.loads(raw or b"{}")
        m = REGION.search(self.headers.get("Authorization", ""))
        key, region = (m.group(1), m.group(2)) if m else ("testing", "us-east-1")
        ctype = [("Content-Type", "application/x-amz-json-1.0")]
        if operation != "ListResources":
            err = {"__type": "UnsupportedActionException", "Message": f"{operation} is not served here"}
            return self.reply(400, ctype, json.dumps(err).encode())
        model = json.loads(body["ResourceModel"]) if body.get("ResourceModel") else {}
        models = cc_models(body.get("TypeName", ""), region, key, model)
        out = {"TypeName": body.get("TypeName"), "ResourceDescriptions": [
            {"Identifier": ident, "Properties": json.dumps(props)} for ident, props in models]}
        self.reply(200, ctype, json.dumps(out).encode())

    def forward(self):
        raw = self.body()
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith("CloudApiService."):
            return self.cloudcontrol(target.split(".", 1)[1], raw)
        m = CBOR_PATH.match(self.path)
        if m and self.command == "POST":
            return self.cloudwatch(m.group(1), raw)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        headers["Host"] = moto.netloc
        conn = http.client.HTTPConnection(moto.hostname, moto.port, timeout=60)
        conn.request(self.command, self.path, body=raw or None, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        query = urlsplit(self.path).query
        if self.command == "GET" and re.search(r"(^|&)versioning(=|&|$)", query):
            body = body.replace(b"GetBucketVersioningResponse", b"VersioningConfiguration")
        self.reply(resp.status, resp.getheaders(), body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
