#!/usr/bin/env bash
# Runs the gateway from local binaries, without Docker: the mock provider, `aigw serve extproc`,
# `aigw serve ratelimit` (counters in memory; docker-compose uses Redis) and Envoy in front. Uses a
# local `envoy` binary (1.37+) when there is one; otherwise the Envoy stand-in from our test harness
# serves the same envoy/envoy.yaml.
#   ./run-local.sh            then: curl localhost:8080/v1/models
set -euo pipefail
cd "$(dirname "$0")"

LISTEN_PORT=${LISTEN_PORT:-8080}
MOCK_PORT=${MOCK_PORT:-18080}
EXTPROC_PORT=${EXTPROC_PORT:-50051}
ADMIN_PORT=${ADMIN_PORT:-9090}
RATELIMIT_PORT=${RATELIMIT_PORT:-18081}
RATELIMIT_ADMIN_PORT=${RATELIMIT_ADMIN_PORT:-16070}
out=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT INT TERM

echo "building..."
dotnet build -c Release -v q -nologo src/AiGateway.Cli/AiGateway.Cli.csproj -o "$out/aigw" >/dev/null
dotnet build -c Release -v q -nologo src/AiGateway.MockProvider/AiGateway.MockProvider.csproj -o "$out/mock" >/dev/null

MOCK_API_KEYS="/v1=${OPENAI_API_KEY:-sk-mock-openai};/compat/v1=${VLLM_API_KEY:-sk-mock-vllm};/anthropic=${ANTHROPIC_API_KEY:-sk-ant-mock};/gemini=${GEMINI_API_KEY:-mock-gemini-key}" \
  dotnet "$out/mock/AiGateway.MockProvider.dll" --urls "http://127.0.0.1:${MOCK_PORT}" &
pids+=($!)
dotnet "$out/aigw/aigw.dll" serve extproc --config envoy/gateway.yaml \
  --listen "127.0.0.1:${EXTPROC_PORT}" --admin "127.0.0.1:${ADMIN_PORT}" &
pids+=($!)
dotnet "$out/aigw/aigw.dll" serve ratelimit --config envoy/ratelimit \
  --listen "127.0.0.1:${RATELIMIT_PORT}" --admin "127.0.0.1:${RATELIMIT_ADMIN_PORT}" &
pids+=($!)

if command -v envoy >/dev/null 2>&1; then
  # Point the compose service names of envoy.yaml at the local processes.
  sed -e "s/address: extproc, port_value: 50051/address: 127.0.0.1, port_value: ${EXTPROC_PORT}/" \
      -e "s/address: mock-provider, port_value: 8080/address: 127.0.0.1, port_value: ${MOCK_PORT}/" \
      -e "s/address: ratelimit, port_value: 8081/address: 127.0.0.1, port_value: ${RATELIMIT_PORT}/" \
      -e "s/port_value: 8080 }/port_value: ${LISTEN_PORT} }/" \
      envoy/envoy.yaml > "$out/envoy.yaml"
  envoy -c "$out/envoy.yaml" --log-level warn &
  pids+=($!)
else
  echo "no envoy binary on PATH: using the Envoy stand-in from the test harness"
  dotnet build -c Release -v q -nologo tools/AiGateway.EnvoyStandIn/AiGateway.EnvoyStandIn.csproj -o "$out/standin" >/dev/null
  dotnet "$out/standin/AiGateway.EnvoyStandIn.dll" --config envoy/envoy.yaml --port "${LISTEN_PORT}" \
    --override "extproc:50051=127.0.0.1:${EXTPROC_PORT}" --override "mock-provider:8080=127.0.0.1:${MOCK_PORT}" \
    --override "ratelimit:8081=127.0.0.1:${RATELIMIT_PORT}" &
  pids+=($!)
fi

echo "gateway on http://localhost:${LISTEN_PORT} (metrics on :${ADMIN_PORT}/metrics); Ctrl+C stops everything"
wait -n "${pids[@]}"
