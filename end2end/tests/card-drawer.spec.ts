// A card's drawer: opened from the card's title (its address is shareable), it shows the
// case's form, every step's deadline, comments and history, and puts the step's work in
// reach: tick the checklist, write or attach an output, give an approval, complete the step.
import { expect, Page, test } from "@playwright/test";
import { completeStep, DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

async function as(request: import("@playwright/test").APIRequestContext, login: string) {
  const signedIn = await request.post(`${server.url}/api/auth/sign-in`, { data: { login, password: DEMO_PASSWORD } });
  expect(signedIn.status()).toBe(200);
}

async function raise(request: import("@playwright/test").APIRequestContext, process: string, title: string, form: Record<string, string>): Promise<number> {
  const raised = await request.post(`${server.url}/api/cases/raise`, { data: { process, title, department: "市场部", form } });
  expect(raised.status(), await raised.text()).toBe(200);
  return (await raised.json()).case.id;
}

function drawer(page: Page) {
  return page.getByTestId("case-drawer");
}

test("the director works a step from the drawer: checklist, written and attached outputs, completion", async ({ page, request }) => {
  await as(request, "requesting_department");
  const id = await raise(request, "collaboration_request", "年终联合检查协作", {
    task_goal: "组织财务、行政联合检查",
    time_nodes: "12月10日前完成",
  });
  await as(request, "coordination_specialist");
  await completeStep(request, server.url, id, "register");

  const board = "/functions/coordination/board";
  await signIn(page, server.url, "director", undefined, `${board}?process=collaboration_request`);
  const card = page.locator(`.board-card[data-case="${id}"]`);
  await expect(card).toHaveAttribute("data-step", "coordination_plan");

  // The title opens the drawer, and the address names the case (the filters stay).
  await card.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`case=${id}`));
  const panel = drawer(page);
  await expect(panel.getByRole("heading", { name: "年终联合检查协作" })).toBeVisible();
  await expect(panel).toContainText("组织财务、行政联合检查");
  const work = panel.getByTestId("drawer-work");
  await expect(work).toHaveAttribute("data-step", "coordination_plan");
  const blockers = work.locator(".drawer__blockers li");
  await expect(blockers).toHaveCount(4); // three checklist items and the plan itself

  // Completing too early is refused with the same reasons, and nothing moves.
  await work.getByRole("button", { name: "完成此步骤" }).click();
  await expect(panel.getByTestId("drawer-answer")).toContainText("未勾选");
  await expect(card).toHaveAttribute("data-step", "coordination_plan");

  const boxes = work.locator('input[type="checkbox"]');
  await expect(boxes).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await boxes.nth(i).click();
    await expect(boxes.nth(i)).toBeChecked();
    await expect(blockers).toHaveCount(3 - i);
  }

  // Write the plan, then attach a file to it as well (the file replaces the text).
  const output = work.locator('[data-output="coordination_plan"]');
  await output.locator("textarea").fill("财务部牵头,行政部配合;资源:会议室两间");
  await output.getByRole("button", { name: "保存" }).click();
  await expect(output.locator(".drawer__recorded")).toContainText("财务部牵头");
  await expect(work.locator(".drawer__ready")).toBeVisible();
  await output.locator('input[type="file"]').setInputFiles({ name: "协调方案.txt", mimeType: "text/plain", buffer: Buffer.from("协调方案正文") });
  await expect(output.locator(".drawer__recorded a")).toHaveText("协调方案.txt");
  const href = await output.locator(".drawer__recorded a").getAttribute("href");
  const file = await page.request.get(`${server.url}${href}`);
  expect(await file.text()).toBe("协调方案正文");

  // A comment, then the completion: the card moves on the board behind the drawer.
  await panel.locator("#drawer-comment").fill("请各部门周五前反馈");
  await panel.getByRole("button", { name: "发表" }).click();
  await expect(panel.locator(".drawer__comment-text")).toHaveText("请各部门周五前反馈");
  await work.getByRole("button", { name: "完成此步骤" }).click();
  await expect(card).not.toHaveAttribute("data-step", "coordination_plan");
  await expect(panel.getByTestId("drawer-work")).not.toHaveAttribute("data-step", "coordination_plan");
  await expect(panel.getByTestId("drawer-history").locator("li").first()).toContainText("步骤开始");
  await expect(panel.getByTestId("drawer-history")).toContainText("完成步骤:统筹调度");
  await expect(panel.getByTestId("drawer-steps").locator("li")).toHaveCount(3);

  // Escape closes it, the address forgets the case and the focus goes back to the card.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(page).not.toHaveURL(/case=/);
  await expect(page).toHaveURL(/process=collaboration_request/);
});

test("a dual sign-off is given by each role from its own drawer, and a shared link opens it", async ({ browser, request }) => {
  await as(request, "employee");
  const id = await raise(request, "archive_loan", "借阅2024年会议纪要", {
    archive_ref: "2024-HY-001",
    purpose: "编写年度总结",
    copy_type: "电子档",
    borrower: "张三",
  });
  const link = `/functions/archives/board?case=${id}`;

  const head = await (await browser.newContext()).newPage();
  await signIn(head, server.url, "department_head", undefined, link);
  const panel = drawer(head);
  const work = panel.getByTestId("drawer-work");
  await expect(work).toHaveAttribute("data-step", "sign_off");
  const headLine = work.locator('[data-role="department_head"]');
  const directorLine = work.locator('[data-role="director"]');
  await expect(directorLine.getByRole("button", { name: "同意" })).toHaveCount(0);
  await headLine.locator("input").fill("同意,限阅一周");
  await headLine.getByRole("button", { name: "同意" }).click();
  await expect(headLine).toContainText("已同意");
  await expect(work.locator(".drawer__blockers li")).toHaveCount(1);

  const director = await (await browser.newContext()).newPage();
  await signIn(director, server.url, "director", undefined, link);
  const theirs = drawer(director).getByTestId("drawer-work");
  await expect(theirs.locator('[data-role="department_head"]')).toContainText("同意,限阅一周");
  await theirs.locator('[data-role="director"]').getByRole("button", { name: "同意" }).click();
  await expect(theirs.locator(".drawer__ready")).toBeVisible();

  // The department head's open drawer follows the director's approval without a reload.
  await expect(work.locator(".drawer__ready")).toBeVisible({ timeout: 5000 });
  await work.getByRole("button", { name: "完成此步骤" }).click();
  await expect(work).toHaveAttribute("data-step", "provide");
  await expect(work).toContainText("此步骤由档案专员办理");
});

test("drawer screenshots at 1440 and 390 px", async ({ browser, request }, info) => {
  await as(request, "employee");
  const id = await raise(request, "archive_loan", "借阅2023年合同档案", {
    archive_ref: "2023-HT-017",
    purpose: "审计核对",
    copy_type: "纸质档",
    borrower: "李四",
  });
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    await signIn(page, server.url, "department_head", undefined, `/functions/archives/board?case=${id}`);
    await expect(drawer(page).getByTestId("drawer-work")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`drawer-${width}.png`) });
    await context.close();
  }
});
