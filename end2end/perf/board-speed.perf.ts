// Board speed with 1,000 open cards (issue 6): the server-side render of the board page with
// 16 concurrent clients, how soon the board is interactive in headless Chromium after
// navigation, and a drag-and-drop round trip (drop to confirmed). Prints the figures
// docs/PERFORMANCE.md quotes. Run with scripts/measure-board.sh (after a release build).
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { DEMO_PASSWORD, OfficeFlowServer } from "../support/server";

const CARDS = Number(process.env.BOARD_CARDS || 1000);
const CLIENTS = Number(process.env.BOARD_CLIENTS || 16);
const REQUESTS = Number(process.env.BOARD_REQUESTS || 400);
const LOADS = Number(process.env.BOARD_LOADS || 7);
const DROPS = Number(process.env.BOARD_DROPS || 15);
const BOARD = "/functions/documents/board";
const WRK_SECONDS = Number(process.env.BOARD_WRK_SECONDS || 10);

// The scheduler runs once a minute, as in production, so that it does not sweep the 1,000
// cases every second during the measurement.
const server = new OfficeFlowServer(process.env.E2E_DATABASE_URL || "", { OFFICEFLOW_SCHEDULER_EVERY: "60" });

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

function summary(name: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1);
  return `| ${name} | ${s.length} | ${f(quantile(s, 0.5))} | ${f(quantile(s, 0.95))} | ${f(quantile(s, 0.99))} | ${f(s[s.length - 1])} |`;
}

async function session(login: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get("set-cookie") || "";
  return cookie.split(";")[0];
}

/** Raises `count` incoming documents received now (not overdue), 8 at a time. */
async function raise(cookie: string, count: number): Promise<void> {
  const now = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 16);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const response = await fetch(`${server.url}/api/cases/raise`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({
          process: "incoming_document",
          title: `测速来文 ${n + 1}`,
          department: ["财务部", "市场部", "研发中心", "客户服务部"][n % 4],
          form: { received_at: now, issuer: "市政府办公厅", title: `通知 ${n + 1}` },
        }),
      });
      if (response.status !== 200) throw new Error(`raise answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

test("a board of 1,000 open cards: server render, interactive, drop to confirmed", async ({ page, context }) => {
  const clerk = await session("document_clerk");
  await raise(clerk, CARDS);
  const director = await session("director");

  // The board's data as the page's first request brings it: every open card.
  const boardData = () =>
    fetch(`${server.url}/api/boards/get`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: director },
      body: JSON.stringify({ function: "documents" }),
    });
  const data = await (await boardData()).json();
  const shown = data.lanes.flatMap((l: { columns: { cards: unknown[] }[] }) => l.columns).reduce((n: number, c: { cards: unknown[] }) => n + c.cards.length, 0);
  expect(shown).toBeGreaterThanOrEqual(CARDS);
  // The page draws each column's first cards; the rest come as a column is scrolled.
  const html = await (await fetch(`${server.url}${BOARD}`, { headers: { cookie: director } })).text();
  const drawn = (html.match(/class="board-card /g) || []).length;
  console.log(`${shown} open cards, ${drawn} drawn by the server, page ${(html.length / 1024).toFixed(0)} KiB`);

  /** `REQUESTS` requests, `CLIENTS` at a time: each one's time to the last byte. */
  const timed = async (request: () => Promise<Response>): Promise<number[]> => {
    const samples: number[] = [];
    let left = REQUESTS;
    const client = async () => {
      while (left-- > 0) {
        const start = performance.now();
        const response = await request();
        await response.arrayBuffer();
        samples.push(performance.now() - start);
        expect(response.status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    return samples;
  };
  // Server-side render of the whole board page, and the board's data alone (the part of the
  // render that is not the page), CLIENTS at a time.
  const ssr = await timed(() => fetch(`${server.url}${BOARD}`, { headers: { cookie: director } }));
  console.log(`server render: ${ssr.length} requests done`);
  const api = await timed(boardData);
  console.log(`board data: ${api.length} requests done`);
  // The same render timed by wrk, when installed (scripts/install-tools.sh test): Node's
  // fetch costs the machine about 2 ms of CPU per page, more than half of what the server
  // spends on it, and shares its two cores; wrk costs microseconds.
  let wrkRow = "";
  try {
    const out = execFileSync("wrk", ["-t2", `-c${CLIENTS}`, `-d${WRK_SECONDS}s`, "--latency", "-H", `Cookie: ${director}`,
      "-H", "Accept-Encoding: gzip", `${server.url}${BOARD}`], { encoding: "utf8" });
    const ms = (v: string) => (v.endsWith("us") ? parseFloat(v) / 1000 : v.endsWith("ms") ? parseFloat(v) : parseFloat(v) * 1000);
    const at = (label: string) => ms(out.match(new RegExp(`^\\s*${label}\\s+(\\S+)`, "m"))?.[1] ?? "NaN");
    const n = out.match(/(\d+) requests in/)?.[1] ?? "?";
    const max = ms(out.match(/Latency\s+\S+\s+\S+\s+(\S+)/)?.[1] ?? "NaN");
    expect(out).not.toMatch(/Non-2xx|Socket errors/);
    wrkRow = `| server render, ${CLIENTS} clients (wrk, ${WRK_SECONDS} s) | ${n} | ${at("50%").toFixed(1)} | — | ${at("99%").toFixed(1)} | ${max.toFixed(1)} |`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    console.log("wrk is not installed: the render is timed with Node's fetch only");
  }

  // Interactive: navigation start to the hydrated board (every card's handlers attached).
  await context.addCookies([{ name: director.split("=")[0], value: director.split("=").slice(1).join("="), url: server.url }]);
  const interactive: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`${server.url}${BOARD}`, { waitUntil: "commit" });
    await page.locator("html[data-hydrated=true]").waitFor({ state: "attached", timeout: 60_000 });
    interactive.push(await page.evaluate(() => performance.now()));
  }
  console.log(`interactive: ${interactive.length} loads done`);

  // Drop to confirmed: the clerk drags the first card of 签收、编号 to the next column; the
  // time runs in the page from the pointerup to the card standing confirmed (not busy) there.
  const clerkContext = await page.context().browser()!.newContext({ viewport: { width: 1440, height: 900 } });
  await clerkContext.addCookies([{ name: clerk.split("=")[0], value: clerk.split("=").slice(1).join("="), url: server.url }]);
  const clerkPage = await clerkContext.newPage();
  const errors: string[] = [];
  clerkPage.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  clerkPage.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  // Only the cards raised here (the demo office's own may be refused a move).
  await clerkPage.goto(`${server.url}${BOARD}?process=incoming_document&q=${encodeURIComponent("测速来文")}`);
  await clerkPage.locator("html[data-hydrated=true]").waitFor({ state: "attached", timeout: 60_000 });
  const lane = clerkPage.locator('details.lane[data-process="incoming_document"]');
  const drops: number[] = [];
  for (let i = 0; i < DROPS; i++) {
    // The last drop's card took the focus and may have scrolled the page down to where it
    // landed: back to the top, where the first card and the column headers are.
    await clerkPage.evaluate(() => window.scrollTo(0, 0));
    const card = lane.locator('.column[data-drop="sign_and_number"] .board-card').first();
    const id = await card.getAttribute("data-case");
    const from = await card.locator(".board-card__title").boundingBox();
    const to = await lane.locator('.column[data-drop="submit_for_instructions"] .column__header').boundingBox();
    if (!from || !to) throw new Error("not on screen");
    await clerkPage.evaluate((id) => {
      const w = window as unknown as { __drop?: number; __confirmed?: Promise<number> };
      w.__confirmed = new Promise((resolve) => {
        document.addEventListener("pointerup", () => (w.__drop = performance.now()), { capture: true, once: true });
        const check = () => {
          const moved = document.querySelector(`.column[data-drop="submit_for_instructions"] .board-card[data-case="${id}"][aria-busy="false"]`);
          if (moved && w.__drop !== undefined) {
            observer.disconnect();
            resolve(performance.now() - w.__drop);
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-busy"] });
      });
    }, id);
    const x = from.x + from.width / 2;
    const y = from.y + from.height / 2;
    await clerkPage.mouse.move(x, y);
    await clerkPage.mouse.down();
    await clerkPage.mouse.move(x + 8, y + 4, { steps: 2 });
    await clerkPage.mouse.move(to.x + to.width / 2, to.y + to.height / 2 + 40, { steps: 8 });
    await clerkPage.mouse.up();
    const confirmed = clerkPage.evaluate(() => (window as unknown as { __confirmed: Promise<number> }).__confirmed);
    const stuck = new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000));
    const took = await Promise.race([confirmed, stuck]);
    if (took === null) {
      // Say where the card is and why, rather than wait for the test's timeout.
      await clerkPage.screenshot({ path: "test-results/drop-stuck.png" });
      const where = await clerkPage.evaluate(([id, x, y]) => {
        const card = document.querySelector(`.board-card[data-case="${id}"]`);
        const under = document.elementsFromPoint(Number(x), Number(y)).slice(0, 4).map((e) => `${e.tagName}.${e.className}[${e.closest("[data-case]")?.getAttribute("data-case")}]`);
        return (card ? `${card.closest(".column")?.getAttribute("data-drop")} busy=${card.getAttribute("aria-busy")} ${card.textContent}` : "not drawn") + ` under the pointer (${x}, ${y}; window ${innerWidth}x${innerHeight} at ${scrollX},${scrollY}): ${under.join(" > ")}`;
      }, [id, x, y]);
      throw new Error(`drop ${i + 1} of case ${id} not confirmed within 15 s: ${where}\n${errors.join("\n")}`);
    }
    drops.push(took);
    // The moved card takes the keyboard focus once drawn where it landed (scrolling to it).
    await clerkPage.waitForFunction((id) => document.activeElement?.getAttribute("data-case") === id, id);
    console.log(`drop ${i + 1}: ${drops[drops.length - 1].toFixed(1)} ms`);
  }
  await clerkContext.close();

  console.log(`\nBoard of ${shown} open cards (${CARDS} raised + the demo office's), ${server.databaseUrl ? "PostgreSQL" : "SQLite"}`);
  console.log("| measure | samples | median ms | p95 ms | p99 ms | max ms |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  console.log(summary(`server render, ${CLIENTS} clients (Node fetch)`, ssr));
  if (wrkRow) console.log(wrkRow);
  console.log(summary(`board data alone (API), ${CLIENTS} clients`, api));
  console.log(summary("interactive after navigation", interactive));
  console.log(summary("drop to confirmed", drops));
});
