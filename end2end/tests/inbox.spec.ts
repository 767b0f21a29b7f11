// Signing in, and the inbox ("needs me now"): an overdue step escalates to the director by
// itself and shows in the director's inbox, overdue first; nobody else sees it.
import { expect, test } from "@playwright/test";
import { OfficeFlowServer, raiseOverdueDocument, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("a wrong password is refused on the form, the right one opens the inbox", async ({ page }) => {
  await page.goto(`${server.url}/inbox`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByText("登录后可查看您的待办。")).toBeVisible();
  await page.goto(`${server.url}/signin`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.fill("#login", "director");
  await page.fill("#password", "not the password");
  await page.click("button[type=submit]");
  await expect(page.getByText("登录名或密码不正确。")).toBeVisible();
  await page.fill("#password", "officeflow-demo");
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/inbox`);
  await expect(page.getByTestId("account")).toContainText("退出登录");
  await page.getByRole("button", { name: "退出登录" }).click();
  await page.waitForURL(`${server.url}/signin`);
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
});

test("an overdue incoming document escalates to the director's inbox by itself", async ({ page, request }) => {
  // The document clerk registers a document received three days ago: its same-day step is
  // overdue at once, and the scheduler (every second here) escalates it to the director.
  const id = await raiseOverdueDocument(request, server.url, "关于做好年末安全检查的通知 <script>alert(1)</script>");

  await signIn(page, server.url, "director");
  const item = page.locator(`.inbox__item[data-case="${id}"][data-kind="escalation"]`);
  await expect(async () => {
    await page.reload();
    await expect(item).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(item).toContainText("超时升级");
  await expect(item).toContainText("已超时");
  await expect(item).toContainText("<script>alert(1)</script>");
  // Overdue items come first.
  await expect(page.locator(".inbox__item").first().locator(".sla")).toHaveText("已超时");

  // The clerk sees the step itself; the archivist sees nothing of the case.
  await page.context().clearCookies();
  await signIn(page, server.url, "document_clerk");
  await expect(page.locator(`.inbox__item[data-case="${id}"][data-kind="step"]`)).toBeVisible();
  await page.context().clearCookies();
  await signIn(page, server.url, "archivist");
  await expect(page.locator(`.inbox__item[data-case="${id}"]`)).toHaveCount(0);
});
