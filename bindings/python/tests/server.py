"""Starts the real microauthd (node dist/src/main.js) on loopback ephemeral ports for the tests."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MAIN = ROOT / "dist" / "src" / "main.js"
ADMIN_USER = "pyadmin"
ADMIN_PASSWORD = "python-admin-password"


class LiveServer:
    def __init__(self, *extra_args: str) -> None:
        if not MAIN.exists():
            raise RuntimeError(f"build the server first (npm run build): {MAIN} is missing")
        self.dir = tempfile.mkdtemp(prefix="microauthd-py-")
        args = ["node", str(MAIN), "--db-file", os.path.join(self.dir, "mad.db3"), "--auth-port", "0", "--admin-port", "0",
                "--no-prompt", "--log-level", "warn", "--admin-username", ADMIN_USER, "--admin-password", ADMIN_PASSWORD,
                "--argon2id-time", "1", "--argon2id-memory", "1024", "--argon2id-parallelism", "1",
                "--auth-domain", "127.0.0.1", "--auth-domain-no-ssl", "--rate-limit-auth", "0", "--rate-limit-admin", "0", *extra_args]
        self.proc = subprocess.Popen(args, cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = ""
        ready = threading.Event()

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output += line
                if "microauthd ready" in line:
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.time() + 30
        while not ready.wait(0.1):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"server did not start:\n{self.output}")
        m = re.search(r"microauthd ready: auth (\S+)\s+admin (\S+)", self.output)
        assert m
        self.auth_url, self.admin_url = m.group(1), m.group(2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
