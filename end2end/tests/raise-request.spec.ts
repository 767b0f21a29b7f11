// "Raise a request" from a board: the process's form checked field by field, a live preview
// of the first step's owner and deadline computed in the browser on China's working-day
// calendar, and the new case opening in its drawer. And the director's overview of a
// function: 待受理 / 办理中 / 待审批 / 已办结.
import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

function dialog(page: Page) {
  return page.getByTestId("raise-dialog");
}

test("raising on the HR board: fields checked as typed, the deadline previewed over National Day", async ({ page }) => {
  // The browser's clock says 2025-09-30 10:00 in Beijing, the eve of the National Day holiday.
  await page.clock.setFixedTime(new Date("2025-09-30T10:00:00+08:00"));
  await signIn(page, server.url, "employee", DEMO_PASSWORD, "/functions/hr/board");
  await page.getByTestId("raise-open").click();
  await expect(page).toHaveURL(/raise=/);
  const panel = dialog(page);
  await expect(panel.getByRole("heading", { name: "发起申请" })).toBeVisible();
  await expect(panel.locator("#raise-process")).toHaveValue("onboarding");
  await expect(panel).toContainText("填写《入职需求单》");
  // The requester's own department is the default.
  await expect(panel.locator("#raise-department")).toHaveValue("业务部");

  // Step 1 is the HR specialist's, three working days: 10-01..08 are off, Saturday 10-11 is
  // a make-up working day, so it is due at its close.
  const preview = panel.getByTestId("raise-preview");
  await expect(preview.getByTestId("raise-first-step")).toHaveText(/第1步 · offer发放/);
  await expect(preview.getByTestId("raise-owner")).toHaveText("人事专员");
  await expect(preview.getByTestId("raise-due")).toHaveAttribute("datetime", "2025-10-11T18:00:00+08:00");
  await expect(preview.getByTestId("raise-due")).toContainText("2025年10月11日");
  await expect(preview.getByTestId("raise-days-off")).toContainText("国庆节、中秋节");
  await expect(preview.getByTestId("raise-days-off")).toContainText("2025年10月1日");
  await expect(preview.getByTestId("raise-days-off")).toContainText("2025年10月8日");
  await expect(preview.getByTestId("raise-make-up")).toContainText("2025年10月11日");

  // Submitting empty names every missing field and puts the focus on the first; nothing is sent.
  await panel.getByRole("button", { name: "提交申请" }).click();
  await expect(panel.getByTestId("raise-problems")).toBeVisible();
  await expect(panel.locator("#raise-title")).toBeFocused();
  await expect(panel.locator('[data-field="title"] .form__error')).toHaveText("请填写标题。");
  await expect(panel.locator('[data-field="field:post"] .form__error')).toHaveText("请填写岗位。");
  await expect(panel.locator("#raise-field-post")).toHaveAttribute("aria-invalid", "true");
  // Fields the HR specialist records later are not asked for.
  await expect(panel.locator("#raise-field-candidate")).toHaveCount(0);
  await expect(panel).toContainText("另有 3 项由办理人在办理中填写");

  await panel.locator("#raise-title").fill("招聘前端工程师一名");
  await panel.locator("#raise-field-post").fill("前端工程师");
  await expect(panel.locator('[data-field="field:post"] .form__error')).toHaveCount(0);
  // The form's own 用人部门 is apart from the request's department.
  await panel.locator("#raise-field-department").fill("研发部");
  await panel.locator("#raise-field-post_permissions").fill("代码仓库读写;测试环境");
  await panel.getByRole("button", { name: "提交申请" }).click();

  // The new case opens in its drawer, and its card is on the board behind it.
  await expect(page).toHaveURL(/case=\d+/);
  await expect(page).not.toHaveURL(/raise=/);
  const id = Number(new URL(page.url()).searchParams.get("case"));
  await expect(page.getByTestId("case-drawer").getByRole("heading", { name: "招聘前端工程师一名" })).toBeVisible();
  await expect(page.locator(`.board-card[data-case="${id}"]`)).toHaveAttribute("data-step", "offer_contract_training");
  await expect(dialog(page)).toHaveCount(0);
});

test("a value that does not parse is flagged when the field is left, and the server's answer lands on the field", async ({ page }) => {
  await signIn(page, server.url, "employee", DEMO_PASSWORD, "/functions/logistics/board?raise=supplies_purchase");
  const panel = dialog(page);
  await expect(panel.locator("#raise-process")).toHaveValue("supplies_purchase");
  const budget = panel.locator("#raise-field-budget");
  await budget.fill("一千");
  await budget.blur();
  await expect(panel.locator('[data-field="field:budget"] .form__error')).toContainText("预算");
  await budget.fill("1200.50");
  await expect(panel.locator('[data-field="field:budget"] .form__error')).toHaveCount(0);
  await expect(panel.locator('[data-field="field:budget"] .raise__unit')).toHaveText("元");
  // Step 1 (审核需求) is the logistics supervisor's, one working day after raising.
  await expect(panel.getByTestId("raise-owner")).not.toBeEmpty();
  await expect(panel.getByTestId("raise-due")).toHaveAttribute("datetime", /T18:00:00\+08:00$/);
  // The dialog is modal: Tab goes round inside it.
  await panel.getByRole("button", { name: "关闭" }).focus();
  await page.keyboard.press("Shift+Tab");
  await expect(panel.getByRole("button", { name: "取消" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("button", { name: "关闭" })).toBeFocused();
  // Escape closes the form, and the address forgets it.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(page).not.toHaveURL(/raise=/);
});

test("the preview's deadline is the one the server records", async ({ page }) => {
  await signIn(page, server.url, "employee", DEMO_PASSWORD, "/functions/documents/board");
  await page.getByTestId("raise-open").click();
  const panel = dialog(page);
  await expect(panel.locator("#raise-process")).toHaveValue("incoming_document");
  // The first step counts from the receipt: until it is given there is no due time.
  await expect(panel.getByTestId("raise-preview")).toContainText("填写「收文时间」后即可算出截止时间");
  await panel.locator("#raise-title").fill("关于做好年末安全生产工作的通知");
  await panel.locator("#raise-field-received_at").fill("2025-09-30T16:30");
  await panel.locator("#raise-field-issuer").fill("市应急管理局");
  const due = panel.getByTestId("raise-due");
  await expect(due).toHaveAttribute("datetime", "2025-09-30T18:00:00+08:00");

  // The form's own 文件标题 (apart from the request's title) is still missing: the browser
  // says so before anything is sent.
  await panel.getByRole("button", { name: "提交申请" }).click();
  await expect(panel.locator('[data-field="field:title"] .form__error')).toHaveText("请填写文件标题。");
  await expect(panel.locator("#raise-field-title")).toBeFocused();
  await panel.locator("#raise-field-title").fill("安全生产通知");
  await panel.getByRole("button", { name: "提交申请" }).click();

  await expect(page).toHaveURL(/case=\d+/);
  const drawer = page.getByTestId("case-drawer");
  await expect(drawer.getByRole("heading", { name: "关于做好年末安全生产工作的通知" })).toBeVisible();
  await expect(drawer.locator(".drawer__step.is-active time")).toHaveAttribute("datetime", "2025-09-30T18:00:00+08:00");
});

test("a required attachment is uploaded ahead of the request and attached to the case it raises", async ({ page }) => {
  await signIn(page, server.url, "employee", DEMO_PASSWORD, "/functions/documents/board?raise=outgoing_document");
  const panel = dialog(page);
  await expect(panel.locator("#raise-process")).toHaveValue("outgoing_document");
  await panel.locator("#raise-title").fill("关于元旦放假安排的通知");
  await panel.locator("#raise-field-title").fill("元旦放假通知");
  await panel.getByRole("button", { name: "提交申请" }).click();
  await expect(panel.locator('[data-field="field:draft"] .form__error')).toHaveText("请上传文稿。");
  await panel.locator("#raise-field-draft").setInputFiles({ name: "元旦通知.txt", mimeType: "text/plain", buffer: Buffer.from("元旦放假一天") });
  await expect(panel.getByTestId("raise-attached")).toContainText("元旦通知.txt");
  await expect(panel.locator('[data-field="field:draft"] .form__error')).toHaveCount(0);
  await panel.getByRole("button", { name: "提交申请" }).click();
  await expect(page).toHaveURL(/case=\d+/);
  const drawer = page.getByTestId("case-drawer");
  await expect(drawer).toContainText("元旦通知.txt");
  const href = await drawer.locator('a[href^="/api/files/"]').first().getAttribute("href");
  const file = await page.request.get(`${server.url}${href}`);
  expect(await file.text()).toBe("元旦放假一天");
});

test("the director's overview puts every open case under one of four shared states", async ({ page, request }) => {
  const signedIn = await request.post(`${server.url}/api/auth/sign-in`, { data: { login: "employee", password: DEMO_PASSWORD } });
  expect(signedIn.status()).toBe(200);
  const raise = async (title: string) => {
    const raised = await request.post(`${server.url}/api/cases/raise`, {
      data: { process: "archive_loan", title, department: null, form: { archive_ref: "HT-2024-017", purpose: "审计调阅", copy_type: "纸质档", borrower: "王五" } },
    });
    expect(raised.status(), await raised.text()).toBe(200);
    return (await raised.json()).case.id as number;
  };
  const awaiting = await raise("调阅2024年合同档案");

  await signIn(page, server.url, "director", DEMO_PASSWORD, "/functions/archives/board");
  await page.getByTestId("view-switch").getByRole("link", { name: "总览" }).click();
  await expect(page).toHaveURL(/view=overview/);
  const overview = page.getByTestId("board-overview");
  await expect(page.getByTestId("board")).toBeHidden();
  for (const name of ["待受理", "办理中", "待审批", "已办结"]) {
    await expect(overview.locator(".overview__stage .column__name", { hasText: name })).toBeVisible();
  }
  // A loan waits for the department head's and the director's signatures from the start.
  const card = overview.locator(`.overview__stage[data-stage="awaiting_approval"] .board-card[data-case="${awaiting}"]`);
  await expect(card).toBeVisible();
  await expect(card.locator(".board-card__process")).toContainText("档案借阅");
  // Cards here open their drawer but do not move.
  await expect(card).not.toHaveAttribute("aria-roledescription", /.+/);
  await card.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`case=${awaiting}`));
  await expect(page).toHaveURL(/view=overview/);
  await page.keyboard.press("Escape");

  // Closed by the director elsewhere: it moves to 已办结 live.
  const closing = await raise("调阅人事档案");
  await expect(overview.locator(`.board-card[data-case="${closing}"]`)).toBeVisible();
  const director = await page.context().request.post(`${server.url}/api/cases/apply`, {
    data: { id: closing, version: 1, command: { op: "close", reason: "已线下办结" } },
  });
  expect(director.status(), await director.text()).toBe(200);
  await expect(overview.locator(`.overview__stage[data-stage="done"] .board-card[data-case="${closing}"]`)).toBeVisible();
  await expect(overview.locator(`.overview__stage[data-stage="awaiting_approval"] .board-card[data-case="${closing}"]`)).toHaveCount(0);
});

test("raise form and overview screenshots at 1440 and 390 px", async ({ browser }, info) => {
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    await page.clock.setFixedTime(new Date("2025-09-30T10:00:00+08:00"));
    await signIn(page, server.url, "employee", DEMO_PASSWORD, "/functions/hr/board?raise=onboarding");
    const panel = dialog(page);
    await panel.locator("#raise-title").fill("招聘前端工程师一名");
    await panel.locator("#raise-field-post").fill("前端工程师");
    await panel.locator("#raise-field-department").fill("研发部");
    await panel.locator("#raise-field-post_permissions").fill("代码仓库读写;测试环境");
    await expect(panel.getByTestId("raise-due")).toBeVisible();
    await panel.evaluate((element) => element.scrollTo(0, 0));
    await page.screenshot({ path: info.outputPath(`raise-hr-${width}.png`) });
    await context.close();

    const directorContext = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const director = await directorContext.newPage();
    await signIn(director, server.url, "director", DEMO_PASSWORD, "/functions/archives/board?view=overview");
    await expect(director.getByTestId("board-overview")).toBeVisible();
    await director.screenshot({ path: info.outputPath(`overview-archives-${width}.png`), fullPage: width > 400 });
    await directorContext.close();
  }
});
