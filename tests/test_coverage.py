"""Coverage of the landscape: every maker whose own platform lists at least five current
models in a price catalog on the edition date is covered (a vendor file, a briefing) or excluded
in data with a reason (vendor_map.yaml `platforms:` with vendor_id null); and a vendor added by a
vendor file alone gets its briefing, with no code change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flows.errors import InputError
from flows.settings import ROOT
from flows.sources.facts import load_facts

from tests.conftest import BUNDLED, rows, run_pipeline

MIN_CURRENT_MODELS = 5  # the threshold: "lists at least five current models"
BUNDLED_SOURCES = ROOT / "data" / "sources"

# Every catalog provider listing five or more current models on 2026-11-29, by catalog.
CURRENT_MODELS = """
    select source, lower(provider_id) as provider, count(distinct model_id) as models
    from marts.prices_current
    where not coalesce(is_retired, false) and not coalesce(is_deprecated, false)
    group by all
    having count(distinct model_id) >= $min
    order by source, provider
"""


@pytest.fixture(scope="module")
def bundled_facts():
    return load_facts(BUNDLED_SOURCES)


@BUNDLED
def test_every_provider_with_five_current_models_is_classified(con_bundled, bundled_facts):
    """A provider listing five or more current models is either a maker's own platform (covered
    or excluded) or a host of other makers' models: none is left unexamined."""
    platforms = {(p.source, p.provider.lower()) for p in bundled_facts.platforms}
    hosts = {(h.source, h.provider.lower()) for h in bundled_facts.hosts}
    listed = rows(con_bundled, CURRENT_MODELS, {"min": MIN_CURRENT_MODELS})
    assert len(listed) > 100  # the catalogs did load
    unexamined = [f"{r['source']} {r['provider']} ({r['models']} current models)" for r in listed
                  if (r["source"], r["provider"]) not in platforms | hosts]
    assert unexamined == [], "add each to vendor_map.yaml platforms (a maker's own) or hosts"


@BUNDLED
def test_every_maker_with_five_current_models_is_covered_or_excluded(con_bundled, bundled_run, bundled_facts):
    """Covered: a vendor file and its briefing. Excluded: vendor_id null and a reason."""
    listed = {(r["source"], r["provider"]): r["models"]
              for r in rows(con_bundled, CURRENT_MODELS, {"min": MIN_CURRENT_MODELS})}
    vendors = {v.vendor.id for v in bundled_facts.vendors}
    covered, excluded = set(), {}
    for p in bundled_facts.platforms:
        if (p.source, p.provider.lower()) not in listed:
            continue
        if p.vendor_id is None:
            assert p.note and len(p.note) > 20, f"{p.source} {p.provider}: an excluded maker needs its reason"
            excluded[f"{p.source}:{p.provider}"] = p.note.split(":")[0]
        else:
            assert p.vendor_id in vendors
            covered.add(p.vendor_id)
    for vendor_id in covered:
        assert (bundled_run["out"] / "latest" / f"{vendor_id}.pdf").stat().st_size > 10_000, vendor_id
    assert sorted(covered) == ["ai21", "alibaba", "amazon", "anthropic", "bytedance", "cohere", "deepseek", "google",
                               "meta", "microsoft", "minimax", "mistral", "moonshotai", "openai", "perplexity",
                               "x-ai", "zhipuai"]
    assert excluded == {
        "genai-prices:arcee": "Arcee AI",
        "genai-prices:cloudflare": "Cloudflare Workers AI",
        "genai-prices:cursor": "Anysphere (Cursor)",
        "genai-prices:voyageai": "Voyage AI (MongoDB)",
        "litellm:black_forest_labs": "Black Forest Labs",
        "litellm:cloudflare": "Cloudflare Workers AI",
        "litellm:deepgram": "Deepgram",
        "litellm:elevenlabs": "ElevenLabs",
        "litellm:gigachat": "Sber (GigaChat, Russia)",
        "litellm:morph": "Morph",
        "litellm:parallel_ai": "Parallel Web Systems",
        "litellm:runwayml": "Runway",
        "litellm:scaledown": "ScaleDown",
        "litellm:snowflake": "Snowflake Cortex",
        "litellm:soniox": "Soniox",
        "litellm:stability": "Stability AI",
        "litellm:tencent": "Tencent Cloud",
        "litellm:voyage": "Voyage AI (MongoDB)",
        "litellm:watsonx": "IBM watsonx",
    }


@BUNDLED
def test_makers_models_map_to_them_wherever_served(con_bundled):
    """vendor_map.yaml's rule order: Sonar on Llama is Perplexity's, Qwen on Ollama and LlamaGate is
    Alibaba's, GLM and DeepSeek resold by Mistral and Alibaba are Zhipu's and DeepSeek's,
    DeepSeek's R1 distills are DeepSeek's, Llama-Nemotron is NVIDIA's (not covered)."""
    got = {(r["provider_id"], r["model_id"]): r["vendor_id"] for r in rows(con_bundled, """
        select provider_id, model_id, vendor_id from marts.catalog_vendor_map
        where (provider_id, model_id) in (
            ('perplexity', 'llama-3.1-sonar-large-128k-online'), ('ollama', 'ollama/qwen3-coder:480b-cloud'),
            ('llamagate', 'llamagate/qwen3-8b'), ('ollama', 'ollama/llama3'), ('ollama', 'ollama/mistral'),
            ('ollama', 'ollama/vicuna'), ('mistral', 'mistral/zai-glm-5'), ('mistral', 'mistral/deepseek-v4-1-flash-1017'),
            ('mistral', 'mistral/mistral-large-latest'), ('qwencloud', 'qwencloud/glm-5.1'),
            ('qwencloud', 'qwencloud/kimi-k2.7-code'), ('qwencloud', 'qwencloud/qwen3.8-max'),
            ('dashscope', 'dashscope/wan2.7-t2v'), ('groq', 'deepseek-r1-distill-llama-70b'),
            ('openrouter', 'llama-3.1-nemotron-70b-instruct'), ('aws', 'amazon.nova-pro-v1:0'),
            ('aws', 'global.anthropic.claude-opus-4-6-v1:0'), ('azure', 'phi-4'), ('azure', 'o3-mini'),
            ('vertex_ai-ai21_models', 'vertex_ai/jamba-1.5-large'), ('volcengine', 'volcengine/doubao-seed-2-1-pro-260915'),
            ('volcengine', 'glm-4-7-251222'), ('tencent', 'tencent/seedream-image-v5.0-pro'))""")}
    assert got == {
        ("perplexity", "llama-3.1-sonar-large-128k-online"): "perplexity",
        ("ollama", "ollama/qwen3-coder:480b-cloud"): "alibaba",
        ("llamagate", "llamagate/qwen3-8b"): "alibaba",
        ("ollama", "ollama/llama3"): "meta",
        ("ollama", "ollama/mistral"): "mistral",
        ("ollama", "ollama/vicuna"): None,
        ("mistral", "mistral/zai-glm-5"): "zhipuai",
        ("mistral", "mistral/deepseek-v4-1-flash-1017"): "deepseek",
        ("mistral", "mistral/mistral-large-latest"): "mistral",
        ("qwencloud", "qwencloud/glm-5.1"): "zhipuai",
        ("qwencloud", "qwencloud/kimi-k2.7-code"): "moonshotai",
        ("qwencloud", "qwencloud/qwen3.8-max"): "alibaba",
        ("dashscope", "dashscope/wan2.7-t2v"): "alibaba",
        ("groq", "deepseek-r1-distill-llama-70b"): "deepseek",
        ("openrouter", "llama-3.1-nemotron-70b-instruct"): None,
        ("aws", "amazon.nova-pro-v1:0"): "amazon",
        ("aws", "global.anthropic.claude-opus-4-6-v1:0"): "anthropic",
        ("azure", "phi-4"): "microsoft",
        ("vertex_ai-ai21_models", "vertex_ai/jamba-1.5-large"): "ai21",
        ("volcengine", "volcengine/doubao-seed-2-1-pro-260915"): "bytedance",
        ("volcengine", "glm-4-7-251222"): "zhipuai",
        ("tencent", "tencent/seedream-image-v5.0-pro"): "bytedance",
    }  # azure o3-mini: no rule (no catch-all for a multi-maker marketplace), so no row


# --- hosts: the loader's rules, on the fixture sources --------------------------------------

def _add_to_vendor_map(sources: Path, text: str) -> None:
    path = sources / "vendor_map.yaml"
    path.write_text(path.read_text() + text)


def test_hosts_load_with_their_notes(sources_copy):
    _add_to_vendor_map(sources_copy, "hosts:\n  - {source: litellm, provider: together_ai, note: gateway}\n"
                                     "  - {source: genai-prices, provider: openrouter}\n")
    hosts = load_facts(sources_copy).hosts
    assert [(h.source, h.provider, h.note) for h in hosts] == [("litellm", "together_ai", "gateway"),
                                                               ("genai-prices", "openrouter", None)]


@pytest.mark.parametrize(("text", "message"), [
    ("hosts:\n  - {source: litellm, provider: together_ai}\n  - {source: litellm, provider: Together_AI}\n",
     "vendor_map.yaml: record hosts[1]: field 'provider': litellm provider 'Together_AI' is already listed (hosts[0])"),
    ("platforms:\n  - {source: litellm, provider: mistral, vendor_id: mistral}\n"
     "hosts:\n  - {source: litellm, provider: mistral}\n",
     "vendor_map.yaml: record hosts[0]: field 'provider': litellm provider 'mistral' is also a maker's own platform "
     "(platforms[0]): it is one or the other"),
    ("hosts:\n  - {source: litellm, provider: together_ai, vendor_id: mistral}\n",
     "vendor_map.yaml: record hosts[0]: field 'vendor_id'"),
    ("hosts: together_ai\n", "vendor_map.yaml: field 'hosts': expected a list of hosts, got str"),
])
def test_odd_hosts_are_refused(sources_copy, text, message):
    _add_to_vendor_map(sources_copy, text)
    with pytest.raises(InputError) as exc:
        load_facts(sources_copy)
    assert message in str(exc.value)


# --- drop-in: a vendor from its file alone -------------------------------------------------

DROP_IN = """\
vendor:
  id: minimax
  name: MiniMax
  hq_country: CN
  jurisdiction: China
  is_eu: false
  founded_on: 2021-12-01
  date_precision: month
  open_weights_stance: core
  positioning: "Fixture vendor added by its file alone."
  source: https://example.org/minimax
  as_of: 2025-06-16
models:
  - id: minimax-m1
    name: MiniMax-M1
    family: MiniMax-M1
    class: flagship
    released_on: 2025-06-16
    architecture: moe
    total_params_b: 456
    active_params_b: 45.9
    open_weights: true
    licence: Apache-2.0
    catalog_refs:
      - {source: genai-prices, provider_id: minimax, model_id: minimax-m1}
    source: https://example.org/minimax
    as_of: 2025-06-16
"""


@pytest.mark.slow
def test_a_vendor_added_by_its_file_alone_gets_its_briefing(tmp_path):
    """The fixture sources plus one vendor file, nothing else: the run publishes the vendor's
    briefing with its flagship priced from the catalog, and the landscape lists it."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "tests" / "data" / "sources", sources)
    (sources / "vendors" / "minimax.yaml").write_text(DROP_IN)
    summary = run_pipeline(tmp_path, sources=sources, formats=("pdf", "html"))
    assert summary["status"] == "success"
    latest = tmp_path / "out" / "latest"
    assert sorted(p.name for p in latest.glob("*.pdf")) == ["landscape.pdf", "minimax.pdf", "mistral.pdf", "openai.pdf"]
    assert (latest / "minimax.pdf").stat().st_size > 10_000
    html = re.sub(r"<[^>]+>", "", (latest / "minimax.html").read_text())
    assert "MiniMax-M1" in html
    assert "$0.40 / $2.20" in html  # genai-prices minimax/minimax-m1 on 2026-11-29, USD per million tokens
    landscape = re.sub(r"<[^>]+>", "", (latest / "landscape.html").read_text())
    assert "MiniMax" in landscape and "3 vendors side by side" in landscape


@BUNDLED
def test_two_platforms_listing_one_id_go_by_the_vendor_maps_order(con_bundled):
    """genai-prices lists GLM models under Z.ai (USD list) and BigModel (CNY, converted); both are
    Zhipu's own platforms. The first in vendor_map.yaml `platforms:` (Z.ai) gives the genai-prices
    price, whatever the order DuckDB meets the rows in; LiteLLM's zai entry then agrees with it."""
    lineup = rows(con_bundled, """select price_source, price_provider_id, input_usd_per_mtok, output_usd_per_mtok,
                                         genai_input_usd_per_mtok, genai_output_usd_per_mtok, input_relative_difference
                                  from catalog_lineup where vendor_id = 'zhipuai' and model_id = 'GLM-4.7'""")
    assert lineup == [{"price_source": "genai-prices", "price_provider_id": "zai", "input_usd_per_mtok": 0.6,
                       "output_usd_per_mtok": 2.2, "genai_input_usd_per_mtok": 0.6, "genai_output_usd_per_mtok": 2.2,
                       "input_relative_difference": 0.0}]


@BUNDLED
def test_a_quality_warning_lists_each_failing_row_once_in_a_vendors_briefing(con_bundled):
    """A failing row that names both the vendor and one of its models (DeepSeek's disputed prices)
    is one row of the vendor's sample, not one per id it names."""
    import json
    from collections import Counter

    warnings = rows(con_bundled, "select vendor_id, suite, vendor_sample, unexpected_sample from report.vendor_quality_warnings")
    assert any(w["vendor_id"] == "deepseek" and w["suite"] == "lineup_prices" for w in warnings)
    for w in warnings:
        mine = Counter(json.dumps(r, sort_keys=True) for r in json.loads(w["vendor_sample"]))
        sample = Counter(json.dumps(r, sort_keys=True) for r in json.loads(w["unexpected_sample"]))
        assert mine and all(mine[r] <= sample[r] for r in mine), w
