// The foundation journeys: server rendering, hydration, a persisted round trip, the language.
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("the home page is rendered on the server with the navigation", async ({ request }) => {
  const response = await request.get(`${server.url}/`);
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toContain('<html lang="zh-CN"');
  expect(html).toMatch(/<nav[^>]*id="sidenav"/);
  for (const name of ["综合统筹与协调管理", "文书与公文处理", "会议组织与管理", "制度建设与流程优化"]) {
    expect(html).toContain(name);
  }
  // Thirteen function links, already in the HTML before any script runs.
  expect(html.match(/data-function="/g)?.length).toBe(13);
});

test("the release build hydrates: the shortcut help opens from its button and from ?", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "快捷键" }).click();
  const dialog = page.getByRole("dialog", { name: "键盘快捷键" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.keyboard.press("?");
  await expect(dialog).toBeVisible();
  expect(errors).toEqual([]);
});

test("a server function round trip is stored and survives a server restart", async ({ page }) => {
  await signIn(page, server.url, "admin", ADMIN_PASSWORD, "/settings");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const name = page.getByLabel("机构名称");
  await expect(name).toHaveValue("示范单位办公室");

  await name.fill("");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("请填写机构名称。")).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");

  await name.fill("市人民政府办公室");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("save-status")).toHaveText("已保存");
  await expect(page.locator(".topbar__org")).toHaveText("市人民政府办公室");

  await server.restart();
  await page.reload();
  await expect(page.getByLabel("机构名称")).toHaveValue("市人民政府办公室");
  await expect(page.locator(".topbar__org")).toHaveText("市人民政府办公室");
});

test("the language switch changes the navigation and survives a reload", async ({ page }) => {
  await page.goto(`${server.url}/`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const nav = page.getByRole("navigation", { name: "主导航" });
  await expect(nav.getByRole("link", { name: "文书与公文处理" })).toBeVisible();

  await page.getByRole("button", { name: "English" }).click();
  const navEn = page.getByRole("navigation", { name: "Main navigation" });
  await expect(navEn.getByRole("link", { name: "Documents" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Office overview");

  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(navEn.getByRole("link", { name: "Documents" })).toBeVisible();
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("button", { name: "简体中文" }).click();
  await expect(nav.getByRole("link", { name: "文书与公文处理" })).toBeVisible();
});

test("screenshots of the shell at 1440 px and 390 px", async ({ page }, info) => {
  await page.goto(`${server.url}/`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.screenshot({ path: info.outputPath("overview-1440.png"), fullPage: false, animations: "disabled" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: info.outputPath("overview-390.png"), fullPage: false, animations: "disabled" });
  await page.getByRole("button", { name: "打开导航" }).click();
  await expect(page.locator(".shell--menu-open")).toBeVisible();
  await page.screenshot({ path: info.outputPath("overview-390-menu.png"), fullPage: false, animations: "disabled" });
  // Nothing overflows horizontally at phone width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
