"""A loopback AWS endpoint replaying the documented request and response shapes of the APIs the
Cloud Control lister reads, for the inventory tests:

* Cloud Control (AWS JSON 1.0, `X-Amz-Target: CloudApiService.ListResources` / `GetResource`):
  `ResourceDescriptions[].Properties` as JSON strings, `NextToken` pagination honouring
  `MaxResults`, `ResourceModel` for types listed per parent, and the documented errors
  (`ThrottlingException`, `UnsupportedActionException`, `TypeNotFoundException`,
  `AccessDeniedException`, `InvalidRequestException`).
* AWS Config (AWS JSON 1.1, `StarlingDoveService.SelectAggregateResourceConfig`): `Results` as
  JSON strings, filtered by the `resourceType IN (...)` of the expression, `Limit`/`NextToken`.
* EC2 `DescribeRegions` and STS `GetCallerIdentity` (query protocol, XML).

Every request must carry a SigV4 `Authorization` header; the region and service of its credential
scope decide what it sees. Requests are logged and served back on `GET /_log`.

Usage: cloudcontrol_server.py PORT FIXTURE.json

The fixture:
  {"account": "123456789012",
   "regions": [{"name": "us-east-1", "status": "opt-in-not-required"}, ...],
   "types": {"AWS::SQS::Queue": {
       "list": "identifier" | "full",          # what ListResources returns as Properties
       "identifier": ["QueueUrl"],             # primary identifier properties, joined with |
       "requires": "Cluster",                   # a ResourceModel property the list handler needs
       "resources": [{"region": "us-east-1", "properties": {...}}]}},
   "errors": {"AWS::Foo::Bar": {"status": 400, "code": "UnsupportedActionException", "message": "..."}},
   "throttle": {"AWS::SQS::Queue": 2},          # the first N list calls are throttled
   "hang": {"AWS::Logs::LogGroup": 30},         # seconds to wait before answering
   "aggregator": {"name": "org", "items": [{"resourceType": ..., "configuration": {...}, ...}]},
   "ec2_created": {"DescribeVpcs": {"element": "vpcId", "ids": ["vpc-1"]}}}
"""
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

port, fixture_path = int(sys.argv[1]), sys.argv[2]
with open(fixture_path) as f:
    FX = json.load(f)
ACCOUNT = FX.get("account", "123456789012")
LOCK = threading.Lock()
LOG = []
THROTTLED = {}
SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


def identifier(spec, props):
    return "|".join(str(props.get(k, "")) for k in spec.get("identifier", []))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "c0ffee")
        self.end_headers()
        self.wfile.write(data)

    def json_error(self, status, code, message, version="1.0"):
        body = json.dumps({"__type": f"com.amazon.cloudapiservice#{code}", "Message": message})
        self.reply(status, body, f"application/x-amz-json-{version}")

    def do_GET(self):
        if self.path == "/_log":
            with LOCK:
                self.reply(200, json.dumps(LOG), "application/json")
        else:
            self.reply(404, "", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        auth = self.headers.get("Authorization", "")
        m = SCOPE.search(auth)
        if not auth.startswith("AWS4-HMAC-SHA256") or not m:
            return self.json_error(403, "IncompleteSignature", "Authorization header requires a SigV4 signature")
        region, service = m.group(2), m.group(3)
        target = self.headers.get("X-Amz-Target", "")
        entry = {"region": region, "service": service, "target": target}
        if target.startswith("CloudApiService."):
            body = json.loads(raw or b"{}")
            entry["body"] = body
            with LOCK:
                LOG.append(entry)
            return self.cloudcontrol(target.split(".", 1)[1], body, region)
        if target.startswith("StarlingDoveService."):
            body = json.loads(raw or b"{}")
            entry["body"] = body
            with LOCK:
                LOG.append(entry)
            return self.config(body)
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        entry["body"] = form
        with LOCK:
            LOG.append(entry)
        action = form.get("Action")
        if action == "GetCallerIdentity":
            return self.reply(200, f"""<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:iam::{ACCOUNT}:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>c0ffee</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>""", "text/xml")
        if action == "DescribeRegions":
            items = "".join(
                f"<item><regionName>{r['name']}</regionName><regionEndpoint>ec2.{r['name']}.amazonaws.com</regionEndpoint><optInStatus>{r['status']}</optInStatus></item>"
                for r in FX.get("regions", []))
            return self.reply(200, f"""<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>c0ffee</requestId><regionInfo>{items}</regionInfo>
</DescribeRegionsResponse>""", "text/xml;charset=UTF-8")
        created = FX.get("ec2_created", {}).get(action)
        if created is not None:
            # EC2 Describe* filtered on a flag (is-default, default-for-az, association.main).
            el = created["element"]
            flagged = form.get("Filter.1.Value.1") == "true"
            items = "".join(f"<item><{el}>{i}</{el}></item>" for i in created["ids"] if flagged)
            return self.reply(200, f"""<{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>c0ffee</requestId><resultSet>{items}</resultSet>
</{action}Response>""", "text/xml;charset=UTF-8")
        return self.reply(400, f"<ErrorResponse><Error><Code>InvalidAction</Code><Message>{action} is not served here</Message></Error></ErrorResponse>", "text/xml")

    def cloudcontrol(self, op, body, region):
        name = body.get("TypeName", "")
        err = FX.get("errors", {}).get(name)
        if err:
            return self.json_error(err.get("status", 400), err["code"], err.get("message", ""))
        hang = FX.get("hang", {}).get(name)
        if hang:
            time.sleep(hang)
        if op == "ListResources":
            with LOCK:
                n = THROTTLED.get(name, 0)
                if n < FX.get("throttle", {}).get(name, 0):
                    THROTTLED[name] = n + 1
                    throttle = True
                else:
                    throttle = False
            if throttle:
                return self.json_error(400, "ThrottlingException", "Rate exceeded")
        spec = FX.get("types", {}).get(name)
        if spec is None:
            return self.json_error(400, "TypeNotFoundException", f"The type '{name}' cannot be found.")
        here = [r for r in spec.get("resources", []) if r.get("region", "us-east-1") == region]
        if op == "GetResource":
            for r in here:
                if identifier(spec, r["properties"]) == body.get("Identifier"):
                    return self.reply(200, json.dumps({
                        "TypeName": name,
                        "ResourceDescription": {"Identifier": body["Identifier"], "Properties": json.dumps(r["properties"])},
                    }), "application/x-amz-json-1.0")
            return self.json_error(404, "ResourceNotFoundException", f"{body.get('Identifier')} not found")
        if op != "ListResources":
            return self.json_error(400, "UnsupportedActionException", f"{op} is not served here")
        model = json.loads(body["ResourceModel"]) if body.get("ResourceModel") else {}
        need = spec.get("requires")
        if need and need not in model:
            return self.json_error(400, "InvalidRequestException", f"Missing Or Invalid ResourceModel property in {name} list handler request input. Required property: [{need}]")
        if need:
            here = [r for r in here if r["properties"].get(need) == model[need]]
        start = int(body.get("NextToken") or 0)
        size = int(body.get("MaxResults") or 100)
        page = here[start:start + size]
        descriptions = []
        for r in page:
            props = r["properties"]
            if spec.get("list", "identifier") == "identifier":
                props = {k: props[k] for k in spec.get("identifier", []) if k in props}
            descriptions.append({"Identifier": identifier(spec, r["properties"]), "Properties": json.dumps(props)})
        out = {"TypeName": name, "ResourceDescriptions": descriptions}
        if start + size < len(here):
            out["NextToken"] = str(start + size)
        return self.reply(200, json.dumps(out), "application/x-amz-json-1.0")

    def config(self, body):
        agg = FX.get("aggregator", {})
        if body.get("ConfigurationAggregatorName") != agg.get("name"):
            return self.json_error(400, "NoSuchConfigurationAggregatorException",
                                   f"The configuration aggregator does not exist: {body.get('ConfigurationAggregatorName')}", "1.1")
        wanted = re.findall(r"'([^']+)'", body.get("Expression", ""))
        items = [i for i in agg.get("items", []) if i["resourceType"] in wanted]
        start = int(body.get("NextToken") or 0)
        size = int(body.get("Limit") or 100)
        out = {"Results": [json.dumps(i) for i in items[start:start + size]],
               "QueryInfo": {"SelectFields": [{"Name": "resourceId"}]}}
        if start + size < len(items):
            out["NextToken"] = str(start + size)
        return self.reply(200, json.dumps(out), "application/x-amz-json-1.1")


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
