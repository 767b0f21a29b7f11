// The dashboard (运行分析): the director sees the office's work under way, how the steps fared
// over the last 30 days, the steps that run late and the weekly trend, as SVG charts with the
// numbers as tables; one function narrows it; a clerk sees only their functions; an employee
// serving no function is refused.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

const number = async (locator: import("@playwright/test").Locator) =>
  Number((await locator.textContent())!.trim());

test("the director's dashboard draws its charts and tables from the demo office", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("运行分析");
  await expect(page.locator('#sidenav a[href="/dashboard"]')).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("dashboard-scope")).toContainText("全办公室");

  // The tiles: the demo office has steps under way, some overdue and some due soon.
  const open = await number(page.getByTestId("tile-open"));
  const overdue = await number(page.getByTestId("tile-overdue"));
  expect(open).toBeGreaterThan(20);
  expect(overdue).toBeGreaterThan(0);
  expect(await number(page.getByTestId("tile-due-soon"))).toBeGreaterThan(0);
  await expect(page.getByTestId("tile-rate")).toHaveText(/^\d+\.\d%$/);

  // The load chart: a bar group per function, the 13 of the standard; its table agrees.
  const load = page.getByTestId("chart-load");
  await expect(load).toBeVisible();
  await expect(load.locator("g[data-function]")).toHaveCount(13);
  await expect(load.locator("rect.chart__danger").first()).toBeVisible();
  await page.getByTestId("table-load").locator("xpath=..").locator("summary").click();
  const loadRows = page.getByTestId("table-load").locator("tbody tr");
  await expect(loadRows).toHaveCount(13);
  const overdueSum = (
    await loadRows.evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll("td")[2].textContent)))
  ).reduce((a, b) => a + b, 0);
  expect(overdueSum).toBe(overdue);

  // The trend: twelve weeks, completed steps drawn as columns, the on-time rate as a line.
  const trend = page.getByTestId("chart-trend");
  await expect(trend.locator("g[data-week]")).toHaveCount(12);
  expect(await trend.locator("g[data-week] rect").count()).toBeGreaterThan(0);
  // The line breaks over weeks without a completion (the demo's claims are last month's).
  await expect(trend.locator("polyline.chart__rate").first()).toHaveAttribute("points", /\d/);

  // The late steps, drawn against their limit, and every completed step in the table.
  const late = page.getByTestId("chart-late");
  await expect(late).toBeVisible();
  expect(await late.locator("g[data-step]").count()).toBeGreaterThan(0);
  await expect(late.locator("line.chart__limit")).toHaveCount(1);
  const steps = page.getByTestId("table-steps").locator("tbody tr");
  expect(await steps.count()).toBeGreaterThan(10);
  await expect(page.getByTestId("table-steps").locator(".dashboard__late").first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("dashboard-1440.png"), fullPage: true });

  // One function: the address keeps it, and only its steps are counted.
  await page.getByTestId("dashboard-function").selectOption("documents");
  await expect(page).toHaveURL(/function=documents/);
  await expect(page.getByTestId("dashboard-scope")).toContainText("文书与公文处理");
  await expect(page.getByTestId("chart-load").locator("g[data-function]")).toHaveCount(1);
  // The steps table accounts for every completion the tiles count.
  const note = (await page.locator(".stat-tile__note").textContent())!;
  const done = Number(note.match(/期间办结 (\d+) 个步骤/)![1]);
  expect(done).toBeGreaterThan(0);
  const completed = await page
    .getByTestId("table-steps")
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll("td")[2].textContent)));
  expect(completed.reduce((a, b) => a + b, 0)).toBe(done);

  // A start more than two years before the end is said under the filters, which stay; the
  // end then brings the period within reach, and a period with nothing completed says so.
  await page.getByTestId("dashboard-from").fill("2001-01-01");
  await page.getByTestId("dashboard-from").dispatchEvent("change");
  await expect(page.getByTestId("dashboard-period-error")).toHaveText("一次最多查看两年(731 天)。");
  await page.getByTestId("dashboard-to").fill("2001-01-31");
  await page.getByTestId("dashboard-to").dispatchEvent("change");
  await expect(page).toHaveURL(/from=2001-01-01&to=2001-01-31/);
  await expect(page.getByTestId("dashboard-steps-empty")).toHaveText("期间内没有办结的步骤。");
  await expect(page.getByTestId("dashboard-period-error")).toBeEmpty();
  await expect(page.getByTestId("tile-rate")).toHaveText("—");
  await expect(page.getByTestId("chart-trend").locator("g[data-week]")).toHaveCount(12);
});

test("a clerk sees only their function, and an employee is refused", async ({ page }) => {
  await signIn(page, server.url, "logistics_clerk", DEMO_PASSWORD, "/dashboard");
  const options = page.getByTestId("dashboard-function").locator("option");
  const codes = await options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(codes).not.toContain("documents");
  expect(codes.length).toBeGreaterThan(1);
  await expect(page.getByTestId("chart-load").locator("g[data-function]")).toHaveCount(codes.length - 1);

  await page.context().clearCookies();
  await signIn(page, server.url, "employee", DEMO_PASSWORD, "/dashboard");
  await expect(page.getByTestId("dashboard-refused")).toContainText("只有各职能的办公室岗位和主任可以查看");
});
