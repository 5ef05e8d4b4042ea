"""`openai` mode against a tiny OpenAI-compatible server on 127.0.0.1, through langchain_openai."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.llm.generators import make_generator
from assistant.service import AssistantService
from assistant.settings import Settings

REPLY = "让您久等了,真的很抱歉。我现在就帮您查这笔转账,4小时内给您回电话说明结果,您看可以吗?"


class _Handler(BaseHTTPRequestHandler):
    mode = "ok"
    seen: list[dict] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Handler.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if _Handler.mode == "hang":
            time.sleep(5)
        if _Handler.mode == "500":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b'{"error": "boom"}')
            return
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i in range(0, len(REPLY), 6):
                chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "delta": {"content": REPLY[i:i + 6]}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            return
        data = {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        payload = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Handler.mode, _Handler.seen = "ok", []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _svc(hash_service, url, timeout=10.0):
    s = Settings(home=hash_service.settings.home, embedder="hash", generator="openai", openai_base_url=url,
                 openai_model="qwen-test", openai_api_key="sk-secret-123", llm_timeout_s=timeout)
    svc = AssistantService(s, embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    return svc


def test_openai_mode_streams_through_langchain(hash_service, endpoint):
    svc = _svc(hash_service, endpoint)
    pieces = []
    r = svc.suggest("转账转了一上午还没到账,急死了", on_piece=pieces.append)
    assert r.draft == REPLY and r.draft_source == "llm"
    assert len(pieces) > 3
    req = _Handler.seen[0]
    assert req["path"] == "/v1/chat/completions" and req["body"]["stream"] is True
    assert req["body"]["model"] == "qwen-test" and req["auth"] == "Bearer sk-secret-123"
    assert "sk-secret-123" not in repr(svc.settings) and "sk-secret-123" not in json.dumps(r.as_dict())


def test_hanging_endpoint_times_out_to_template(hash_service, endpoint):
    _Handler.mode = "hang"
    svc = _svc(hash_service, endpoint, timeout=1.0)
    t = time.perf_counter()
    r = svc.suggest("转账没到账")
    assert time.perf_counter() - t < 4
    assert r.draft_source == "template" and r.llm_reason


def test_server_error_falls_back(hash_service, endpoint):
    _Handler.mode = "500"
    r = _svc(hash_service, endpoint).suggest("转账没到账")
    assert r.draft_source == "template" and "generator failed" in r.llm_reason


def test_generator_modes_and_missing_settings():
    assert make_generator(Settings(generator="none")) is None
    assert make_generator(Settings(generator="ollama")).name.startswith("ollama:")
