// A long column draws its first cards and the rest as the reader gets to its end (issue 6:
// a board of a thousand open cards renders a screenful per column). Its own server: the 30
// documents raised here would make other specs' columns long too.
import { expect, test } from "@playwright/test";
import { OfficeFlowServer, raiseOverdueDocument, signIn } from "../support/server";

const server = new OfficeFlowServer();
const RAISED = 30;
const WINDOW = 24;

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("a long column draws its first cards, then the next ones as it is scrolled or asked", async ({ page, request }) => {
  for (let n = 1; n <= RAISED; n++) {
    await raiseOverdueDocument(request, server.url, n < RAISED ? `长列来文 ${n}` : "长列来文 最后一件", "财务部");
  }
  await signIn(page, server.url, "document_clerk", undefined, "/functions/documents/board");
  const column = page.locator('details.lane[data-process="incoming_document"] .column[data-step="sign_and_number"]');
  const cards = column.locator(".board-card");
  const total = Number(await column.getByTestId("column-count").textContent());
  expect(total).toBeGreaterThanOrEqual(RAISED);
  // The count and the label speak of every card; only the first are drawn.
  await expect(column).toHaveAttribute("aria-label", new RegExp(`${total} 件`));
  await expect(cards).toHaveCount(WINDOW);
  const more = column.getByTestId("column-more");
  await expect(more).toHaveText(`再显示 ${Math.min(WINDOW, total - WINDOW)} 张 · 已显示 ${WINDOW}/${total}`);
  // The drawn cards are the first in board order: overdue ones, the most overdue first.
  for (const sla of await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-sla")))) {
    expect(sla).toBe("overdue");
  }

  // Scrolling to the column's end draws the rest, without a click.
  await more.scrollIntoViewIfNeeded();
  await expect(cards).toHaveCount(Math.min(total, 2 * WINDOW));
  if (total <= 2 * WINDOW) await expect(more).toHaveCount(0);
  const ids = await cards.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-case"))));
  expect(new Set(ids).size).toBe(ids.length);

  // The keyboard reaches the button too: a fresh page, Enter on it.
  await page.reload();
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(cards).toHaveCount(WINDOW);
  await column.getByTestId("column-more").focus();
  await page.keyboard.press("Enter");
  await expect(cards).toHaveCount(Math.min(total, 2 * WINDOW));

  // A filter applies to every card, drawn or not: the last document raised (the last in
  // board order, far past the first cards) is found by its title.
  await page.goto(`${server.url}/functions/documents/board?q=${encodeURIComponent("最后一件")}`);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText("长列来文 最后一件");
  await expect(column.getByTestId("column-more")).toHaveCount(0);

  // The overview's stages draw the same way.
  await page.goto(`${server.url}/functions/documents/board?view=overview`);
  await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  const intake = page.locator('.overview__stage[data-stage="intake"]');
  const waiting = Number(await intake.getByTestId("stage-count").textContent());
  expect(waiting).toBeGreaterThanOrEqual(RAISED);
  await expect(intake.locator(".board-card")).toHaveCount(WINDOW);
  await expect(intake.getByTestId("column-more")).toBeVisible();
});
