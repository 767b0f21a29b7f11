// Work-in-progress limits: the director sets a column's limit on the board; the header shows
// count/limit and warns when full; a move into a full column asks first and, confirmed, is
// recorded in the case's history.
import { expect, Page, test } from "@playwright/test";
import { dragWithMouse, OfficeFlowServer, raiseOverdueDocument, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

const BOARD = "/functions/documents/board";

function column(page: Page, step: string) {
  return page.locator(`details.lane[data-process="incoming_document"] .column[data-drop="${step}"]`);
}

async function centre(locator: import("@playwright/test").Locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error("not on screen");
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 60) };
}

test("a full column asks before taking another card, and the history records the overrun", async ({ browser, request }) => {
  const first = await raiseOverdueDocument(request, server.url, "先到的来文", null, 0);
  const second = await raiseOverdueDocument(request, server.url, "后到的来文", null, 0);

  // The director limits 呈送主任拟办 from the board to one card more than it holds.
  const director = await (await browser.newContext()).newPage();
  await signIn(director, server.url, "director", undefined, BOARD);
  const target = column(director, "submit_for_instructions");
  const n = Number(await target.getByTestId("column-count").textContent());
  const limit = n + 1;
  await target.getByRole("button", { name: /在制品上限/ }).click();
  await target.getByTestId("wip-form").locator("input").fill(String(limit));
  await target.getByTestId("wip-form").getByRole("button", { name: "保存" }).click();
  await expect(target.getByTestId("column-wip")).toHaveText(`${n}/${limit}`);

  // The clerk (no lead) sees the limit but cannot change it.
  const clerk = await (await browser.newContext()).newPage();
  await signIn(clerk, server.url, "document_clerk", undefined, BOARD);
  const full = column(clerk, "submit_for_instructions");
  await expect(full.getByTestId("column-wip")).toHaveText(`${n}/${limit}`);
  await expect(full.getByRole("button", { name: /在制品上限/ })).toHaveCount(0);

  const card = (id: number) => clerk.locator(`.board-card[data-case="${id}"]`);
  await dragWithMouse(clerk, await centre(card(first).locator(".board-card__title")), await centre(full));
  await expect(card(first)).toHaveAttribute("data-step", "submit_for_instructions");
  await expect(full.getByTestId("column-wip")).toHaveText(`${n + 1}/${limit}`);
  await expect(full).toHaveClass(/is-full/);

  // The second card asks first; "don't move" leaves it where it was.
  await dragWithMouse(clerk, await centre(card(second).locator(".board-card__title")), await centre(full));
  const dialog = clerk.getByTestId("over-limit-dialog");
  await expect(dialog).toContainText(`已达在制品上限(${n + 1}/${limit})`);
  await dialog.getByRole("button", { name: "不移了" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card(second)).toHaveAttribute("data-step", "sign_and_number");

  // Confirmed, it goes in; the column shows the overrun and the history records it.
  await dragWithMouse(clerk, await centre(card(second).locator(".board-card__title")), await centre(full));
  await dialog.getByRole("button", { name: "仍然移入" }).click();
  await expect(card(second)).toHaveAttribute("data-step", "submit_for_instructions");
  await expect(full.getByTestId("column-wip")).toHaveText(`${n + 2}/${limit}`);
  await expect(full).toHaveClass(/is-over/);
  await card(second).getByRole("link").click();
  await expect(clerk.getByTestId("drawer-history")).toContainText(`超出在制品上限移入(${n + 2}/${limit})`);

  // The director's board follows the moves live.
  await expect(target.getByTestId("column-wip")).toHaveText(`${n + 2}/${limit}`);
  await director.screenshot({ path: test.info().outputPath("wip-over-limit-1440.png") });
});
