"""Two app replicas as real server processes sharing a `chroma run` server and PostgreSQL.

What one replica writes, the other serves: the audit log and users (PostgreSQL), the register,
and the index (Chroma). CI starts PostgreSQL with .ci/postgres.sh and sets ASSISTANT_TEST_PG_URL.
"""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request

import pytest

from assistant.records.audit import open_audit
from assistant.settings import PROJECT_ROOT, Settings
from bench.replicas import Deployment

pytestmark = pytest.mark.slow

def _eventually(check, timeout: float = 15.0):
    """Retry until check() is truthy or the time is up; then its last result (or error) stands."""
    end = time.time() + timeout
    while True:
        try:
            result = check()
        except Exception:  # noqa: BLE001 - a replica may still be switching; the last error is raised
            if time.time() > end:
                raise
            result = None
        if result or time.time() > end:
            return result
        time.sleep(0.5)


def _health(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "healthz", timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture
def deployment(tmp_path, pg_url, add_marker_card):
    knowledge_a = shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge-a")
    dep = Deployment(tmp_path / "deploy", pg_url, replicas=2, refresh_s=1.0,
                     extra_env=[{"ASSISTANT_KNOWLEDGE_DIR": str(knowledge_a)}, {}])
    for name, role in (("amy", "staff"), ("tom", "trainer"), ("root", "admin")):
        dep.cli("user", "add", name, "--role", role, "--branch", "东城", stdin=f"{name}-password\n")
    dep.start()
    dep.add_card = lambda: add_marker_card(knowledge_a)
    yield dep
    dep.stop()


def test_two_replicas_share_audit_users_register_and_index(deployment):
    from gradio_client import Client

    a_url, b_url = deployment.urls

    def login(url: str, name: str) -> Client:
        return Client(url, auth=(name, f"{name}-password"), verbose=False)

    # users added once in PostgreSQL sign in on both replicas
    staff_a, trainer_b = login(a_url, "amy"), login(b_url, "tom")

    # a suggestion logged through A is in B's trainer queue
    *_, audit_id = staff_a.predict("排队一个多小时还说系统升级办不了,我要找媒体曝光", "银行", api_name="/on_suggest")
    assert audit_id
    table, *_ = trainer_b.predict("全部", "全部", 0, "全部", api_name="/on_review")
    # the queue shows who and what, not the id (issue 18): the row is amy's, with her words
    assert any(row[1] == "amy" and "媒体曝光" in " ".join(map(str, row)) for row in table["data"])
    assert open_audit(Settings(db_url=deployment.env["ASSISTANT_DB_URL"])).get(audit_id)["replica"] == "replica-0"

    # a case registered on A is in the register that B shows
    msg = staff_a.predict(audit_id, "王五", "13800000000", False, api_name="/on_register")
    assert "登记" in msg
    cases, *_ = trainer_b.predict(False, "", "", api_name="/on_register_list")
    assert len(cases["data"]) == 1 and cases["data"][0][0]

    # a re-index through A (its knowledge folder has a new card) is served by B without a restart
    deployment.add_card()
    assert "索引已更新" in login(a_url, "root").predict(api_name="/on_reindex")
    found = _eventually(lambda: "共享索引验收卡片" in trainer_b.predict("全部", "紫罗兰色的保险柜钥匙",
                                                                        api_name="/on_browse"))
    assert found

    # Chroma stops: both replicas say so clearly, and /healthz takes them out of the balancer;
    # it returns: both recover, no restart
    assert [_health(u) for u in deployment.urls] == [200, 200]
    deployment.chroma.stop()
    assert [_health(u) for u in deployment.urls] == [503, 503]
    for client in (staff_a, login(b_url, "amy")):
        analysis, *_ = client.predict("卡被吞了怎么办", "银行", api_name="/on_suggest")
        assert "向量库服务不可用" in analysis and "vector store server unavailable" in analysis
    deployment.chroma.start()
    assert [_health(u) for u in deployment.urls] == [200, 200]
    for client in (staff_a, login(b_url, "amy")):
        out = _eventually(lambda c=client: c.predict("卡被吞了怎么办", "银行", api_name="/on_suggest"))
        assert out[2] and out[7], out[0]


def test_behind_nginx_staff_keep_working_when_their_replica_dies(deployment, tmp_path, nginx_available):
    """deploy/nginx.conf.template in front of both replicas: requests stick to one replica; when it
    dies, nginx sends the next sign-in and suggestion to the other, and both land in one audit log."""
    from gradio_client import Client

    from bench.replicas import Nginx

    proxy = Nginx(tmp_path / "nginx", deployment.ports)
    proxy.start()
    try:
        audit = open_audit(Settings(db_url=deployment.env["ASSISTANT_DB_URL"]))
        staff = Client(proxy.url, auth=("amy", "amy-password"), verbose=False)
        *_, first_id = staff.predict("排队一个多小时了,你们到底管不管", "银行", api_name="/on_suggest")
        served = audit.get(first_id)["replica"]
        assert _health(proxy.url) == 200
        index = int(served.rsplit("-", 1)[1])
        deployment.procs[index].terminate()
        deployment.procs[index].wait(timeout=30)
        # the login cookie belonged to the dead replica: staff sign in again, through the same address
        again = _eventually(lambda: Client(proxy.url, auth=("amy", "amy-password"), verbose=False))
        *_, second_id = again.predict("卡被吞了,下午还要交医药费", "银行", api_name="/on_suggest")
        assert second_id and audit.get(second_id)["replica"] != served
        assert _health(proxy.url) == 200
    finally:
        proxy.stop()
