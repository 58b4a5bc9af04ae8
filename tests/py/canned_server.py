"""Answers every request on loopback with the same status, headers and body: a stand-in for a
cloud endpoint that denies access, rejects credentials, or fails. Each request's method and path
are appended to --log when given.

Usage: canned_server.py PORT STATUS BODY [--header NAME=VALUE ...] [--log FILE]
"""
import argparse
import http.server


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("status", type=int)
    p.add_argument("body")
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--log")
    a = p.parse_args()
    body = a.body.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self):
            if a.log:
                with open(a.log, "a") as f:
                    f.write(f"{self.command} {self.path}\n")
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            self.send_response(a.status)
            for h in a.header:
                k, v = h.split("=", 1)
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = answer

    http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
