// People and roles (/settings/people): an administrator adds a person with a new department
// and a role of the standard, bad input is shown at its fields and stores nothing, the new
// person signs in and works on their board, and other people are kept out of the page. And
// roles at work: the document clerk completes their step, the director's same move is refused.
import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, DEMO_PASSWORD, OfficeFlowServer, raiseOverdueDocument, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("an administrator adds a person who then signs in with their role", async ({ page, browser }, info) => {
  await signIn(page, server.url, "admin", ADMIN_PASSWORD, "/settings/people");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("人员与角色");
  await expect(page.locator('#sidenav a[href="/settings/people"]')).toHaveAttribute("aria-current", "page");
  const table = page.getByTestId("people-table");
  await expect(table.locator('tr[data-login="document_clerk"]')).toContainText("公文文员");

  // Searching narrows the list.
  await page.getByTestId("people-search").fill("公文");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await page.getByTestId("people-search").fill("");

  // An empty form: every problem at its field, nothing stored.
  const before = await table.locator("tbody tr").count();
  await page.getByTestId("people-new").click();
  const editor = page.getByTestId("person-editor");
  await editor.getByTestId("person-save").click();
  await expect(editor.locator("#person-login")).toHaveAttribute("aria-invalid", "true");
  await expect(editor.locator("#person-name-error")).toHaveText("请填写名称。");
  await expect(editor.locator("#person-password-error")).toHaveText("新人员须设置初始密码。");
  await expect(table.locator("tbody tr")).toHaveCount(before);

  // A script tag is a name like any other, shown as text.
  await editor.locator("#person-name").fill("王芳<script>alert(1)</script>");
  await editor.locator("#person-login").fill("Wang.Fang");
  await editor.locator("#person-department").fill("档案室");
  await editor.getByRole("checkbox", { name: /公文文员/ }).check();
  await editor.locator("#person-password").fill("chun-jie-2026");
  await editor.getByTestId("person-save").click();
  await expect(page.getByTestId("people-status")).toHaveText("已保存「王芳<script>alert(1)</script>」。");
  await expect(editor).toHaveCount(0);
  const row = table.locator('tr[data-login="wang.fang"]');
  await expect(row).toContainText("王芳<script>alert(1)</script>");
  await expect(row).toContainText("档案室");
  await expect(row).toContainText("公文文员");
  await expect(page.getByTestId("departments").locator('[data-department="档案室"]')).toContainText("1 人");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: info.outputPath("people-admin-1440.png") });

  // The editor on an existing person, as a screenshot.
  await row.getByRole("button", { name: /编辑/ }).click();
  await expect(editor.locator("#person-login")).toHaveValue("wang.fang");
  await expect(editor.getByRole("checkbox", { name: /公文文员/ })).toBeChecked();
  await page.screenshot({ path: info.outputPath("people-editor-1440.png") });

  // The new person signs in and sees the documents board.
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await signIn(theirs, server.url, "wang.fang", "chun-jie-2026", "/functions/documents/board");
  await expect(theirs.getByTestId("board").locator(".lane").first()).toBeVisible();
  await context.close();
});

test("people other than administrators are kept out", async ({ page }) => {
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/settings/people");
  await expect(page.getByTestId("people-refused")).toHaveText(/只有管理员可以管理人员和部门/);
  await expect(page.getByTestId("people-table")).toHaveCount(0);
  // The side navigation offers the page to administrators only.
  await expect(page.locator('#sidenav a[href="/settings/calendar"]')).toBeVisible();
  await expect(page.locator('#sidenav a[href="/settings/people"]')).toHaveCount(0);
});

test("the document clerk completes a step on the documents board; the director's same move is refused", async ({ page, browser, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "权限演示来文", null, 0);
  const column = (p: Page, step: string) =>
    p.locator(`details.lane[data-process="incoming_document"] .column[data-drop="${step}"]`);
  const cardIn = (p: Page, step: string) => column(p, step).locator(`.board-card[data-case="${id}"]`);

  // The clerk owns 签收、编号: the keyboard moves the card on, and it stays there.
  await signIn(page, server.url, "document_clerk", DEMO_PASSWORD, "/functions/documents/board");
  await cardIn(page, "sign_and_number").focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  await expect(cardIn(page, "submit_for_instructions")).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("board-announcer")).toContainText("已移到「呈送主任拟办」");

  // The director sees the card but 呈送主任拟办 is the clerk's to complete: refused, and the
  // card stays where it is.
  const context = await browser.newContext();
  const director = await context.newPage();
  await signIn(director, server.url, "director", DEMO_PASSWORD, "/functions/documents/board");
  const card = cardIn(director, "submit_for_instructions");
  await card.focus();
  await director.keyboard.press("Space");
  await director.keyboard.press("ArrowRight");
  await director.keyboard.press("Enter");
  const back = cardIn(director, "submit_for_instructions");
  await expect(back.getByTestId("card-refusal")).toBeVisible();
  await expect(director.getByTestId("board-announcer")).toContainText("未能移动");
  await context.close();
  await page.reload();
  await expect(cardIn(page, "submit_for_instructions")).toBeVisible();
});
