// At a phone's width (390 px) no page scrolls sideways, in Chinese or in English: what is wider
// than the screen (a table, a chart, a board's lanes) scrolls inside its own box. Found by a
// screenshot audit: the people page's hidden header label, the English top bar, the dashboard's
// open tables. And the dashboard's English names fit in its chart at desktop width.
import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

const PAGES = [
  "/",
  "/inbox",
  "/functions/documents",
  "/functions/documents/board",
  "/functions/documents/board?view=overview",
  "/functions/documents/board?q=zzzz",
  "/calendar",
  "/calendar?view=week",
  "/ledgers",
  "/ledgers/document_flow",
  "/ledgers/funds",
  "/ledgers/document_flow?text=zzzz",
  "/reports",
  "/dashboard",
  "/settings",
];

/** How far the page reaches past the window's right edge, with every `<details>` opened. */
async function overflowOf(page: Page, path: string): Promise<number> {
  await page.goto(`${server.url}${path}`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.locator("main").first().waitFor();
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("no page scrolls sideways at 390 px, in Chinese or English", async ({ page, browser }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/");
  for (const lang of ["zh", "en"]) {
    if (lang === "en") {
      await page.getByRole("button", { name: "English" }).click();
      await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
    }
    const wide: string[] = [];
    for (const path of PAGES) {
      const overflow = await overflowOf(page, path);
      if (overflow > 0) wide.push(`${path} (${lang}): ${overflow} px too wide`);
    }
    expect(wide).toEqual([]);
  }
  await page.goto(`${server.url}/dashboard`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.screenshot({ path: info.outputPath("dashboard-en-390.png"), fullPage: true, animations: "disabled" });

  // The closed navigation casts no shadow at the screen's left edge.
  await expect(page.locator("#sidenav")).toHaveCSS("box-shadow", "none");

  // The people page, an administrator's.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const admin = await context.newPage();
  await signIn(admin, server.url, "admin", ADMIN_PASSWORD, "/settings/people");
  await expect(admin.getByTestId("people-table")).toBeVisible();
  expect(await overflowOf(admin, "/settings/people")).toBeLessThanOrEqual(0);
  await context.close();
});

test("the dashboard's chart has room for every function's English name", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/dashboard");
  await page.getByRole("button", { name: "English" }).click();
  const labels = page.getByTestId("chart-load").locator("text.chart__label");
  await expect(labels).toHaveCount(13);
  await expect(labels.first()).toHaveText("Coordination");
  const lefts = await labels.evaluateAll((texts) => texts.map((t) => (t as SVGTextElement).getBBox().x));
  for (const left of lefts) expect(left).toBeGreaterThanOrEqual(0);
});

test("a board whose filters hide every card says so, and clearing them brings the cards back", async ({ page }) => {
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/functions/documents/board?q=zzzz");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const none = page.getByTestId("board-none-shown");
  await expect(none).toContainText("没有符合筛选条件的卡片");
  await page.getByRole("button", { name: "清除筛选" }).click();
  await expect(none).toHaveCount(0);
  await expect(page.locator("li.board-card").first()).toBeVisible();

  // The overview's 已办结 stage says when nothing was closed this week, rather than an empty box.
  await page.goto(`${server.url}/functions/documents/board?view=overview`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const done = page.locator('[data-stage="done"]');
  const closed = Number(await done.getByTestId("stage-count").textContent());
  await expect(done.getByTestId("closed-hint")).toHaveText(closed === 0 ? "近 7 天没有办结的事项。" : "近 7 天办结的事项。");
});
