// The working-day calendar page: published arrangements and the deadline calculator.
import { expect, test } from "@playwright/test";
import { OfficeFlowServer } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("the calendar lists the built-in arrangements and calculates across National Day", async ({ page }, info) => {
  await page.goto(`${server.url}/settings/calendar`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作日历");
  const years = page.getByTestId("published-years");
  for (const year of ["2020", "2024", "2025", "2026"]) {
    await expect(years.getByText(year, { exact: true })).toBeVisible();
  }

  await page.getByLabel("时限规则").fill("wd(3)");
  await page.getByLabel("起算时间").fill("2025-09-30T10:00");
  await page.getByRole("button", { name: "计算" }).click();
  const result = page.getByTestId("deadline-result");
  await expect(result).toContainText("2025年10月11日 周六 18:00");
  await result.getByText("计算过程").click();
  await expect(result.locator("pre")).toContainText("国庆节、中秋节");
  await page.screenshot({ path: info.outputPath("working-calendar-1440.png"), fullPage: true, animations: "disabled" });

  // A year without a published arrangement counts weekends only, and says so.
  await page.getByLabel("起算时间").fill("2027-01-04T10:00");
  await page.getByLabel("时限规则").fill("wd(1)");
  await page.getByRole("button", { name: "计算" }).click();
  await expect(result).toContainText("2027年1月5日 周二 18:00");
  await expect(result.getByText("暂定", { exact: true })).toBeVisible();

  await page.getByLabel("时限规则").fill("wd(0)");
  await page.getByRole("button", { name: "计算" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
});
