#!/usr/bin/env node
// A NemoVideo client in Node 18+ (no dependencies), written from the public API description:
// token → session → uploads → one message → state → render → download.
// Task: NEMO_CHECK_PROMPT, NEMO_CHECK_FILES (colon-separated), NEMO_CHECK_OUTPUT.
// Documented waits scale by NEMO_CHECK_TIME_SCALE.
import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";

const API = process.env.NEMO_API_URL;
const PROMPT = process.env.NEMO_CHECK_PROMPT;
const FILES = (process.env.NEMO_CHECK_FILES || "").split(":").filter(Boolean);
const OUTPUT = process.env.NEMO_CHECK_OUTPUT;
const SCALE = Number(process.env.NEMO_CHECK_TIME_SCALE || "1");
const ATTRIBUTION = {
  "X-Skill-Source": "nemo-video-cli",
  "X-Skill-Version": "1.0.0",
  "X-Skill-Platform": "terminal",
};
let clientId = process.env.NEMO_CLIENT_ID || randomUUID();
let token = process.env.NEMO_TOKEN || "";
let sessionId = "";

const log = (...words) => console.error("nemo-client:", ...words);
const sleep = (seconds) => new Promise((done) => setTimeout(done, seconds * SCALE * 1000));

class Refusal extends Error {
  constructor(code, advice) { super(advice); this.code = code; }
}

// One request; resolves to {status, body, headers, error} where error is the envelope's code,
// else the HTTP status when >= 400, else 0 (both documented error styles).
async function request(method, path, { headers = {}, body, auth = true } = {}) {
  const all = { ...ATTRIBUTION, ...headers, ...(auth && token ? { Authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(API + path, { method, headers: all, body });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  const code = json && typeof json.code === "number" ? json.code : 0;
  const error = code || (response.status >= 400 ? response.status : 0);
  return { status: response.status, body: json, text, headers: response.headers, error };
}

async function getToken() {
  const ask = () => request("POST", "/api/auth/anonymous-token", { headers: { "X-Client-Id": clientId }, auth: false });
  let answer = await ask();
  if (answer.error === 400) { clientId = randomUUID(); answer = await ask(); }
  if (answer.error === 429) {
    await sleep(Number(answer.headers.get("retry-after") || 30));
    answer = await ask();
  }
  if (answer.error) throw new Error(`no token: ${answer.error}`);
  token = answer.body.data.token;
}

const ADVICE = {
  2001: (a) => `out of credits: ${a.body?.data?.bind_url || "top up your credits"}`,
  402: () => "export blocked on the free plan: register or upgrade",
  4001: () => "unsupported file type: use mp4 mov avi webm mkv, jpg png gif webp, mp3 wav m4a aac",
  4002: () => "file too large (over 500 MB): compress or trim it",
};

// A call with a token: after 1001 one new token (same client id) and the call once more.
async function api(method, path, options) {
  let answer = await request(method, path, options);
  if (answer.error === 1001) { await getToken(); answer = await request(method, path, options); }
  if (ADVICE[answer.error]) throw new Refusal(answer.error, ADVICE[answer.error](answer));
  return answer;
}

async function newSession() {
  const created = await api("POST", "/api/tasks/me/with-session/nemo_agent", {
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ task_name: "project", language: "en" }),
  });
  sessionId = created.body.data.session_id;
  for (const file of FILES) {
    const form = new FormData();
    form.append("files", new Blob([await readFile(file)]), basename(file));
    const uploaded = await api("POST", `/api/upload-video/nemo_agent/me/${sessionId}`, { body: form });
    if (uploaded.error) throw new Error(`upload failed: ${uploaded.error}`);
  }
}

// Sends the message once; reads the stream until it closes. Returns "spoke", "silent" or "dropped".
async function chat() {
  const message = () => JSON.stringify({
    app_name: "nemo_agent", user_id: "me", session_id: sessionId,
    new_message: { parts: [{ text: PROMPT }] },
  });
  const send = () => fetch(`${API}/run_sse`, {
    method: "POST",
    headers: { ...ATTRIBUTION, Authorization: `Bearer ${token}`, Accept: "text/event-stream", "Content-Type": "application/json" },
    body: message(),
  });
  let response = await send();
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const body = JSON.parse(await response.text());
    if (body.code === 1002) { await newSession(); response = await send(); }
    else if (body.code === 1001) { await getToken(); response = await send(); }
    else if (ADVICE[body.code]) throw new Refusal(body.code, ADVICE[body.code]({ body }));
  }
  let spoke = false;
  try {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk, { stream: true });
      const events = pending.split("\n\n");
      pending = events.pop();
      for (const event of events) {
        const data = event.replace(/^data: ?/, "");
        try { if (JSON.parse(data).type === "text") spoke = true; } catch { /* keep-alive or malformed */ }
      }
    }
  } catch {
    return "dropped";
  }
  return spoke ? "spoke" : "silent";
}

async function readyDraft() {
  const state = await api("GET", `/api/state/nemo_agent/me/${sessionId}/latest`);
  const draft = state.body?.data?.state?.draft;
  return (draft?.t || []).some((track) => (track.sg || []).length > 0) ? draft : null;
}

async function exportVideo(draft) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const id = `render_${Date.now()}_${attempt}`;
    await api("POST", "/api/render/proxy/lambda", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id, sessionId, draft, output: { format: "mp4", quality: "low" } }),
    });
    let job = {};
    for (let poll = 0; poll < 30; poll += 1) {
      await sleep(10);
      job = (await api("GET", `/api/render/proxy/lambda/${id}`)).body;
      const status = job.status || job.data?.status;
      if (status === "completed") {
        const url = job.output?.url || job.data?.outputUrl;
        const video = await fetch(url, { headers: ATTRIBUTION });
        await writeFile(OUTPUT, Buffer.from(await video.arrayBuffer()));
        return true;
      }
      if (status === "failed") break;
    }
    if ((job.status || job.data?.status) !== "failed") {
      await api("POST", `/api/render/proxy/lambda/${id}/cancel`);
      return false;
    }
    log("render failed; one more try with a new id");
  }
  return false;
}

async function main() {
  if (!token) await getToken();
  await newSession();
  const how = await chat();
  let draft = null;
  if (how === "dropped") {  // the work goes on server-side: wait, then poll the state
    await sleep(30);
    for (let poll = 0; poll < 5 && !(draft = await readyDraft()); poll += 1) await sleep(60);
  } else {
    draft = await readyDraft();  // also after a silent close: the state says what changed
  }
  if (!draft) { log("the draft never became ready to export"); return 3; }
  if (!(await exportVideo(draft))) { log("the render did not finish"); return 3; }
  log(`saved ${OUTPUT}`);
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  log(error.message);
  process.exit(error instanceof Refusal ? 2 : 1);
});
