// The Standard pages: the office standard read as a handbook, per function, in both languages.
import { expect, test } from "@playwright/test";
import { OfficeFlowServer } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

const INCOMING_DEADLINES_ZH = ["当日", "24小时内", "1个工作日内", "5个工作日内", "无时限"];
const INCOMING_OWNERS_ZH = ["公文文员", "公文文员", "办公室主任", "承办部门", "公文文员"];
const INCOMING_DEADLINES_EN = [
  "same day",
  "within 24 hours",
  "within 1 working day",
  "within 5 working days",
  "no deadline",
];
const INCOMING_OWNERS_EN = [
  "Document clerk",
  "Document clerk",
  "Office director",
  "Handling department",
  "Document clerk",
];

test("the Standard pages list 13 functions, each with its own handbook page", async ({ page, request }) => {
  await page.goto(`${server.url}/functions/documents`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const nav = page.getByRole("navigation", { name: "主导航" });
  const links = nav.locator('a[href^="/functions/"]');
  await expect(links).toHaveCount(13);
  await expect(nav.getByRole("link", { name: "文书与公文处理" })).toHaveAttribute("aria-current", "page");

  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  expect(new Set(hrefs).size).toBe(13);
  for (const href of hrefs) {
    const response = await request.get(`${server.url}${href}`);
    expect(response.status(), href).toBe(200);
    const html = await response.text();
    expect(html, href).toContain('class="standard-header__name"');
    expect(html, href).toContain('class="step-list"');
  }
});

test("the incoming document shows its five steps with owners and deadlines in order", async ({ page, request }) => {
  // Rendered on the server: the handbook is in the HTML before any script runs.
  const html = await (await request.get(`${server.url}/functions/documents`)).text();
  const rendered = [...html.matchAll(/class="step__deadline"[^>]*>(.*?)<\/span>/g)].map((m) =>
    m[1].replace(/<!--.*?-->|<!>/g, ""),
  );
  // 收文 is the function's first process, so its steps come first.
  expect(rendered.slice(0, 5)).toEqual(INCOMING_DEADLINES_ZH);

  await page.goto(`${server.url}/functions/documents`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("文书与公文处理");
  await expect(page).toHaveTitle(/文书与公文处理/);

  const incoming = page.getByRole("region", { name: "收文", exact: true });
  await expect(incoming.getByRole("heading", { level: 3 })).toHaveText("收文");
  await expect(incoming.locator(".step")).toHaveCount(5);
  await expect(incoming.locator(".step__deadline")).toHaveText(INCOMING_DEADLINES_ZH);
  await expect(incoming.locator(".step__owner")).toHaveText(INCOMING_OWNERS_ZH);
  await expect(incoming.locator(".step__number")).toHaveText(["1", "2", "3", "4", "5"]);
  await expect(incoming.getByText("事件触发:收到来文")).toBeVisible();
  await expect(incoming.getByText("以「收文时间」为准").first()).toBeVisible();
  // The director's step writes the document flow ledger, recorded by the clerk.
  const assign = incoming.locator('[data-step="assign_handling"]');
  await expect(assign.getByText("《公文流转台账》", { exact: true })).toBeVisible();
  await expect(assign.getByText("由公文文员登记")).toBeVisible();

  const roles = page.getByRole("region", { name: "角色分工" });
  await expect(roles.getByRole("heading", { level: 3 })).toHaveText(["办公室主任", "公文文员", "文秘专员"]);
  await expect(page.getByRole("region", { name: "发文", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "台账", exact: true }).getByText("《公文流转台账》")).toBeVisible();
});

test("the handbook reads in English after switching the language", async ({ page }) => {
  await page.goto(`${server.url}/functions/documents`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Documents");

  const incoming = page.getByRole("region", { name: "Incoming document", exact: true });
  await expect(incoming.locator(".step__deadline")).toHaveText(INCOMING_DEADLINES_EN);
  await expect(incoming.locator(".step__owner")).toHaveText(INCOMING_OWNERS_EN);
  await expect(incoming.getByText("on an event: A document is received")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Roles", level: 2 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Print handbook" })).toBeVisible();

  // Reloaded, the server renders the handbook in English straight away.
  await page.reload();
  await expect(
    page.getByRole("region", { name: "Incoming document", exact: true }).locator(".step__deadline"),
  ).toHaveText(INCOMING_DEADLINES_EN);
});

test("other functions show their approvals and conditions in words", async ({ page }) => {
  await page.goto(`${server.url}/functions/documents`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  // Client-side navigation to another function.
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "档案与信息管理" }).click();
  await expect(page).toHaveURL(/\/functions\/archives$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("档案与信息管理");
  const loan = page.getByRole("region", { name: "档案借阅", exact: true });
  await expect(loan.getByText("经部门负责人与办公室主任共同签字")).toBeVisible();
  await expect(loan.getByText("《借阅单》")).toBeVisible();

  await page.goto(`${server.url}/functions/logistics`);
  const purchase = page.locator('[data-process="supplies_purchase"] [data-step="purchase"]');
  await expect(purchase.getByText("报价超过预算时经办公室主任审批")).toBeVisible();
  await expect(purchase.getByText("(报价超过预算的95%时)")).toBeVisible();
});

test("an unknown function shows the not-found state and answers 404", async ({ page, request }) => {
  const response = await request.get(`${server.url}/functions/astrology`);
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain("没有这项职能");

  const api = await request.post(`${server.url}/api/catalog/function`, { data: { code: "astrology" } });
  expect(api.status()).toBe(404);
  expect(await api.json()).toEqual({ error: "not_found" });

  await page.goto(`${server.url}/functions/astrology`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("function-not-found")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("没有这项职能");
  await expect(page.getByText("「astrology」")).toBeVisible();
  await page.getByRole("link", { name: "返回总览" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("办公室总览");
});

test("screenshots of the handbook at 1440 px and 390 px, and its print layout", async ({ page }, info) => {
  await page.goto(`${server.url}/functions/documents`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("navigation", { name: "本页目录" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("standard-documents-1440.png"), fullPage: false, animations: "disabled" });
  await page.screenshot({ path: info.outputPath("standard-documents-1440-full.png"), fullPage: true, animations: "disabled" });

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("navigation", { name: "本页目录" })).toBeHidden();
  await page.screenshot({ path: info.outputPath("standard-documents-390.png"), fullPage: false, animations: "disabled" });
  await page.screenshot({ path: info.outputPath("standard-documents-390-full.png"), fullPage: true, animations: "disabled" });
  // Nothing overflows horizontally at phone width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("#sidenav")).toBeHidden();
  await expect(page.getByRole("button", { name: "打印手册" })).toBeHidden();
  await page.screenshot({ path: info.outputPath("standard-documents-print.png"), fullPage: true, animations: "disabled" });
});
