// A quick A/B of server builds on the board (docs/PERFORMANCE.md, the allocator comparison):
// against a running server, raises CARDS incoming documents, then CLIENTS clients ask for the
// documents board page, for its data (`boards/get`), for the ledgers index (the catalog's
// ledgers, no board) and for the home page (the shell alone), SECONDS each; then 112 sign-ins,
// 16 at a time. PARTS chooses among page, api, ledgers, home and signins (all by default). Prints a line per part: requests, median
// and p99 time to the last byte, and, when SERVER_PID names the server's process, the
// server's CPU time per request next to this client's (both share the machine's cores).
// Run by scripts/measure-board-load.sh.
import { readFileSync } from "node:fs";

const base = process.env.BASE;
const CARDS = Number(process.env.CARDS || 1000);
const CLIENTS = Number(process.env.CLIENTS || 16);
const SECONDS = Number(process.env.SECONDS_EACH || 10);
const PARTS = (process.env.PARTS || "page,api,ledgers,home,signins").split(",");
const SERVER_PID = process.env.SERVER_PID;

/** The server's user and system CPU time so far, in ms (Linux clock ticks of 10 ms). */
function serverCpuMs() {
  if (!SERVER_PID) return NaN;
  const fields = readFileSync(`/proc/${SERVER_PID}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function clientCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

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
  ledgers: () => fetch(`${base}/ledgers`, { headers: { cookie: director } }),
  home: () => fetch(`${base}/`, { headers: { cookie: director } }),
};
for (const [kind, request] of Object.entries(kinds)) {
  if (!PARTS.includes(kind)) continue;
  const server0 = serverCpuMs();
  const client0 = clientCpuMs();
  const end = Date.now() + SECONDS * 1000;
  const t = [];
  const errors = [];
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < end) {
      const s = performance.now();
      try {
        const r = await request();
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`answered ${r.status}`);
        t.push(performance.now() - s);
      } catch (e) {
        errors.push(e.cause?.message || e.message);
      }
    }
  }));
  const cpu = SERVER_PID
    ? `, CPU per request: server ${((serverCpuMs() - server0) / t.length).toFixed(2)} ms, client ${((clientCpuMs() - client0) / t.length).toFixed(2)} ms`
    : "";
  t.sort((a, b) => a - b);
  const failed = errors.length ? `; ${errors.length} failed (${[...new Set(errors)].join("; ")})` : "";
  console.log(`${kind}: ${t.length} in ${SECONDS} s, median ${t[t.length >> 1].toFixed(1)} ms, p99 ${t[Math.floor(t.length * 0.99)].toFixed(1)} ms${cpu}${failed}`);
}

let signIns = 0;
if (PARTS.includes("signins")) await Promise.all(Array.from({ length: 16 }, async () => {
  while (signIns < 112) { signIns++; await session("director"); }
}));
if (PARTS.includes("signins")) console.log(`sign-ins: ${signIns} done`);
