#!/usr/bin/env bash
# A NemoVideo client in bash (curl + jq), written from the public API description:
# token → session → uploads → one message → state → render → download.
# Task: NEMO_CHECK_PROMPT, NEMO_CHECK_FILES (colon-separated), NEMO_CHECK_OUTPUT, or $1 $2 $3.
# Waits (30 s retry, 10 s polls, 30/60 s after a dropped stream) scale by NEMO_CHECK_TIME_SCALE.
set -uo pipefail
API=${NEMO_API_URL:?set NEMO_API_URL}
PROMPT=${1:-${NEMO_CHECK_PROMPT:?}}
FILES=${2:-${NEMO_CHECK_FILES:-}}
OUT=${3:-${NEMO_CHECK_OUTPUT:?}}
SCALE=${NEMO_CHECK_TIME_SCALE:-1}
CLIENT_ID=${NEMO_CLIENT_ID:-$(cat /proc/sys/kernel/random/uuid)}
ATTRIBUTION=(-H "X-Skill-Source: nemo-video-cli" -H "X-Skill-Version: 1.0.0" -H "X-Skill-Platform: terminal")
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
TOKEN=${NEMO_TOKEN:-}

log() { echo "nemo-client: $*" >&2; }
wait_for() { sleep "$(awk -v s="$1" -v k="$SCALE" 'BEGIN { print s * k }')"; }

# request METHOD PATH [curl args…]: body in $TMP/body, headers in $TMP/headers, the error in
# ERR (the envelope's code, else the HTTP status when ≥ 400; 0 when all is well).
request() {
  local method=$1 path=$2; shift 2
  local auth=(); [[ -n $TOKEN ]] && auth=(-H "Authorization: Bearer $TOKEN")
  STATUS=$(curl -sS -X "$method" "${ATTRIBUTION[@]}" "${auth[@]}" -D "$TMP/headers" \
    -o "$TMP/body" -w '%{http_code}' "$@" "$API$path") || STATUS=000
  ERR=$(jq -r '.code // 0' "$TMP/body" 2>/dev/null || echo 0)
  [[ $ERR == 0 && $STATUS -ge 400 ]] && ERR=$STATUS
  return 0
}

get_token() {  # one anonymous token; on 429 wait Retry-After and try once more
  local saved=$TOKEN; TOKEN=""
  request POST /api/auth/anonymous-token -H "X-Client-Id: $CLIENT_ID"
  if [[ $ERR == 400 ]]; then CLIENT_ID=$(cat /proc/sys/kernel/random/uuid)
    request POST /api/auth/anonymous-token -H "X-Client-Id: $CLIENT_ID"; fi
  if [[ $ERR == 429 ]]; then
    local after; after=$(grep -i '^retry-after:' "$TMP/headers" | tr -dc '0-9'); wait_for "${after:-30}"
    request POST /api/auth/anonymous-token -H "X-Client-Id: $CLIENT_ID"
  fi
  [[ $ERR == 0 ]] || { TOKEN=$saved; log "no token (error $ERR)"; exit 1; }
  TOKEN=$(jq -r .data.token "$TMP/body")
}

api() {  # a call with a token; after 1001: one new token (same client id), the call again
  request "$@"
  if [[ $ERR == 1001 ]]; then get_token; request "$@"; fi
  case $ERR in
    0) ;;
    2001) log "out of credits: $(jq -r '.data.bind_url // "top up your credits"' "$TMP/body")"; exit 2 ;;
    402) log "export blocked on the free plan: register or upgrade"; exit 2 ;;
    4001) log "unsupported file type: use mp4 mov avi webm mkv, jpg png gif webp, mp3 wav m4a aac"; exit 2 ;;
    4002) log "file too large (over 500 MB): compress or trim it"; exit 2 ;;
    *) log "$1 $2 failed with $ERR"; return 1 ;;
  esac
}

new_session() {
  api POST /api/tasks/me/with-session/nemo_agent -H 'Content-Type: application/json' \
    -d '{"task_name":"project","language":"en"}' || exit 1
  SID=$(jq -r .data.session_id "$TMP/body")
  local file; IFS=: read -ra paths <<<"$FILES"
  for file in "${paths[@]}"; do
    api POST "/api/upload-video/nemo_agent/me/$SID" -F "files=@$file" || exit 1
  done
}

export_ready() { api GET "/api/state/nemo_agent/me/$SID/latest" &&
  jq -e '[.data.state.draft.t[]? | select((.sg | length) > 0)] | length > 0' "$TMP/body" >/dev/null; }

[[ -n $TOKEN ]] || get_token
new_session
body=$(jq -n --arg sid "$SID" --arg text "$PROMPT" \
  '{app_name:"nemo_agent",user_id:"me",session_id:$sid,new_message:{parts:[{text:$text}]}}')
request POST /run_sse -H 'Accept: text/event-stream' -H 'Content-Type: application/json' -d "$body" -N
if [[ $ERR == 1002 ]]; then new_session  # session lost: a new one, and the message there
  body=$(jq -c --arg sid "$SID" '.session_id = $sid' <<<"$body")
  request POST /run_sse -H 'Accept: text/event-stream' -H 'Content-Type: application/json' -d "$body" -N
fi
[[ $ERR == 1001 ]] && { get_token; request POST /run_sse -H 'Accept: text/event-stream' \
  -H 'Content-Type: application/json' -d "$body" -N; }
case $ERR in 2001) log "out of credits: $(jq -r '.data.bind_url' "$TMP/body")"; exit 2 ;; esac
if [[ $STATUS == 000 ]]; then  # the stream broke: the work goes on server-side
  wait_for 30; polls=0
  until export_ready; do polls=$((polls + 1)); [[ $polls -ge 5 ]] && { log "nothing came"; exit 3; }; wait_for 60; done
else
  grep -c '"type":"text"' "$TMP/body" >/dev/null || log "a silent close: reading the state"
  export_ready || { log "the draft is not ready to export"; exit 3; }
fi

draft=$(jq -c .data.state.draft "$TMP/body")
for attempt in 1 2; do
  render_id="render_$(date +%s%N)"
  api POST /api/render/proxy/lambda -H 'Content-Type: application/json' -d "$(jq -n \
    --arg id "$render_id" --arg sid "$SID" --argjson draft "$draft" \
    '{id:$id,sessionId:$sid,draft:$draft,output:{format:"mp4",quality:"low"}}')" || exit 1
  for _ in $(seq 30); do
    wait_for 10
    api GET "/api/render/proxy/lambda/$render_id" || exit 1
    status=$(jq -r '.status // .data.status' "$TMP/body")
    [[ $status == completed || $status == failed ]] && break
  done
  if [[ $status == completed ]]; then
    url=$(jq -r '.output.url // .data.outputUrl' "$TMP/body")
    curl -sSf "${ATTRIBUTION[@]}" -o "$OUT" "$url" && { log "saved $OUT"; exit 0; }
    exit 1
  fi
  [[ $status == failed ]] || { api POST "/api/render/proxy/lambda/$render_id/cancel"; log "render stuck"; exit 3; }
  log "render failed: $(jq -r '.data.error // .error' "$TMP/body"); one more try"
done
exit 1
