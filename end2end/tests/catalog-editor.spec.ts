// The catalog editor (/settings/catalog): an administrator changes a step's time limit, owner
// and outputs, adds a step and a process, sees each problem where it is, and saves the result as
// a new version of the standard that the handbook then shows. Others are kept out.
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("an administrator changes steps of a process and saves a new version", async ({ page }, info) => {
  await signIn(page, server.url, "admin", ADMIN_PASSWORD, "/settings/catalog");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("规范维护");
  await expect(page.locator('#sidenav a[href="/settings/catalog"]')).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("catalog-version")).toContainText("现行第 1 版");
  const process = page.getByTestId("catalog-process");
  await expect(process).toHaveAttribute("data-process", "collaboration_request");
  const save = page.getByTestId("catalog-save-button");
  await expect(save).toBeDisabled();

  // An unreadable time limit is shown at its input and holds the save back.
  const register = process.locator('li[data-step="register"]');
  const deadline = register.locator('input[name="deadline"]');
  await expect(deadline).toHaveValue("wd(1)");
  await deadline.fill("两天");
  await expect(deadline).toHaveAttribute("aria-invalid", "true");
  await expect(register.locator(".catalog-step__reading")).toContainText("无法识别的时限");
  await expect(save).toBeDisabled();
  await deadline.fill("wd(2)");
  await expect(deadline).toHaveAttribute("aria-invalid", "false");
  await expect(register.locator(".catalog-step__words")).toHaveText("2个工作日内");
  await expect(register).toContainText("已修改");

  // Another owner, and one more output for the plan step.
  await register.locator('select[name="owner"]').selectOption("director");
  const plan = process.locator('li[data-step="coordination_plan"]');
  await plan.getByRole("checkbox", { name: /《协作改进清单》/ }).check();

  // A new step: an empty form says what is missing, field by field, and adds nothing.
  await page.getByTestId("catalog-add-step").click();
  const form = page.getByTestId("catalog-new-step");
  await form.locator("#new-step-deadline").fill("");
  await form.getByTestId("catalog-new-step-add").click();
  await expect(form.locator("#new-step-code")).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator("#new-step-name-zh-error")).toHaveText("请填写名称(中文和英文都需要)。");
  await expect(form).toContainText("请填写时限");
  await expect(process.locator("li.catalog-step")).toHaveCount(4);
  await form.locator("#new-step-position").selectOption({ label: "第 3 步「执行跟踪」之后" });
  await form.locator("#new-step-code").fill("acceptance");
  await form.locator("#new-step-name-zh").fill("成果验收");
  await form.locator("#new-step-name-en").fill("Accept the result");
  await form.locator("#new-step-deadline").fill("wd(2)");
  await form.getByTestId("catalog-new-step-add").click();
  await expect(form).toHaveCount(0);
  const steps = process.locator("li.catalog-step");
  await expect(steps).toHaveCount(5);
  await expect(steps.nth(3)).toHaveAttribute("data-step", "acceptance");
  await expect(steps.nth(3)).toContainText("新增");

  // What will change, before saving.
  const bar = page.getByTestId("catalog-save");
  await expect(bar.locator("#catalog-save-heading")).toHaveText("4 处修改");
  const changes = page.getByTestId("catalog-changes");
  await expect(changes).toContainText("时限:1个工作日内 → 2个工作日内");
  await expect(changes).toContainText("负责角色:协调专员 → 办公室主任");
  await expect(changes).toContainText("《协作改进清单》");
  await expect(changes).toContainText("新增步骤");
  await expect(page.getByTestId("catalog-processes").locator('[data-process="collaboration_request"] .catalog-picker__dot')).toHaveCount(1);

  // The note is required; then the edit becomes version 2.
  await save.click();
  await expect(page.locator("#catalog-note-error")).toHaveText("请说明本次修改的内容。");
  await expect(page.getByTestId("catalog-version")).toContainText("现行第 1 版");
  await page.getByTestId("catalog-note").fill("协作需求:登记放宽为 2 个工作日,由主任登记;新增成果验收");
  await save.click();
  await expect(page.getByTestId("catalog-status")).toHaveText(/已保存为第 \d+ 版。新申请按新版本办理。/);
  await expect(page.getByTestId("catalog-version")).toContainText("协作需求:登记放宽");
  await expect(bar.locator("#catalog-save-heading")).toHaveText("尚未修改");
  await expect(steps.nth(3)).not.toContainText("新增");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: info.outputPath("catalog-editor-1440.png"), fullPage: false });

  // The handbook shows the standard in force.
  await page.goto(`${server.url}/functions/coordination`);
  await expect(page.locator("main")).toContainText("成果验收");
});

test("a new process joins the standard; a problem left elsewhere is listed and found", async ({ page }) => {
  await signIn(page, server.url, "admin", ADMIN_PASSWORD, "/settings/catalog");
  await page.getByTestId("catalog-function").selectOption("documents");
  await expect(page.getByTestId("catalog-process")).toHaveAttribute("data-process", "incoming_document");

  await page.getByTestId("catalog-new-process").click();
  const form = page.getByTestId("catalog-new-process-form");
  await form.getByTestId("catalog-new-process-add").click();
  await expect(form.locator("#new-process-code")).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator("#new-process-step-code")).toHaveAttribute("aria-invalid", "true");
  await form.locator("#new-process-code").fill("incoming_document");
  await form.locator("#new-process-name-zh").fill("用印申请");
  await form.locator("#new-process-name-en").fill("Seal request");
  await form.locator("#new-process-step-code").fill("register");
  await form.locator("#new-process-step-name-zh").fill("登记用印");
  await form.locator("#new-process-step-name-en").fill("Register the request");
  await form.locator("#new-process-step-owner").selectOption("document_clerk");
  await form.locator("#new-process-step-deadline").fill("same-day");
  await form.getByTestId("catalog-new-process-add").click();
  await expect(form.locator("#new-process-code-error")).toContainText("已被使用");
  await form.locator("#new-process-code").fill("seal_request");
  await form.getByTestId("catalog-new-process-add").click();
  await expect(form).toHaveCount(0);
  const process = page.getByTestId("catalog-process");
  await expect(process).toHaveAttribute("data-process", "seal_request");
  await expect(process.locator("li.catalog-step")).toHaveCount(1);
  await expect(page.getByTestId("catalog-changes")).toContainText("新增流程(1 个步骤)");

  // Removing a step a later one counts from leaves a problem: listed with its place, one click
  // away from another process, and holding the save back until the step is back.
  const picker = page.getByTestId("catalog-processes");
  await picker.locator('[data-process="outgoing_document"]').click();
  const outgoing = page.getByTestId("catalog-process");
  await expect(outgoing).toHaveAttribute("data-process", "outgoing_document");
  await outgoing.locator('li[data-step="dispatch"]').getByRole("button", { name: /删除此步骤/ }).click();
  await expect(outgoing.locator('li[data-step="dispatch"]')).toHaveCount(0);
  const problems = page.getByTestId("catalog-problems");
  await expect(problems).toContainText("1 个问题需要先处理");
  await expect(problems).toContainText(/process\[outgoing_document\]\.step\[\d+\]\.anchor: unknown step "dispatch"/);
  await expect(outgoing.locator(".catalog-step__problems")).toContainText("anchor");
  await expect(page.getByTestId("catalog-save-button")).toBeDisabled();
  await picker.locator('[data-process="seal_request"]').click();
  await problems.getByRole("button", { name: /process\[outgoing_document\]\.step\[\d+\]\.anchor/ }).click();
  await expect(page.getByTestId("catalog-process")).toHaveAttribute("data-process", "outgoing_document");
  // Discarding takes every change back, the new process too.
  await page.getByRole("button", { name: "放弃修改" }).click();
  await expect(problems).toHaveCount(0);
  await expect(outgoing.locator('li[data-step="dispatch"]')).toHaveCount(1);
  await expect(picker.locator('[data-process="seal_request"]')).toHaveCount(0);

  // Added again, saved.
  await page.getByTestId("catalog-new-process").click();
  await form.locator("#new-process-code").fill("seal_request");
  await form.locator("#new-process-name-zh").fill("用印申请");
  await form.locator("#new-process-name-en").fill("Seal request");
  await form.locator("#new-process-step-code").fill("register");
  await form.locator("#new-process-step-name-zh").fill("登记用印");
  await form.locator("#new-process-step-name-en").fill("Register the request");
  await form.locator("#new-process-step-owner").selectOption("document_clerk");
  await form.locator("#new-process-step-deadline").fill("same-day");
  await form.getByTestId("catalog-new-process-add").click();
  await expect(page.getByTestId("catalog-process")).toHaveAttribute("data-process", "seal_request");
  await page.getByTestId("catalog-note").fill("新增用印申请流程");
  await page.getByTestId("catalog-save-button").click();
  await expect(page.getByTestId("catalog-status")).toHaveText(/已保存为第 \d+ 版/);
  await page.goto(`${server.url}/functions/documents`);
  await expect(page.locator("main")).toContainText("用印申请");
  await expect(page.locator("main")).toContainText("登记用印");
});

test("the director reads the standard but cannot edit it", async ({ page }) => {
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/settings/catalog");
  await expect(page.getByTestId("catalog-refused")).toHaveText("只有管理员可以维护流程标准。");
  await expect(page.getByTestId("catalog-editor")).toHaveCount(0);
  await expect(page.locator('#sidenav a[href="/settings/catalog"]')).toHaveCount(0);
});
