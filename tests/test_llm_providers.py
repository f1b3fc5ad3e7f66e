"""Privacy by default and the OpenAI-compatible provider, over real loopback HTTP with the real `groq` and
`openai` SDKs (tests/fake_groq.py serves both paths)."""

import json

from tests.fake_groq import FakeGroq, Reply, lines_of, oracle

PLANTED = {
    "email": "jane.doe@example.com",
    "ip": "10.20.30.40",
    "token": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "password": "hunter2secret",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "card": "4111 1111 1111 1111",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
}
LINE = (
    f"Lead conversion failed for {PLANTED['email']} from {PLANTED['ip']} token={PLANTED['token']} "
    f"password={PLANTED['password']} Authorization: Bearer {PLANTED['jwt']} key {PLANTED['aws']} "
    f"card {PLANTED['card']} session {PLANTED['uuid']}"
)
FAST = {"llm_backoff_base_s": 0.01, "llm_backoff_max_s": 0.05, "llm_cache_enabled": False}


def openai_settings(fake, **kw):
    return {"llm_provider": "openai", "llm_base_url": fake.openai_base_url, "llm_model": "m", **FAST, **kw}


def wire(fake) -> str:
    return b"".join(fake.raw_bodies).decode()


def test_no_planted_secret_leaves_by_default(make_cascade, fake_groq):
    c = make_cascade(groq_api_key="k", groq_base_url=fake_groq.base_url, **FAST)
    d = c.classify(["LegacyCRM"], [LINE])[0]
    assert (d.label, d.tier) == ("Workflow Error", "llm")
    sent = wire(fake_groq)
    leaked = [name for name, value in PLANTED.items() if value in sent or json.dumps(value)[1:-1] in sent]
    assert leaked == []
    assert "Lead conversion failed" in lines_of(fake_groq.requests[0])[0]  # the event itself still goes


def test_raw_mode_sends_the_line_but_still_scrubs_secrets(make_cascade, fake_groq):
    c = make_cascade(groq_api_key="k", groq_base_url=fake_groq.base_url, llm_send="raw", **FAST)
    c.classify(["LegacyCRM"], [LINE])
    sent = wire(fake_groq)
    for name in ("token", "password", "jwt", "aws", "card"):
        assert PLANTED[name] not in sent, name
    for name in ("email", "ip", "uuid"):  # not secrets: raw mode sends them, as documented
        assert PLANTED[name] in sent, name


def test_openai_compatible_server_without_key_classifies_legacy_rows(make_cascade, fake_groq):
    c = make_cascade(**openai_settings(fake_groq))
    decisions = c.classify(["LegacyCRM"] * 2, ["Invoice generation aborted for order 17", "The SOAP gateway is deprecated"])
    assert [(d.label, d.tier) for d in decisions] == [("Workflow Error", "llm"), ("Deprecation Warning", "llm")]
    assert fake_groq.paths == ["/v1/chat/completions"]
    assert fake_groq.auth_headers == ["Bearer no-key"]  # no key set: only the SDK's required placeholder
    body = fake_groq.requests[0]
    assert body["model"] == "m" and body["response_format"]["type"] == "json_schema"
    assert body["messages"][0]["role"] == "system"
    assert c.llm.status() == {"configured": True, "provider": "openai", "model": "m", "send": "templates"}


def test_a_server_rejecting_response_format_is_still_answered(make_cascade):
    def picky(req):
        if "response_format" in req:
            return Reply(400, {"error": {"message": "'response_format' is not supported by this server"}})
        return oracle(req)

    with FakeGroq(picky) as fake:
        c = make_cascade(**openai_settings(fake, llm_batch_size=1, llm_max_concurrency=1))
        decisions = c.classify(["LegacyCRM"] * 2, ["Invoice generation aborted", "Lead conversion failed"])
    assert [d.label for d in decisions] == ["Workflow Error", "Workflow Error"]
    assert ["response_format" in r for r in fake.requests] == [True, False, False]  # remembered per client
    assert fake.requests[1]["messages"][0] == fake.requests[0]["messages"][0]  # system prompt byte-stable


def test_the_cache_key_differs_by_provider_and_model(make_cascade, fake_groq, tmp_path):
    cache = tmp_path / "shared.sqlite3"
    line = ["Invoice generation aborted for order 3"]
    make_cascade(**openai_settings(fake_groq, llm_cache_enabled=True, llm_cache_path=cache)).classify(["LegacyCRM"], line)
    make_cascade(**openai_settings(fake_groq, llm_cache_enabled=True, llm_cache_path=cache)).classify(["LegacyCRM"], line)
    assert fake_groq.request_count == 1  # same provider and model: answered from the cache
    make_cascade(**openai_settings(fake_groq, llm_model="other", llm_cache_enabled=True, llm_cache_path=cache)).classify(
        ["LegacyCRM"], line
    )
    assert fake_groq.request_count == 2
    groq = {"groq_api_key": "k", "groq_base_url": fake_groq.base_url, "llm_cache_path": cache}
    make_cascade(**groq).classify(["LegacyCRM"], line)
    assert fake_groq.request_count == 3


def test_masker_scrub_applies_only_the_secret_masks(cascade):
    scrubbed = cascade.masker.scrub(LINE)
    assert PLANTED["email"] in scrubbed and PLANTED["uuid"] in scrubbed
    assert PLANTED["token"] not in scrubbed and PLANTED["card"] not in scrubbed and "<SECRET>" in scrubbed
