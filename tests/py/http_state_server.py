"""A minimal implementation of Terraform's http backend protocol on loopback, for tests.

GET returns the stored document (404 when none), POST stores it, LOCK / UNLOCK take and release
the lock. With --user/--password every request must carry that basic auth; with --header
NAME=VALUE every request must carry that header. Usage: http_state_server.py PORT [options]
"""
import argparse
import base64
import email.utils
import time
import http.server
import json

STATES = {}
MODIFIED = {}
LOCKS = {}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--preload", action="append", default=[], help="PATH=FILE: serve FILE at PATH")
    a = p.parse_args()
    for item in a.preload:
        path, file = item.split("=", 1)
        with open(file, "rb") as f:
            STATES[path] = f.read()
        MODIFIED[path] = time.time()
    required = [h.split("=", 1) for h in a.header]

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def authorised(self):
            if a.user is not None:
                want = "Basic " + base64.b64encode(f"{a.user}:{a.password}".encode()).decode()
                if self.headers.get("Authorization") != want:
                    self.send_response(401)
                    self.end_headers()
                    return False
            for name, value in required:
                if self.headers.get(name) != value:
                    self.send_response(403)
                    self.end_headers()
                    return False
            return True

        def path_only(self):
            return self.path.split("?", 1)[0]

        def body(self):
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def do_GET(self):
            if not self.authorised():
                return
            data = STATES.get(self.path_only())
            if data is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Last-Modified", email.utils.formatdate(MODIFIED[self.path_only()], usegmt=True))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            if not self.authorised():
                return
            STATES[self.path_only()] = self.body()
            MODIFIED[self.path_only()] = time.time()
            self.send_response(200)
            self.end_headers()

        def do_DELETE(self):
            if not self.authorised():
                return
            STATES.pop(self.path_only(), None)
            self.send_response(200)
            self.end_headers()

        def do_LOCK(self):
            if not self.authorised():
                return
            body = self.body()
            if self.path_only() in LOCKS:
                self.send_response(423)
                self.end_headers()
                self.wfile.write(LOCKS[self.path_only()])
                return
            LOCKS[self.path_only()] = body
            self.send_response(200)
            self.end_headers()

        def do_UNLOCK(self):
            if not self.authorised():
                return
            LOCKS.pop(self.path_only(), None)
            self.send_response(200)
            self.end_headers()

    http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
