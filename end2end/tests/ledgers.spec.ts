// The ledgers (台账): the workflow writes them, the office reads them. The director opens the
// document flow ledger the demo office's finished cases wrote, finds a row by its words, sorts
// by a column, and downloads the rows as CSV Excel reads in Chinese and as a workbook. Others
// are refused.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("the director finds, sorts and downloads the document flow ledger", async ({ page }, info) => {
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/ledgers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("台账");
  // The top bar counts what waits for the director, in red: some of it is overdue.
  await expect(page.getByTestId("inbox-count")).toHaveClass(/inbox-count--overdue/);
  await expect(page.getByTestId("inbox-link")).toHaveAttribute("aria-label", /^我的待办:\d+ 项,其中 \d+ 项已超时$/);
  const index = page.getByTestId("ledger-index");
  await expect(index.locator("[data-ledger]")).toHaveCount(12);
  await expect(index.locator('[data-ledger="document_flow"]')).toContainText("收文 · 明确承办部门");
  await index.locator('[data-ledger="document_flow"] a').click();
  await expect(page).toHaveURL(/\/ledgers\/document_flow$/);
  await expect(page.getByTestId("ledger-name")).toHaveText("《公文流转台账》");
  await expect(page.locator('#sidenav a[href="/ledgers"]')).toHaveAttribute("aria-current", "page");

  const table = page.getByTestId("ledger-table");
  const rows = table.locator("tbody tr[data-case]");
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();
  await expect(page.getByTestId("ledger-count")).toHaveText(`共 ${all} 条`);
  await page.screenshot({ path: info.outputPath("ledger-1440.png") });

  // Words narrow the rows, and the address keeps them.
  const title = (await rows.first().locator("th").textContent())!.trim();
  await page.getByTestId("ledger-search").fill(title);
  await page.getByTestId("ledger-search").press("Enter");
  await expect(page).toHaveURL(/[?&]text=/);
  await expect(rows.first()).toContainText(title);
  await page.getByTestId("ledger-search").fill("没有这样的公文");
  await page.getByTestId("ledger-search").press("Enter");
  await expect(table.locator(".ledger-table__empty")).toHaveText("这一期间没有登记。");
  await page.getByTestId("ledger-search").fill("");
  await page.getByTestId("ledger-search").press("Enter");
  await expect(rows).toHaveCount(all);

  // Sorting by the number: ascending, then descending.
  const number = table.locator("thead th").first();
  await number.getByRole("button").click();
  await expect(number).toHaveAttribute("aria-sort", "ascending");
  await expect(page).toHaveURL(/sort=case/);
  await number.getByRole("button").click();
  await expect(number).toHaveAttribute("aria-sort", "descending");
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-case"))));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));

  // A period with nothing in it.
  await page.getByTestId("ledger-from").fill("2001-01-01");
  await page.getByTestId("ledger-from").dispatchEvent("change");
  await page.getByTestId("ledger-to").fill("2001-01-31");
  await page.getByTestId("ledger-to").dispatchEvent("change");
  await expect(table.locator(".ledger-table__empty")).toBeVisible();
  await page.getByRole("button", { name: "全部" }).click();
  await expect(rows).toHaveCount(all);

  // The download: named after the ledger, UTF-8 with a byte-order mark, Chinese headers.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("ledger-export").click(),
  ]);
  expect(download.suggestedFilename()).toBe("公文流转台账.csv");
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").split("\r\n");
  expect(lines[0].startsWith("事项编号,事项,部门,")).toBe(true);
  expect(lines[0].endsWith(",登记时间")).toBe(true);
  expect(lines.filter((l) => l.length > 0)).toHaveLength(all + 1);

  // And as an Excel workbook (a zip file).
  const [workbook] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("ledger-export-xlsx").click(),
  ]);
  expect(workbook.suggestedFilename()).toBe("公文流转台账.xlsx");
  const xlsx = readFileSync((await workbook.path())!);
  expect(xlsx.subarray(0, 2).toString("latin1")).toBe("PK");
});

test("someone without the function's roles is refused the ledger", async ({ page }) => {
  await signIn(page, server.url, "employee", DEMO_PASSWORD, "/ledgers/document_flow");
  await expect(page.getByTestId("ledger-refused")).toContainText("只有本职能的角色和办公室主任可以查看此台账。");
  await expect(page.getByTestId("ledger-table")).toHaveCount(0);
});
