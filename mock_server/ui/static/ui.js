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

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-delete]");
  if (!button) return;
  await call("DELETE", button.dataset.delete);
});

async function call(method, url, body) {
  const result = document.getElementById("result");
  const answer = await fetch(url, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  result.textContent = `${method} ${url} → ${answer.status}\n${text}`;
  result.className = answer.ok ? "ok" : "bad";
  if (answer.ok) setTimeout(() => location.reload(), 600);
}
