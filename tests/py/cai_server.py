"""A loopback Cloud Asset Inventory v1 server for tfrecon's tests and benchmarks.

Serves GET /v1/{parent}/assets the way the public API documents it: contentType,
assetTypes (repeatable), pageSize (capped at 1000), pageToken/nextPageToken, Google error
bodies (google.rpc.Status with ErrorInfo details) and Retry-After on 429. Every request is
logged; GET /_log returns the log as JSON.

Config (JSON file given with --config):
  {"assets": [Asset, ...],                       # each with "name", "assetType", and
                                                 # "resource" and/or "iamPolicy"; "parent"
                                                 # (e.g. "projects/acme") says which scope lists it
   "generate": [{"parent", "assetType", "count", "template"}],   # template: Asset with {i}
   "faults": [{"parent"?, "assetType"?, "contentType"?, "status", "times", "retryAfter"?,
               "reason"?}]}                      # times: how many requests fail (-1: all)
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_PAGE = 1000

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--config", required=True)
args = parser.parse_args()
config = json.load(open(args.config))

# (parent, contentType) -> list of asset dicts, in a stable order.
store = {}


def add(parent, asset):
    if "resource" in asset:
        a = {k: v for k, v in asset.items() if k not in ("iamPolicy", "parent")}
        store.setdefault((parent, "RESOURCE"), []).append(a)
    if "iamPolicy" in asset:
        a = {k: v for k, v in asset.items() if k not in ("resource", "parent")}
        store.setdefault((parent, "IAM_POLICY"), []).append(a)


for asset in config.get("assets", []):
    add(asset.get("parent", ""), asset)
for gen in config.get("generate", []):
    tpl = json.dumps(gen["template"])
    for i in range(gen["count"]):
        a = json.loads(tpl.replace("{i}", str(i)))
        add(gen["parent"], a)

faults = config.get("faults", [])
# Rendered pages, so that repeated listings (benchmarks) measure the client, not this server.
pages = {}
lock = threading.Lock()
log = []


def error_body(status, parent, reason):
    if status == 403 and reason == "SERVICE_DISABLED":
        msg = ("Cloud Asset API has not been used in project 123456789012 before or it is disabled. "
               "Enable it by visiting https://console.developers.google.com/apis/api/"
               "cloudasset.googleapis.com/overview?project=123456789012 then retry.")
        details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
                    "domain": "googleapis.com",
                    "metadata": {"service": "cloudasset.googleapis.com", "consumer": "projects/123456789012"}}]
        return {"error": {"code": 403, "message": msg, "status": "PERMISSION_DENIED", "details": details}}
    if status == 403:
        details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "IAM_PERMISSION_DENIED",
                    "domain": "cloudasset.googleapis.com",
                    "metadata": {"permission": "cloudasset.assets.listResource", "resource": parent}}]
        return {"error": {"code": 403, "message": "The caller does not have permission",
                          "status": "PERMISSION_DENIED", "details": details}}
    if status == 429:
        return {"error": {"code": 429, "message": "Quota exceeded for quota metric 'List Assets requests' "
                          "and limit 'List Assets requests per minute'", "status": "RESOURCE_EXHAUSTED"}}
    return {"error": {"code": status, "message": "Internal error encountered.", "status": "INTERNAL"}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, headers=()):
        self.send_raw(status, json.dumps(body).encode(), headers)

    def send_raw(self, status, data, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_log":
            with lock:
                return self.send(200, log)
        q = parse_qs(url.query)
        if not (url.path.startswith("/v1/") and url.path.endswith("/assets")):
            return self.send(404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})
        parent = url.path[len("/v1/"):-len("/assets")]
        content = q.get("contentType", [""])[0]
        types = q.get("assetTypes", [])
        entry = {"parent": parent, "contentType": content, "assetTypes": types,
                 "pageToken": q.get("pageToken", [""])[0], "pageSize": q.get("pageSize", [""])[0],
                 "auth": self.headers.get("Authorization", ""), "time": time.time()}
        with lock:
            for f in faults:
                if f.get("parent", parent) != parent or f.get("contentType", content) != content:
                    continue
                if "assetType" in f and f["assetType"] not in types:
                    continue
                if f["times"] == 0:
                    continue
                if f["times"] > 0:
                    f["times"] -= 1
                entry["status"] = f["status"]
                log.append(entry)
                headers = [("Retry-After", str(f["retryAfter"]))] if "retryAfter" in f else []
                return self.send(f["status"], error_body(f["status"], parent, f.get("reason")), headers)
            entry["status"] = 200
            log.append(entry)
        size = min(int(q.get("pageSize", [MAX_PAGE])[0] or MAX_PAGE), MAX_PAGE)
        start = int(q.get("pageToken", ["0"])[0] or 0)
        key = (parent, content, tuple(types), start, size)
        data = pages.get(key)
        if data is None:
            items = store.get((parent, content), [])
            if types:
                items = [a for a in items if a["assetType"] in types]
            body = {"readTime": "2026-01-01T00:00:00Z", "assets": items[start:start + size]}
            if start + size < len(items):
                body["nextPageToken"] = str(start + size)
            data = json.dumps(body).encode()
            pages[key] = data
        self.send_raw(200, data)


ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
