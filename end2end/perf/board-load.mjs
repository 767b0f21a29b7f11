// A quick A/B of server builds on the board (docs/PERFORMANCE.md, the allocator comparison):
// against a running server, raises CARDS incoming documents, then CLIENTS clients ask for the
// documents board page, then for its data (`boards/get`), SECONDS each; then 112 sign-ins,
// 16 at a time. Prints a line per part. Run by scripts/measure-board-load.sh.
const base = process.env.BASE;
const CARDS = Number(process.env.CARDS || 1000);
const CLIENTS = Number(process.env.CLIENTS || 16);
const SECONDS = Number(process.env.SECONDS_EACH || 10);

async function session(login) {
  const r = await fetch(`${base}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login, password: "officeflow-demo" }) });
  if (r.status !== 200) throw new Error(`sign-in answered ${r.status}`);
  return (r.headers.get("set-cookie") || "").split(";")[0];
}

const clerk = await session("document_clerk");
const received = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 16);
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < CARDS) {
    const n = next++;
    const r = await fetch(`${base}/api/cases/raise`, { method: "POST", headers: { "content-type": "application/json", cookie: clerk }, body: JSON.stringify({ process: "incoming_document", title: `测速来文 ${n}`, department: "财务部", form: { received_at: received, issuer: "市政府办公厅", title: `通知 ${n}` } }) });
    if (r.status !== 200) throw new Error(await r.text());
  }
}));

const director = await session("director");
const kinds = {
  page: () => fetch(`${base}/functions/documents/board`, { headers: { cookie: director } }),
  api: () => fetch(`${base}/api/boards/get`, { method: "POST", headers: { "content-type": "application/json", cookie: director }, body: JSON.stringify({ function: "documents" }) }),
};
for (const [kind, request] of Object.entries(kinds)) {
  const end = Date.now() + SECONDS * 1000;
  const t = [];
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < end) {
      const s = performance.now();
      const r = await request();
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${kind} answered ${r.status}`);
      t.push(performance.now() - s);
    }
  }));
  t.sort((a, b) => a - b);
  console.log(`${kind}: ${t.length} in ${SECONDS} s, median ${t[t.length >> 1].toFixed(1)} ms, p99 ${t[Math.floor(t.length * 0.99)].toFixed(1)} ms`);
}

let signIns = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  while (signIns < 112) { signIns++; await session("director"); }
}));
console.log(`sign-ins: ${signIns} done`);
