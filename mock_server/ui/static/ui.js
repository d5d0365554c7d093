// The Control page's forms call the control API as a script would: JSON in, JSON out.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-api]");
  if (!form) return;
  event.preventDefault();
  const body = {};
  const field = form.dataset.field;
  if (field) {
    const value = new FormData(form).get(field);
    body[field] = "number" in form.dataset ? Number(value) : value;
  }
  await call("POST", form.dataset.api, body);
});

// A file form sends its file as multipart, as `curl -F file=@…` would.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-upload]");
  if (!form) return;
  event.preventDefault();
  await call("POST", form.dataset.upload, new FormData(form));
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-delete], button[data-post]");
  if (!button) return;
  if (button.dataset.delete) await call("DELETE", button.dataset.delete);
  else await call("POST", button.dataset.post);
});

async function call(method, url, body) {
  const result = document.getElementById("result");
  const json = body !== undefined && !(body instanceof FormData);
  const answer = await fetch(url, {
    method,
    headers: json ? { "Content-Type": "application/json" } : {},
    body: json ? JSON.stringify(body) : body,
  });
  const text = await answer.text();
  result.textContent = `${method} ${url} → ${answer.status}\n${text}`;
  result.className = answer.ok ? "ok" : "bad";
  if (answer.ok) setTimeout(() => location.reload(), 600);
}
