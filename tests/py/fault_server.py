"""A fault-injecting loopback HTTP server for tfrecon's tests: it answers from a scripted list of
routes, and can refuse, throttle, fail, stall, cut a body short or loop page tokens the way a
real endpoint does on a bad day. The same server stands in for Cloud Asset Inventory and for
the http state backend; the client under test runs its production code path.

Usage: fault_server.py --port PORT --config FILE
       fault_server.py --port PORT --no-accept
         listens but never completes another connection (its accept queue is full), then
         prints "ready": a client's connect times out

Config: {"routes": [Route, ...]}; the first route that matches a request answers it (404 when
none does).
  Route: {"method": "GET",                 # optional
          "path": "/exact/path",           # or "prefix": "/v1/"
          "query": {"name": "value"|null}, # each parameter must have this value among its
                                           # values; null: the parameter is absent
          "responses": [Response, ...]}    # used in order; the last one repeats
  Response: {"status": 200, "headers": {NAME: VALUE}, "json": ANY | "body": "text",
             "retryAfter": SECONDS,            # Retry-After in seconds
             "retryAfterDate": SECONDS,        # Retry-After as an HTTP date this far ahead
             "truncate": N,                    # announce the whole Content-Length, send N
                                               # bytes of the body, close the connection
             "hang": true,                     # read the request, never answer
             "stallBody": N}                   # send the headers and N bytes, then nothing

GET /_log returns every request so far as JSON: method, path, query (name -> [values]),
route (index, or null), status, time, authorization.
"""
import argparse
import email.utils
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--config")
parser.add_argument("--no-accept", action="store_true")
args = parser.parse_args()
if args.no_accept:
    import socket
    listener = socket.socket()
    listener.bind(("127.0.0.1", args.port))
    listener.listen(0)
    # Fill the queue with connections nobody accepts; later handshakes go unanswered.
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", args.port))
        except BlockingIOError:
            pass
        fillers.append(c)
    time.sleep(0.5)
    print("ready", flush=True)
    time.sleep(600)
    raise SystemExit(0)
routes = json.load(open(args.config)).get("routes", [])
served = [0] * len(routes)
lock = threading.Lock()
log = []
# How long a hung request is held before the connection is dropped: far longer than any test.
HANG_SECONDS = 600


def matches(route, method, path, query):
    if route.get("method", method) != method:
        return False
    if "path" in route and route["path"] != path:
        return False
    if "prefix" in route and not path.startswith(route["prefix"]):
        return False
    for name, want in route.get("query", {}).items():
        values = query.get(name, [])
        if want is None:
            if values:
                return False
        elif want not in values:
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self):
        url = urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if url.path == "/_log" and self.command == "GET":
            with lock:
                data = json.dumps(log).encode()
            return self.write(200, {}, data, len(data))
        query = parse_qs(url.query, keep_blank_values=True)
        with lock:
            index = next((i for i, r in enumerate(routes)
                          if matches(r, self.command, url.path, query)), None)
            if index is None:
                response = {"status": 404, "json": {"error": {"code": 404, "message": "no route"}}}
            else:
                script = routes[index]["responses"]
                response = script[min(served[index], len(script) - 1)]
                served[index] += 1
            log.append({"method": self.command, "path": url.path, "query": query, "route": index,
                        "status": response.get("status", 200), "time": time.time(),
                        "authorization": self.headers.get("Authorization", "")})
        if response.get("hang"):
            time.sleep(HANG_SECONDS)
            self.close_connection = True
            return
        if "json" in response:
            data = json.dumps(response["json"]).encode()
            content_type = "application/json; charset=UTF-8"
        else:
            data = response.get("body", "").encode()
            content_type = "text/plain; charset=UTF-8"
        headers = {"Content-Type": content_type}
        headers.update(response.get("headers", {}))
        if "retryAfter" in response:
            headers["Retry-After"] = str(response["retryAfter"])
        if "retryAfterDate" in response:
            headers["Retry-After"] = email.utils.formatdate(
                time.time() + response["retryAfterDate"], usegmt=True)
        status = response.get("status", 200)
        if "truncate" in response:
            self.write(status, headers, data[:response["truncate"]], len(data))
            self.close_connection = True
            return
        if "stallBody" in response:
            self.write(status, headers, data[:response["stallBody"]], len(data))
            time.sleep(HANG_SECONDS)
            self.close_connection = True
            return
        self.write(status, headers, data, len(data))

    def write(self, status, headers, data, length):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
            self.wfile.flush()

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = answer


class Server(ThreadingHTTPServer):
    daemon_threads = True


Server(("127.0.0.1", args.port), Handler).serve_forever()
