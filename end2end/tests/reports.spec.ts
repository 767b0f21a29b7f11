// The generated reports (报告): the weekly collaboration briefing, the monthly reimbursement
// summary and the monthly overdue report, written from the demo office's live cases; the
// period lives in the address, the page prints without the shell, and the downloads carry the
// same report. A clerk of another function may not read the finance report.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

const count = async (locator: import("@playwright/test").Locator) => locator.count();

/** This month as `YYYY-MM`, in the office's zone (Asia/Shanghai). */
const thisMonth = () => {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
    .formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}`;
};

test("the director reads the week's briefing and the month's overdue report, prints and downloads them", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1200 });
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/reports");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("报告");
  await expect(page.locator('#sidenav a[href="/reports"]')).toHaveAttribute("aria-current", "page");

  // The briefing of this week: the demo's collaboration requests under way, the overdue one
  // first among those needing attention.
  await expect(page.getByTestId("report-tab-briefing")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("report-title")).toHaveText("《协同任务进展简报》");
  await expect(page.getByTestId("report-period-name")).toContainText("周");
  await expect(page.getByTestId("report-running")).toBeVisible();
  await expect(page.getByTestId("report-figures").locator(".stat-tile")).toHaveCount(6);
  const underWay = page.getByTestId("report-section-under_way").locator("tbody tr");
  expect(await count(underWay)).toBeGreaterThanOrEqual(3);
  await expect(underWay.first().locator("td").first().locator("a")).toHaveAttribute(
    "href",
    /^\/functions\/coordination\/board\?case=\d+$/,
  );
  const attention = page.getByTestId("report-section-attention").locator("tbody tr.report-row--danger");
  expect(await count(attention)).toBeGreaterThanOrEqual(1);
  await expect(attention.first()).toContainText("已超时");
  await page.screenshot({ path: info.outputPath("reports-briefing-1440.png"), fullPage: true });

  // The overdue report of this month: late completions and steps still overdue, per function.
  await page.getByTestId("report-tab-overdue").click();
  await expect(page).toHaveURL(/\/reports\?kind=overdue$/);
  await expect(page.getByTestId("report-title")).toHaveText("月度逾期报告");
  const month = thisMonth();
  await page.getByTestId("report-period").fill(month);
  await page.getByTestId("report-period").dispatchEvent("change");
  await expect(page).toHaveURL(new RegExp(`kind=overdue&period=${month}$`));
  const [year, monthNumber] = month.split("-");
  const monthName = `${year}年${Number(monthNumber)}月`;
  await expect(page.getByTestId("report-period-name")).toHaveText(monthName);
  await expect(page.getByTestId("report-section-functions").locator("tbody tr")).toHaveCount(13);
  await expect(page.getByTestId("report-section-late").locator("tbody tr.report-row--danger").first()).toBeVisible();
  await expect(
    page.getByTestId("report-section-still_overdue").locator("tbody tr.report-row--danger").first(),
  ).toBeVisible();
  await page.screenshot({ path: info.outputPath("reports-overdue-1440.png"), fullPage: true });

  // The month before, by the arrow; there is no month after this one yet.
  await expect(page.getByTestId("report-next")).toHaveCount(0);
  await page.getByTestId("report-previous").click();
  await expect(page).not.toHaveURL(new RegExp(`period=${month}$`));
  await expect(page.getByTestId("report-next")).toBeVisible();
  await page.getByTestId("report-next").click();
  await expect(page).toHaveURL(new RegExp(`period=${month}$`));
  await expect(page.getByTestId("report-period-name")).toHaveText(monthName);

  // Printed: the report alone, without the shell, the tabs and the controls.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("report-title")).toBeVisible();
  await expect(page.locator(".report__controls")).toBeHidden();
  await expect(page.locator(".report-tabs")).toBeHidden();
  await expect(page.locator("#sidenav")).toBeHidden();
  await page.emulateMedia({ media: "screen" });

  // The downloads: the CSV opens in Excel (a byte-order mark) with the report's lines; the
  // workbook is a workbook.
  const csvHref = await page.getByTestId("report-export-csv").getAttribute("href");
  expect(csvHref).toBe(`/api/reports/overdue/export.csv?period=${month}&lang=zh`);
  const csv = await page.request.get(`${server.url}${csvHref}`);
  expect(csv.status()).toBe(200);
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  expect(text.split("\r\n")[0]).toBe("月度逾期报告");
  expect(text).toContain("\r\n各职能逾期情况\r\n");
  const xlsx = await page.request.get(`${server.url}${await page.getByTestId("report-export-xlsx").getAttribute("href")}`);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  expect([...(await xlsx.body()).subarray(0, 2)]).toEqual([0x50, 0x4b]);

  // The reimbursement summary: the month's claims with its flags explained.
  // Last month's, by default: the demo's claims, with a frequent claimant and abnormal ones.
  await page.getByTestId("report-tab-reimbursements").click();
  await expect(page.getByTestId("report-title")).toHaveText("《报销台账》月度汇总");
  await expect(page.getByTestId("report-section-frequent").locator("tbody tr").first()).toContainText("王芳");
  const abnormal = page.getByTestId("report-section-abnormal");
  await expect(abnormal.locator("tbody tr", { hasText: "赵磊" })).toContainText("中位数");
  await expect(abnormal.locator("tbody tr", { hasText: "疑似重复报销" })).toHaveCount(2);
  await page.screenshot({ path: info.outputPath("reports-claims-1440.png"), fullPage: true });
  await expect(page.getByTestId("report-section-abnormal").locator(".report__note")).toContainText("中位数");
});

test("a month that does not read is refused with a way back, and a clerk may not read the finance report", async ({ page }) => {
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/reports?kind=overdue&period=2026-13");
  await expect(page.getByTestId("report-refused")).toContainText("月份应写作 YYYY-MM");
  await page.getByTestId("report-reset").click();
  await expect(page.getByTestId("report-title")).toHaveText("月度逾期报告");

  await page.context().clearCookies();
  await signIn(page, server.url, "logistics_clerk", DEMO_PASSWORD, "/reports?kind=reimbursements");
  await expect(page.getByTestId("report-refused")).toContainText("无权");
  // Their own functions' overdue report is theirs to read.
  await page.getByTestId("report-tab-overdue").click();
  await expect(page.getByTestId("report-title")).toHaveText("月度逾期报告");
  await expect(page.getByTestId("report-section-functions").locator("tbody tr")).toHaveCount(2);
});

test("someone signed out is asked to sign in and comes back to the same report", async ({ page }) => {
  await page.goto(`${server.url}/reports?kind=overdue&period=2026-11`);
  const prompt = page.getByTestId("sign-in-first");
  await expect(prompt).toContainText("登录");
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await prompt.getByRole("link").click();
  await expect(page).toHaveURL(/\/signin\?next=/);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await page.fill("#login", "director");
  await page.fill("#password", DEMO_PASSWORD);
  await page.click("button[type=submit]");
  await expect(page).toHaveURL(/\/reports\?kind=overdue&period=2026-11$/);
  await expect(page.getByTestId("report-title")).toHaveText("月度逾期报告");
});
