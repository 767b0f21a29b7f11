// Moving cards on the board: with the mouse, the keyboard and a finger; a move the workflow
// refuses snaps back with the engine's reasons; every viewer sees a move, on one instance and
// across two instances on one PostgreSQL database. How soon is printed (the aim is under a
// second); the assertions allow 5 s, as tests here never race the wall clock.
import { execFileSync } from "node:child_process";
import { expect, Locator, Page, test } from "@playwright/test";
import {
  completeStep,
  dragWithMouse,
  OfficeFlowServer,
  raiseOverdueDocument,
  signIn,
} from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

const BOARD = "/functions/documents/board";

function column(page: Page, step: string): Locator {
  return page.locator(`details.lane[data-process="incoming_document"] .column[data-drop="${step}"]`);
}

function cardIn(page: Page, step: string, id: number): Locator {
  return column(page, step).locator(`.board-card[data-case="${id}"]`);
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error("not on screen");
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 60) };
}

test("a card dragged with the mouse to the next column completes its step, and stays there", async ({ page, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "鼠标拖动的来文");
  await signIn(page, server.url, "document_clerk", undefined, BOARD);
  const card = cardIn(page, "sign_and_number", id);
  await expect(card).toBeVisible();

  await dragWithMouse(page, await centre(card.locator(".board-card__title")), await centre(column(page, "submit_for_instructions")));
  const moved = cardIn(page, "submit_for_instructions", id);
  await expect(moved).toBeVisible();
  await expect(moved).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("board-announcer")).toContainText("已移到「呈送主任拟办」");

  await page.reload();
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await expect(cardIn(page, "submit_for_instructions", id)).toBeVisible();
  const audit = await request.post(`${server.url}/api/cases/audit`, { data: { id } });
  const entries: { kind: string; step: string | null }[] = await audit.json();
  expect(entries.filter((e) => e.kind === "step_completed").map((e) => e.step)).toEqual(["sign_and_number"]);
});

test("a move the workflow refuses snaps back and says why", async ({ page, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "缺少拟办意见的来文");
  await completeStep(request, server.url, id, "sign_and_number");
  await completeStep(request, server.url, id, "submit_for_instructions");
  await signIn(page, server.url, "director", undefined, BOARD);
  const card = cardIn(page, "assign_handling", id);
  await expect(card).toBeVisible();

  // Skipping a step is refused on the spot, with where the card can go.
  await dragWithMouse(page, await centre(card.locator(".board-card__title")), await centre(column(page, "file_document")));
  await expect(card.getByTestId("card-refusal")).toContainText("只能拖到那一列");
  await card.getByRole("button", { name: "知道了" }).click();
  await expect(card.getByTestId("card-refusal")).toHaveCount(0);

  // The next column is the engine's to judge: the checklist is not ticked, the handling
  // department not named. The card moves at once, then snaps back with every reason.
  await dragWithMouse(page, await centre(card.locator(".board-card__title")), await centre(column(page, "report_result")));
  const back = cardIn(page, "assign_handling", id);
  await expect(back).toBeVisible();
  await expect(back.getByTestId("card-refusal")).toBeVisible();
  const reasons = back.locator('[data-testid="card-refusal"] li');
  expect(await reasons.count()).toBeGreaterThanOrEqual(2);
  await expect(back.getByTestId("card-refusal")).toContainText("文员同步转办");
  await expect(cardIn(page, "report_result", id)).toHaveCount(0);
  await expect(page.getByTestId("board-announcer")).toContainText("未能移动");
  const audit = await request.post(`${server.url}/api/cases/audit`, { data: { id } });
  const kinds = ((await audit.json()) as { kind: string }[]).map((e) => e.kind);
  expect(kinds.filter((k) => k === "step_completed")).toHaveLength(2);
});

test("the keyboard alone picks a card up, chooses the column and drops it; Escape cancels", async ({ page, request }) => {
  // Received just now: an overdue case would be escalated by the scheduler mid-test, and the
  // live refresh that follows re-creates the focused card (a known bug, see the issue note).
  const id = await raiseOverdueDocument(request, server.url, "键盘移动的来文", null, 0);
  await signIn(page, server.url, "document_clerk", undefined, BOARD);
  const card = cardIn(page, "sign_and_number", id);
  await card.focus();
  const announcer = page.getByTestId("board-announcer");

  await page.keyboard.press("Space");
  await expect(announcer).toContainText("已拿起「键盘移动的来文」");
  await expect(card).toHaveClass(/is-picked/);
  await page.keyboard.press("ArrowRight");
  await expect(announcer).toContainText("目标列:「呈送主任拟办」");
  await expect(column(page, "submit_for_instructions")).toHaveClass(/is-target/);
  await page.keyboard.press("Escape");
  await expect(announcer).toContainText("已取消移动");
  await expect(card).not.toHaveClass(/is-picked/);

  await page.keyboard.press("Enter");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(announcer).toContainText("不能放在这里");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Enter");
  const moved = cardIn(page, "submit_for_instructions", id);
  await expect(moved).toHaveAttribute("aria-busy", "false");
  await expect(announcer).toContainText("已移到「呈送主任拟办」");
  // The focus follows the card, so the next move needs no mouse either.
  await expect(moved).toBeFocused();

  // Back with the keyboard: the return asks for its reason.
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Space");
  const dialog = page.getByTestId("return-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.locator("#return-reason")).toBeFocused();
  await page.keyboard.press("Enter"); // in a textarea: a new line, not a submit
  await page.getByRole("button", { name: "退回", exact: true }).click();
  await expect(dialog.getByRole("alert")).toHaveText("请填写退回原因。");
  await page.locator("#return-reason").fill("编号有误,请重新编号");
  await page.getByRole("button", { name: "退回", exact: true }).click();
  await expect(cardIn(page, "sign_and_number", id)).toHaveAttribute("aria-busy", "false");
  const audit = await request.post(`${server.url}/api/cases/audit`, { data: { id } });
  const returned = ((await audit.json()) as { kind: string; detail: { reason?: string } }[]).find((e) => e.kind === "step_returned");
  expect(returned?.detail.reason).toBe("编号有误,请重新编号");
});

test.describe("on a touch screen", () => {
  test.use({ hasTouch: true, viewport: { width: 390, height: 844 }, isMobile: true });

  test("a finger on the card's grip drags it to the next column", async ({ page, request }) => {
    const id = await raiseOverdueDocument(request, server.url, "手指拖动的来文");
    await signIn(page, server.url, "document_clerk", undefined, BOARD);
    const card = cardIn(page, "sign_and_number", id);
    await expect(card).toBeVisible();
    const target = column(page, "submit_for_instructions");
    // The next column is off screen at this width: bring it half in, keeping the card in view.
    await page.evaluate(() => {
      const row = document.querySelector('details.lane[data-process="incoming_document"] .lane__columns');
      if (row) row.scrollLeft = 150;
    });
    const from = await centre(card.locator(".board-card__handle"));
    const box = await target.boundingBox();
    if (!box) throw new Error("the next column is not on screen");
    const to = { x: Math.min(box.x + 40, 380), y: box.y + 80 };
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: string, x: number, y: number) =>
      cdp.send("Input.dispatchTouchEvent", {
        type,
        touchPoints: type === "touchEnd" ? [] : [{ x: Math.round(x), y: Math.round(y) }],
      });
    await touch("touchStart", from.x, from.y);
    for (let i = 1; i <= 12; i++) {
      await touch("touchMove", from.x + ((to.x - from.x) * i) / 12, from.y + ((to.y - from.y) * i) / 12);
    }
    await touch("touchEnd", to.x, to.y);
    const moved = cardIn(page, "submit_for_instructions", id);
    await expect(moved).toHaveAttribute("aria-busy", "false");
    await page.reload();
    await expect(cardIn(page, "submit_for_instructions", id)).toBeAttached();
  });
});

test("a focused card that someone else changes is drawn anew and keeps the keyboard focus", async ({ page, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "焦点保持的来文", null, 0);
  await signIn(page, server.url, "document_clerk", undefined, BOARD);
  const card = cardIn(page, "sign_and_number", id);
  await expect(page.getByTestId("board-live-state")).toHaveAttribute("data-live", "true");
  const before = Number(await card.getAttribute("data-version"));
  await card.focus();
  const comment = await request.post(`${server.url}/api/cases/apply`, {
    data: { id, version: before, command: { op: "comment", step: null, text: "请今天办完" } },
  });
  expect(comment.status()).toBe(200);
  await expect(card).toHaveAttribute("data-version", String(before + 1));
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-case"))).toBe(String(id));
  // And the keyboard still moves it.
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Space");
  await expect(cardIn(page, "submit_for_instructions", id)).toBeVisible();
});

test("a move in one browser appears in another's board within a second", async ({ browser, request }) => {
  const id = await raiseOverdueDocument(request, server.url, "实时同步的来文");
  const clerk = await (await browser.newContext()).newPage();
  const director = await (await browser.newContext()).newPage();
  await signIn(clerk, server.url, "document_clerk", undefined, BOARD);
  await signIn(director, server.url, "director", undefined, BOARD);
  await expect(director.getByTestId("board-live-state")).toHaveAttribute("data-live", "true");

  // Both points are read once neither needs scrolling any more (scrolling to the one would
  // move the other).
  const grip = cardIn(clerk, "sign_and_number", id).locator(".board-card__title");
  const target = column(clerk, "submit_for_instructions");
  await centre(grip);
  await centre(target);
  await dragWithMouse(clerk, await centre(grip), await centre(target));
  const started = Date.now();
  await expect(cardIn(director, "submit_for_instructions", id)).toBeVisible({ timeout: 5000 });
  console.log(`the other browser showed the move ${Date.now() - started} ms after the drop`);

  // A case raised meanwhile appears too, without a reload.
  const fresh = await raiseOverdueDocument(request, server.url, "新到的来文");
  await expect(cardIn(director, "sign_and_number", fresh)).toBeVisible({ timeout: 5000 });
  await clerk.context().close();
  await director.context().close();
});

test("busy board screenshots at 1440 and 390 px", async ({ browser }, info) => {
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    await signIn(page, server.url, "director", undefined, BOARD);
    await expect(page.getByTestId("board-live-state")).toHaveAttribute("data-live", "true");
    await page.screenshot({ path: info.outputPath(`board-busy-${width}.png`), fullPage: true });
    await context.close();
  }
});

test("two instances on one PostgreSQL database: a move on one reaches a viewer of the other", async ({ browser, request }) => {
  const name = `officeflow_e2e_${process.pid}_${Date.now()}`;
  const pg = ["-h", "127.0.0.1", "-U", "postgres"];
  execFileSync("createdb", [...pg, name]);
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const first = new OfficeFlowServer(url);
  const second = new OfficeFlowServer(url);
  try {
    await first.start();
    await second.start();
    const id = await raiseOverdueDocument(request, first.url, "跨实例同步的来文");
    const clerk = await (await browser.newContext()).newPage();
    const director = await (await browser.newContext()).newPage();
    await signIn(clerk, first.url, "document_clerk", undefined, BOARD);
    await signIn(director, second.url, "director", undefined, BOARD);
    await expect(director.getByTestId("board-live-state")).toHaveAttribute("data-live", "true");
    await expect(cardIn(director, "sign_and_number", id)).toBeVisible();

    await dragWithMouse(clerk, await centre(cardIn(clerk, "sign_and_number", id).locator(".board-card__title")), await centre(column(clerk, "submit_for_instructions")));
    const started = Date.now();
    await expect(cardIn(director, "submit_for_instructions", id)).toBeVisible({ timeout: 5000 });
    console.log(`the other instance's viewer showed the move ${Date.now() - started} ms after the drop`);
    await clerk.context().close();
    await director.context().close();
  } finally {
    await first.dispose();
    await second.dispose();
    execFileSync("dropdb", [...pg, "--force", name]);
  }
});
